/**
 * Prototype-safe names (issue 16, item 4): `__proto__`, `constructor`, `toString`, `hasOwnProperty`, `valueOf` are
 * ordinary sample, target, column, level and variable names through import → expression → a run.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { importPlate } from '../../../src/engine/plate/index';
import { loadTable } from '../../../src/engine/expression/clinical';
import { runStudy } from '../../../src/engine/study/runner';
import { isErrorResult, type CompareResult, type CorrelateResult, type DescribeResult } from '../../../src/shared/report/types';
import { DIR, STUDY, memIO } from '../study/memIO';

const PROTO = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
/** Subjects: the prototype names plus ordinary ones (enough for two groups of six). */
const SUBJECTS = [...PROTO, 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7'];
/** Targets: reference `hasOwnProperty`, targets of interest `__proto__` and `toString`. */
const TARGETS: [string, (i: number) => number][] = [
  ['hasOwnProperty', (i) => 20 + (i % 3) * 0.2],
  ['__proto__', (i) => 25 + ((i * 7) % 5) * 0.5],
  ['toString', (i) => 28 - ((i * 3) % 4) * 0.4],
];

function plateText(): string {
  const rows = ['sample,target,cq,well'];
  let w = 0;
  SUBJECTS.forEach((s, i) => {
    for (const [t, cq] of TARGETS) {
      for (const d of [0, 0.06]) { rows.push(`${s},${t},${(cq(i) + d).toFixed(2)},${'ABCDEFGHIJKLMNOP'[Math.floor(w / 24)]}${(w % 24) + 1}`); w++; }
    }
  });
  return rows.join('\n') + '\n';
}

/** Clinical columns `__proto__` (numeric), `valueOf` (levels `constructor` / `__proto__`), `toString` (numeric). */
function clinicalText(): string {
  return ['patient,__proto__,valueOf,toString', ...SUBJECTS.map((s, i) => `${s},${40 + ((i * 13) % 29)},${i % 2 ? 'constructor' : '__proto__'},${(i * 1.7) % 9}`)].join('\n') + '\n';
}

test('importer: prototype names are ordinary sample and target names', () => {
  const p = importPlate(plateText(), 'p.csv').plate!;
  assert.deepEqual([...new Set(p.wells.map((w) => w.sample))], SUBJECTS);
  assert.deepEqual([...new Set(p.wells.map((w) => w.target))], TARGETS.map((t) => t[0]));
  // Preamble / trailer keys are ordinary meta keys too.
  const qs = importPlate('* __proto__ = polluted\n* constructor = x\n[Results]\nWell\tSample Name\tTarget Name\tCт\n1\tS\tT\t20\n', 'q.txt').plate!;
  assert.equal(qs.meta['__proto__'], 'polluted');
  assert.equal(qs.meta['constructor'], 'x');
  assert.equal(Object.getPrototypeOf(qs.meta) === null || Object.getPrototypeOf(qs.meta) === Object.prototype, true);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('clinical table: prototype names are ordinary columns and levels', () => {
  const t = loadTable(clinicalText(), 'c.csv', { key: 'patient' });
  assert.deepEqual(t.diagnostics, []);
  assert.deepEqual(t.columns.map((c) => [c.name, c.type]), [['patient', 'categorical'], ['__proto__', 'numeric'], ['valueOf', 'categorical'], ['toString', 'numeric']]);
  assert.deepEqual(t.columns[2].levels, ['__proto__', 'constructor']);
  assert.equal(t.rows[0]['__proto__'], 40);
  assert.equal(t.rows[0]['patient'], '__proto__');
  assert.deepEqual(Object.keys(t.rows[0]), ['patient', '__proto__', 'valueOf', 'toString']);
});

test('a study over prototype names runs: subjects, targets, columns, levels and a `let constructor`', async () => {
  const files = { [`${DIR}/p.csv`]: plateText(), [`${DIR}/clinical.csv`]: clinicalText() };
  const text = [
    'study "prototype names"',
    'plates "p.csv" format tidy',
    'clinical "clinical.csv" key patient',
    'reference hasOwnProperty',
    'targets __proto__, toString',
    'let constructor = toString * 2',
    'd: describe __proto__, constructor, valueOf by valueOf',
    'c: compare dcq(__proto__) by valueOf',
    'r: correlate dcq(toString) with __proto__, constructor',
  ].join('\n') + '\n';
  const out = await runStudy(text, STUDY, memIO(files));
  const errors = out.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  const r = out.report!;
  assert.equal(r.data.subjects, SUBJECTS.length);
  for (const x of r.results) assert.ok(!isErrorResult(x), JSON.stringify(x));
  const d = r.results.find((x) => x.name === 'd') as DescribeResult;
  assert.deepEqual(d.groupLevels, ['__proto__', 'constructor']);
  assert.deepEqual(d.rows.map((x) => [x.variable, x.type]), [['__proto__', 'numeric'], ['constructor', 'numeric'], ['valueOf', 'categorical']]);
  // Group `__proto__` is an own key with its mean ± SD, as `constructor` is.
  assert.deepEqual(Object.keys(d.rows[0].groups), ['__proto__', 'constructor']);
  assert.ok(Object.values(d.rows[0].groups).every((g) => /^\d+\.\d+ ± \d+\.\d+$/.test(g)), JSON.stringify(d.rows[0].groups));
  assert.deepEqual(d.rows[2].levels!.map((l) => [l.level, l.groups['__proto__'], l.groups['constructor']]), [['__proto__', '6 (100.0%)', '0 (0.0%)'], ['constructor', '0 (0.0%)', '6 (100.0%)']]);
  const c = r.results.find((x) => x.name === 'c') as CompareResult;
  assert.equal(c.n, SUBJECTS.length);
  const k = r.results.find((x) => x.name === 'r') as CorrelateResult;
  assert.deepEqual(k.rows.map((x) => [x.variable, x.n]), [['__proto__', SUBJECTS.length], ['constructor', SUBJECTS.length]]);
  const json = JSON.stringify(r);
  assert.ok(!json.includes('[object Object]'), json.slice(Math.max(0, json.indexOf('[object Object]') - 300), json.indexOf('[object Object]') + 100));
});

test('sample fields and levels named like prototype members: `samples "{patient}-{constructor}"`, levels toString / valueOf', async () => {
  const subjects = ['__proto__', 'hasOwnProperty', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6'];
  const rows = ['sample,target,cq,well'];
  let w = 0;
  subjects.forEach((s, i) => ['toString', 'valueOf'].forEach((lv, j) => {
    for (const [t, cq] of [['ref', 20 + (i % 3) * 0.1], ['__proto__', 26 + ((i * 7) % 5) * 0.3 - j]] as const) {
      for (const d of [0, 0.05]) { rows.push(`${s}-${lv},${t},${(cq + d).toFixed(2)},${'ABCDEFGHIJKLMNOP'[Math.floor(w / 24)]}${(w % 24) + 1}`); w++; }
    }
  }));
  const files = { [`${DIR}/p.csv`]: rows.join('\n') + '\n' };
  const text = ['study "fields"', 'plates "p.csv" format tidy', 'samples "{patient}-{constructor}"', 'reference ref',
    'calibrator constructor == "toString"', 'paired: compare __proto__@valueOf vs __proto__@toString paired'].join('\n') + '\n';
  const out = await runStudy(text, STUDY, memIO(files));
  assert.deepEqual(out.diagnostics.filter((d) => d.severity === 'error'), []);
  const c = out.report!.results[0] as CompareResult;
  assert.ok(!isErrorResult(c), JSON.stringify(c));
  assert.equal(c.n, subjects.length);
  assert.equal(out.report!.data.subjects, subjects.length);
});
