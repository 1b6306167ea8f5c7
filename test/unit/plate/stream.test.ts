/**
 * Streamed import (src/engine/plate/stream.ts) against the whole-file import: every plate fixture, fed in seeded
 * random chunk sizes with tiny heads and blocks (so that block and chunk boundaries fall everywhere, CRLF split across
 * chunks included), must give the same wells (with ranges), geometry, conventions and diagnostics; metadata too,
 * unless the table ends before the file and the rest is reported as skipped.
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { importPlate } from '../../../src/engine/plate';
import { importPlateStream } from '../../../src/engine/plate/stream';
import { BlockShare } from '../../../src/engine/plate/block';
import { Rng } from '../../../src/engine/stats/rng';
import type { ImportResult } from '../../../src/engine/plate/model';
import { chunks, comparisonWorker, slowly, sortedDiagnostics } from './streamCompare';
import { assertSameWells } from './sameWells';

function plateFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...plateFiles(p));
    else if (!/\.(md|json|mjs|py|qstudy)$/.test(e.name) && !/clinical|samplesheet/.test(e.name)) out.push(p);
  }
  return out.sort();
}

const files = plateFiles(path.join(repoRoot, 'test', 'fixtures'));

test('fixtures exist for the streaming comparison', () => {
  assert.ok(files.length >= 30, `${files.length} files`);
});

// The per-fixture comparisons run in one worker thread (streamCompare.ts says why); the assertions are the same.
const comparisons = comparisonWorker();
after(() => comparisons.close());

for (const file of files) {
  const rel = path.relative(repoRoot, file);
  test(`streamed import equals the whole-file import: ${rel}`, () => comparisons.compare(file, rel));
}

test('a large generated tidy export streams in blocks: same wells as the whole-file import, 8×12 grows to 16×24', async () => {
  const rows = ['sample,target,well,cq'];
  for (let i = 0; i < 3000; i++) rows.push(`S${i % 97},miR-${i % 3},${'ABCDEFGHIJKLMNOP'[(i >> 4) % 16]}${(i % 24) + 1},${(20 + (i % 150) / 10).toFixed(2)}`);
  const text = rows.join('\r\n') + '\r\n';
  const bytes = new TextEncoder().encode(text);
  const want = importPlate(bytes, 'big.csv');
  const got = await importPlateStream([bytes.subarray(0, 1000), bytes.subarray(1000)], 'big.csv', { headLines: 10, blockLines: 500 });
  assertSameWells(got.plate!.wells, want.plate!.wells);
  assert.deepEqual([got.plate!.rows, got.plate!.cols, got.plate!.conventions.lineEnding], [want.plate!.rows, want.plate!.cols, '\r\n']);
});

test('the blocks of a streamed file share one table of strings: each sample, target and Cq text once; edits after the import still work', async () => {
  const rows = ['sample,target,well,cq'];
  for (let i = 0; i < 3000; i++) rows.push(`S${i % 50},miR-${i % 3},${'ABCDEFGH'[(i >> 3) % 8]}${(i % 12) + 1},${(20 + (i % 40) / 10).toFixed(2)}`);
  const bytes = new TextEncoder().encode(rows.join('\n') + '\n');
  const share = new BlockShare();
  const blocks = [rows.slice(0, 1500), [rows[0], ...rows.slice(1500)]].map((b) => importPlate(b.join('\n'), 'share.csv', { share }));
  const strings = share.text.text;
  assert.equal(new Set(strings).size, strings.length, 'no string twice in the shared table');
  assert.equal(strings.length, 1 + 50 + 3 + 40, "'' + samples + targets + Cq texts (positions have no prefix)");
  assert.equal(blocks[1].plate!.wells[0].sample, rows[1500].split(',')[0]);
  const got = await importPlateStream([bytes], 'share.csv', { headLines: 10, blockLines: 300 });
  const wells = got.plate!.wells;
  assertSameWells(wells, importPlate(bytes, 'share.csv').plate!.wells);
  wells[5].sample = 'renamed'; wells[2900].target = 'miR-new'; wells[1000].sample = 'S7';
  assert.deepEqual([wells[5].sample, wells[2900].target, wells[1000].sample, wells[6].sample, wells[2901].target], ['renamed', 'miR-new', 'S7', rows[7].split(',')[0], rows[2902].split(',')[1]]);
});

test('a chunk larger than one decoding piece (256 KiB): multi-byte characters across the pieces read exactly; a bad byte further on is still an error', async () => {
  // Sample names with 2-, 3- and 4-byte UTF-8 characters, so that the 256 KiB piece boundaries of LineReader.decode
  // fall inside characters; one 1.2 MB chunk (above node's external-string size, the case the pieces are for).
  const make = (pad: string): string[] => {
    const rows = [`sample,target,well,cq${pad}`];
    for (let i = 0, n = 0; n < 1_200_000; i++, n += rows[rows.length - 1].length) rows.push(`Sµ€😀${i % 251},miR-${i % 3},${'ABCDEFGH'[(i >> 3) % 8]}${(i % 12) + 1},${(20 + (i % 150) / 10).toFixed(2)}`);
    return rows;
  };
  const isInside = (b: Uint8Array, o: number): boolean => (b[o] & 0xc0) === 0x80; // a continuation byte
  // Header padding (spaces, trimmed by the importer) chosen so that the first piece boundary cuts a character.
  let rows = make(''), bytes = new TextEncoder().encode(rows.join('\n') + '\n');
  for (let pad = 1; !isInside(bytes, 1 << 18) && pad < 40; pad++) { rows = make(' '.repeat(pad)); bytes = new TextEncoder().encode(rows.join('\n') + '\n'); }
  assert.ok(isInside(bytes, 1 << 18), 'the first piece ends inside a character');
  assert.ok(bytes.length > 4 * (1 << 18), `${bytes.length} bytes span several pieces`);
  const want = importPlate(bytes, 'pieces.csv');
  const got = await importPlateStream([bytes.subarray(0, 100), bytes.subarray(100)], 'pieces.csv', { headLines: 10, blockLines: 5000 });
  assertSameWells(got.plate!.wells, want.plate!.wells);
  assert.equal(got.plate!.wells.length, rows.length - 1);
  // A bad byte past the first 64 KiB (which decide the encoding), in the third piece of the second chunk.
  const bad = bytes.slice(); bad[70_000 + 3 * (1 << 18) - 5] = 0xff;
  const res = await importPlateStream([bad.subarray(0, 70_000), bad.subarray(70_000)], 'bad.csv', { headLines: 10, blockLines: 5000 });
  assert.equal(res.plate, null);
  assert.match(res.diagnostics[0].message, /not further on/);
});

test('a carriage return at the end of a decoding piece inside one chunk: a CRLF across the pieces is one line end, a bare CR stays one', async () => {
  for (const eol of ['\r\n', '\r']) {
    const row = (i: number) => `S${i},miR-21,${'ABCDEFGH'[i % 8]}${(i % 12) + 1},${(20 + (i % 50) / 10).toFixed(2)}`;
    let text = `sample,target,well,cq${eol}`, i = 0;
    while (text.length < (1 << 18) - 60) text += row(i++) + eol;
    // One row padded so that its line end's CR is the first piece's last byte (the text is ASCII: a byte a character).
    const cells = ',miR-21,A1,21.00';
    text += `S${'x'.repeat((1 << 18) - 1 - text.length - 1 - cells.length)}${cells}${eol}`;
    while (text.length < 300_000) text += row(i++) + eol;
    const bytes = new TextEncoder().encode(text);
    assert.equal(bytes[(1 << 18) - 1], 13, 'the first piece ends with the CR');
    const want = importPlate(bytes, 'cr.csv');
    const got = await importPlateStream([bytes], 'cr.csv', { headLines: 3, blockLines: 5000 });
    assertSameWells(got.plate!.wells, want.plate!.wells, JSON.stringify(eol));
    assert.equal(got.plate!.wells.length, i + 1);
    assert.equal(got.plate!.conventions.lineEnding, eol);
  }
});

test('mutated fixtures (the importer fuzzer\'s mutations, 400 seeded cases): streamed equals whole-file, or says why not', async () => {
  const { loadFixtureCorpus, mutate } = await import('../../fuzz/plateFuzz');
  const corpus = loadFixtureCorpus();
  const rng = new Rng(20261127);
  let compared = 0;
  for (let k = 0; k < 400; k++) {
    const src = corpus[rng.int(corpus.length)];
    const { data, mutation } = mutate(src.data, rng);
    const want = importPlate(data, src.name);
    const got = await importPlateStream(slowly(chunks(data, rng, 3000)), src.name, { headLines: 2 + rng.int(30), blockLines: 1 + rng.int(60) });
    const what = `case ${k}: ${src.name} ${mutation}`;
    // A mutation can put invalid UTF-8 after the first 64 KiB: a stream cannot go back to re-decode, and says so.
    if (got.diagnostics.some((d) => d.code === 'stream-encoding')) continue;
    assert.equal(got.plate === null, want.plate === null, `${what}: plate`);
    // Known difference: "every data row has more fields than the header" is decided per block when streamed, so the
    // row-ragged findings of such a damaged file may be summarised differently (the wells are the same).
    const noRagged = (r: ImportResult) => sortedDiagnostics(r).filter((d) => !d.includes('"code":"row-ragged"'));
    assert.deepEqual(noRagged(got), noRagged(want), `${what}: diagnostics`);
    if (want.plate && got.plate) assertSameWells(got.plate.wells, want.plate.wells, `${what}: wells`);
    compared++;
  }
  assert.ok(compared > 350, `${compared} of 400 compared`);
});

test('a QuantStudio table longer than the head ends inside a block (a blank line, then a section): the same wells as the whole-file import, the rest skipped from that line', async () => {
  const base = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'ddct', 'QuantStudio_File1.txt'), 'utf8').split(/\r?\n/);
  const at = base.findIndex((l) => l.startsWith('[Results]'));
  const lines = base.slice(0, at + 2), row = base[at + 2];
  for (let i = 0; i < 5600; i++) lines.push(row.replace(/^\d+/, String(i + 1)));
  const blank = lines.length - 150;
  lines.splice(blank, 0, '', '[Amplification Data]', 'Well\tCycle', '1\t1');
  for (const eol of ['\n', '\r\n']) {
    const bytes = new TextEncoder().encode(lines.join(eol));
    const want = importPlate(bytes, 'qs.txt');
    const got = await importPlateStream([bytes.subarray(0, 4321), bytes.subarray(4321)], 'qs.txt', { headLines: 10, blockLines: 97 });
    assertSameWells(got.plate!.wells, want.plate!.wells);
    assert.equal(got.plate!.wells.length, blank - at - 2);
    assert.deepEqual(got.diagnostics.filter((d) => d.code === 'stream-skipped').map((d) => d.range.start.line), [blank]);
  }
});

test('a line longer than many chunks is read whole, with CR, CRLF and LF ends at chunk edges: same wells as the whole-file import', async () => {
  const long = 'S'.repeat(5000);
  for (const eol of ['\n', '\r\n', '\r']) {
    const rows = ['sample,target,well,cq', `${long},miR-21,A1,24.5`, 'S2,miR-21,A2,25.0', `${long}2,RNU6B,A3,20.0`];
    const bytes = new TextEncoder().encode(rows.join(eol) + eol);
    const want = importPlate(bytes, 'long.csv');
    for (const size of [7, 64, 4999, 5003]) {
      const pieces: Uint8Array[] = [];
      for (let o = 0; o < bytes.length; o += size) pieces.push(bytes.subarray(o, o + size));
      const got = await importPlateStream(pieces, 'long.csv', { headLines: 2, blockLines: 1 });
      assertSameWells(got.plate!.wells, want.plate!.wells, `${JSON.stringify(eol)} in ${size}-byte chunks`);
      assert.equal(got.plate!.wells[0].sample, long);
      assert.equal(got.plate!.conventions.lineEnding, want.plate!.conventions.lineEnding);
    }
  }
});

test('a chunk of more lines than a call takes arguments (600,000 short lines in one piece) is a located finding, not a stack overflow', async () => {
  const bytes = new TextEncoder().encode('x\n'.repeat(600_000));
  const r = await importPlateStream([bytes], 'junk.csv');
  assert.equal(r.plate, null);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.start.line]), [['unknown-format', 0]]);
});
