/**
 * The streamed-versus-whole-file comparison of one plate file (stream.test.ts), run in a worker thread: node:test's
 * async hook (it maps every promise to its test) costs a few µs per promise, and a fixture fed in chunks of at most
 * 7 bytes makes hundreds of thousands of them (~40% of the comparison's CPU in the test's own thread). The
 * comparisons and their assertions are the same; a failed one comes back as its assertion message.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { importPlate } from '../../../src/engine/plate';
import { importPlateStream } from '../../../src/engine/plate/stream';
import { Rng } from '../../../src/engine/stats/rng';
import type { ImportResult } from '../../../src/engine/plate/model';
import { assertSameWells } from './sameWells';

export function chunks(bytes: Uint8Array, rng: Rng, max: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length;) {
    const n = 1 + rng.int(max);
    out.push(bytes.subarray(i, Math.min(bytes.length, i + n)));
    i += n;
  }
  return out;
}

/**
 * The chunks as an async iterable (as a file stream delivers them), one resolved promise per chunk: an async generator
 * makes several, and every promise costs the test runner's async hooks (a 1 MB file in chunks of at most 7 bytes is
 * 250,000 chunks).
 */
export function slowly(parts: Uint8Array[]): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: () => {
      let i = 0;
      return { next: () => Promise.resolve(i < parts.length ? { value: parts[i++], done: false } : { value: undefined, done: true }) };
    },
  };
}

export const sortedDiagnostics = (r: ImportResult) => r.diagnostics.filter((d) => d.code !== 'stream-skipped').map((d) => JSON.stringify(d)).sort();

/** Streams `file` (named `rel`) with tiny to large heads, blocks and chunks; asserts the whole-file import's results. */
export async function compareStreamed(file: string, rel: string): Promise<void> {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const want = importPlate(bytes, rel);
  const rng = new Rng(bytes.length);
  for (const [headLines, blockLines, maxChunk] of [[3, 1, 7], [7, 5, 100], [40, 13, 5000], [5000, 20000, 1 << 20]]) {
    const got = await importPlateStream(slowly(chunks(bytes, rng, maxChunk)), rel, { headLines, blockLines });
    const what = `${rel} head ${headLines} block ${blockLines} chunks ≤ ${maxChunk}`;
    assert.equal(got.plate === null, want.plate === null, `${what}: plate ${got.plate ? 'found' : 'missing'}; ${JSON.stringify(got.diagnostics.slice(0, 3))}`);
    assert.deepEqual(sortedDiagnostics(got), sortedDiagnostics(want), `${what}: diagnostics`);
    if (!want.plate || !got.plate) continue;
    assert.equal(got.plate.wells.length, want.plate.wells.length, `${what}: well count`);
    assertSameWells(got.plate.wells, want.plate.wells, `${what}: wells`);
    const skipped = got.diagnostics.some((d) => d.code === 'stream-skipped');
    const { wells: _a, meta: metaGot, ...restGot } = got.plate;
    const { wells: _b, meta: metaWant, ...restWant } = want.plate;
    assert.deepEqual(restGot, restWant, `${what}: format, geometry, conventions`);
    if (!skipped) assert.deepEqual(metaGot, metaWant, `${what}: metadata`);
  }
}

interface Reply { id: number; error?: string }

/** A worker running compareStreamed on request; `close` ends it. */
export function comparisonWorker(): { compare: (file: string, rel: string) => Promise<void>; close: () => Promise<number> } {
  const worker = new Worker(__filename);
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let next = 0;
  worker.on('message', (r: Reply) => {
    const w = waiting.get(r.id);
    waiting.delete(r.id);
    if (r.error === undefined) w?.resolve(); else w?.reject(new assert.AssertionError({ message: r.error }));
  });
  const fail = (e: Error) => { for (const w of waiting.values()) w.reject(e); waiting.clear(); };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the comparison worker exited (code ${code})`)));
  return {
    compare: (file, rel) => new Promise<void>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, file, rel });
    }),
    close: () => worker.terminate(),
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', ({ id, file, rel }: { id: number; file: string; rel: string }) => {
    compareStreamed(file, rel).then(
      () => port.postMessage({ id }),
      (e: unknown) => port.postMessage({ id, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}
