/**
 * Two imports' wells compared field by field, stopping at the first difference with the well and field named.
 *
 * Comparing `JSON.stringify` of both lists did the same job at several times the cost (every well and its six
 * ranges made as objects, then written out: 0.8 s for 52,000 wells), and a failure printed two texts of megabytes.
 * JSON still decides for a few wells (first, middle, last), and for any well whose own keys differ between the two
 * (a plain object against a column view, which has none), so a key in the wrong order or an extra key is caught.
 */
import * as assert from 'node:assert/strict';
import type { Well } from '../../../src/engine/plate/model';

type Wells = ArrayLike<Well>;

const SCALARS = ['index', 'position', 'row', 'col', 'sample', 'target', 'task', 'cq', 'noCq', 'cqText', 'quantity', 'omitted', 'line', 'omitText'] as const;
const RANGES = ['row', 'cq', 'position', 'sample', 'target', 'omit'] as const;

/** The first field in which `a` and `b` differ, or null. */
function differs(a: Well, b: Well): string | null {
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) {
    const ja = JSON.stringify(a), jb = JSON.stringify(b);
    return ja === jb ? null : `as JSON: ${ja} ≠ ${jb}`;
  }
  for (const k of SCALARS) {
    const x = a[k], y = b[k];
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return `${k}: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`;
  }
  if (a.flags.length !== b.flags.length || a.flags.some((f, i) => f !== b.flags[i])) return `flags: ${JSON.stringify(a.flags)} ≠ ${JSON.stringify(b.flags)}`;
  for (const k of RANGES) {
    const r = a.ranges[k], s = b.ranges[k];
    if (r === s) continue;
    if (!r || !s || r.start.line !== s.start.line || r.start.character !== s.start.character || r.end.line !== s.end.line || r.end.character !== s.end.character) {
      return `ranges.${k}: ${JSON.stringify(r)} ≠ ${JSON.stringify(s)}`;
    }
  }
  return null;
}

/** Asserts that `got` has the wells of `want`, in order, with the same fields (`what` names the comparison). */
export function assertSameWells(got: Wells, want: Wells, what = 'wells'): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} wells, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const d = differs(got[i], want[i]);
    if (d !== null) assert.fail(`${what}: well ${i}: ${d}`);
  }
  for (const i of new Set([0, want.length >> 1, want.length - 1])) {
    if (i >= 0 && i < want.length) assert.equal(JSON.stringify(got[i]), JSON.stringify(want[i]), `${what}: well ${i} as JSON`);
  }
}
