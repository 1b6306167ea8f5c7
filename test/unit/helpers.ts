/** Shared helpers for unit tests (plain Node, no VS Code). */
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as assert from 'node:assert/strict';

/** The repository root (tests run from out/test/unit/...). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

const temps: string[] = [];

/**
 * A new directory under the OS temp dir (named `prefix` and six random characters), removed with its contents when
 * the test process exits: a run of the suite leaves nothing behind in the temp dir.
 */
export function tempDir(prefix: string): string {
  if (temps.length === 0) process.once('exit', () => { for (const d of temps) fs.rmSync(d, { recursive: true, force: true }); });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function fixture(...p: string[]): string {
  return path.join(repoRoot, 'test', 'fixtures', ...p);
}

export function readGolden<T = any>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'golden', name), 'utf8')) as T;
}

/** |actual - expected| <= rel * max(|expected|, tiny) + abs. Default: 1e-6 relative (the project's stated tolerance). */
export function assertClose(actual: number | null | undefined, expected: number | null | undefined, rel = 1e-6, abs = 1e-12, msg = ''): void {
  if (expected === null || expected === undefined || (typeof expected === 'number' && Number.isNaN(expected))) {
    assert.ok(actual === null || actual === undefined || Number.isNaN(actual as number), `${msg}: expected missing, got ${actual}`);
    return;
  }
  assert.ok(typeof actual === 'number' && Number.isFinite(actual) || actual === expected, `${msg}: expected ${expected}, got ${actual}`);
  if (actual === expected) return;
  const tol = rel * Math.abs(expected) + abs;
  assert.ok(Math.abs((actual as number) - expected) <= tol, `${msg}: expected ${expected}, got ${actual} (|diff| ${Math.abs((actual as number) - expected)} > ${tol})`);
}

export function assertAllClose(actual: ArrayLike<number | null>, expected: ArrayLike<number | null>, rel = 1e-6, abs = 1e-12, msg = ''): void {
  assert.equal(actual.length, expected.length, `${msg}: length`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], rel, abs, `${msg}[${i}]`);
}
