// A sample sheet's fields per sample (src/engine/study/inputs.ts sheetFields): the row's non-missing cells as text,
// in column order, nothing inherited, frozen; the same as building each object key by key (the former code, kept here
// as the reference) on random sheets with missing cells, a `__proto__` column and more shapes than are cached.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadTable } from '../../../src/engine/expression/clinical';
import { sheetFields } from '../../../src/engine/study/inputs';

function reference(rows: Record<string, unknown>[], key: string, names: string[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const k = row[key];
    if (k === null || k === undefined) continue;
    const f = Object.create(null) as Record<string, string>;
    for (const [c, v] of Object.entries(row)) if (v !== null && names.includes(c)) f[c] = String(v);
    out.set(String(k), f);
  }
  return out;
}

test('sheetFields: non-missing cells as text in column order, nothing inherited, frozen, per sample name', () => {
  const t = loadTable('sample,__proto__,age,group\nS1,a,50,ctl\nS2,,NA,case\n,x,1,y\nS3,b,7.5,\n', 's.csv');
  const got = sheetFields(t, 'sample', ['__proto__', 'age', 'group']);
  assert.deepEqual([...got.keys()], ['S1', 'S2', 'S3']);
  const s1 = got.get('S1')!;
  const proto = Object.getPrototypeOf(s1) as object;
  assert.equal(Object.getPrototypeOf(proto), null);
  assert.deepEqual(Reflect.ownKeys(proto), []);
  assert.ok(Object.isFrozen(proto));
  assert.ok(Object.isFrozen(s1));
  assert.deepEqual(Object.entries(s1), [['__proto__', 'a'], ['age', '50'], ['group', 'ctl']]);
  assert.deepEqual(Object.entries(got.get('S2')!), [['group', 'case']]);
  assert.deepEqual(Object.entries(got.get('S3')!), [['__proto__', 'b'], ['age', '7.5']]);
  assert.equal(got.get('S1')!.constructor, undefined, 'nothing inherited');
  assert.equal(got.get('S2')!.__proto__, undefined, 'an absent column reads undefined');
});

test('sheetFields: the same as key-by-key objects on random sheets (hundreds of sets of present columns)', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const cols = ['sample', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
  const lines = [cols.join(',')];
  for (let r = 0; r < 2000; r++) lines.push(cols.map((_, j) => (j === 0 ? (rnd() < 0.02 ? '' : `S${r}`) : rnd() < 0.4 ? 'NA' : rnd() < 0.5 ? String(Math.round(rnd() * 100)) : `v${r}`)).join(','));
  const t = loadTable(lines.join('\n'), 'r.csv');
  for (const names of [cols.slice(1), cols]) {
    const got = sheetFields(t, 'sample', names), want = reference(t.rows, 'sample', names);
    assert.deepEqual([...got.keys()], [...want.keys()]);
    for (const [k, f] of want) assert.deepEqual(Object.entries(got.get(k)!), Object.entries(f), k);
  }
});
