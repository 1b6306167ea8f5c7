/** Number formatting, CSV/Markdown export (src/shared/report/format.ts) and the tables of the kinds (src/shared/report/kinds). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import type { AnalysisResult, Report } from '../../../src/shared/report/types';
import { isErrorResult } from '../../../src/shared/report/types';
import {
  csvField, fmtCi, fmtFixed, fmtNum, fmtP, methodsLines, mdEscape, niceTicks, qcCounts, slug, toCsv, toMarkdown, type DataTable,
} from '../../../src/shared/report/format';
import { resultTables } from '../../../src/shared/report/kinds';
import { defaultAtRisk } from '../../../src/shared/report/kinds/km';

const sample = JSON.parse(fs.readFileSync(fixture('report', 'sample-report.json'), 'utf8')) as Report;

test('fmtNum: significant digits, exponent for tiny/huge, dash for missing', () => {
  assert.equal(fmtNum(0.123456), '0.123');
  assert.equal(fmtNum(1234.5), '1235');
  assert.equal(fmtNum(12.3456, 4), '12.35');
  assert.equal(fmtNum(-0.5), '-0.5');
  assert.equal(fmtNum(0), '0');
  assert.equal(fmtNum(3.2e-7), '3.20e-7');
  assert.equal(fmtNum(5e9), '5.00e9');
  assert.equal(fmtNum(null), '—');
  assert.equal(fmtNum(NaN), '—');
  assert.equal(fmtNum(Infinity), '—');
});

test('fmtP: < 0.001 below a thousandth, two significant digits otherwise, > 0.99 near 1; fmtFixed has no negative zero', () => {
  assert.equal(fmtP(0.0004), '< 0.001');
  assert.equal(fmtP(0.001), '0.0010');
  assert.equal(fmtP(0.0012345), '0.0012');
  assert.equal(fmtP(0.05), '0.050');
  assert.equal(fmtP(0.0495), '0.050');
  assert.equal(fmtP(0.265), '0.27');
  assert.equal(fmtP(0.994), '> 0.99');
  assert.equal(fmtP(1), '> 0.99');
  assert.equal(fmtP(null), '—');
  assert.equal(fmtFixed(-0.0004, 2), '0.00');
  assert.equal(fmtFixed(1.655, 1), '1.7');
});

test('fmtCi: en dash, "to" when a bound is negative, NA for a missing bound', () => {
  assert.equal(fmtCi([0.62, 4.05]), '0.62–4.05');
  assert.equal(fmtCi([-0.157, -0.025], 3), '-0.157 to -0.025');
  assert.equal(fmtCi([46.8, null], 1), '46.8–NA');
  assert.equal(fmtCi([null, null]), '—');
  assert.equal(fmtCi(null), '—');
  // every bound would print as zero: significant digits, as the estimate (a biobank's tiny effect)
  assert.equal(fmtCi([-0.000312, 0.000166], 3), '-0.000312 to 0.000166');
  assert.equal(fmtCi([-8.14e-5, 2.43e-5], 3), '-8.14e-5 to 2.43e-5');
  assert.equal(fmtCi([0.0012, 0.0041], 2), '0.0012–0.0041');
  assert.equal(fmtCi([0, 0.0004], 3), '0–0.0004');
  assert.equal(fmtCi([-0.000239, 9.26e-5], 3), '-2.39e-4 to 9.26e-5', 'one notation for both bounds');
  assert.equal(fmtCi([0, 5e-5], 3), '0–5.00e-5');
  // one bound that prints: fixed decimals as before
  assert.equal(fmtCi([-0.0004, 0.0021], 3), '0.000 to 0.002');
  assert.equal(fmtCi([0, 0], 3), '0.000–0.000');
});

test('csvField: quotes separators, quotes and newlines; defuses formulas but not negative numbers', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(' padded'), '" padded"');
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('-0.25'), '-0.25');
  assert.equal(csvField('+1e-3'), '+1e-3');
  assert.equal(csvField('-cmd'), "'-cmd");
});

const table: DataTable = {
  id: 't', title: 'Cox | model <b>', columns: ['Term', 'p', 'HR'],
  rows: [
    [{ text: 'afp > 20 | x' }, { text: '< 0.001', raw: 0.000012345678901 }, { text: '1.65', raw: 1.6538599943636654 }],
    [{ text: 'a,b "q"' }, { text: '0.284', raw: 0.28446457388093455 }, { text: '—', raw: null }],
  ],
  significant: [0],
  note: 'n = 57',
};

test('toCsv: raw numbers at full precision, CRLF, missing as empty, escaping', () => {
  assert.equal(toCsv(table), 'Term,p,HR\r\nafp > 20 | x,0.000012345678901,1.6538599943636654\r\n"a,b ""q""",0.28446457388093455,\r\n');
});

test('mdEscape / toMarkdown: pipes, HTML and emphasis are escaped; significant rows starred', () => {
  assert.equal(mdEscape('a|b'), 'a\\|b');
  assert.equal(mdEscape('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
  assert.equal(mdEscape('x_1 *y* `z`'), 'x\\_1 \\*y\\* \\`z\\`');
  assert.equal(mdEscape('two\nlines'), 'two lines');
  const md = toMarkdown(table);
  const lines = md.trimEnd().split('\n');
  assert.equal(lines[0], '**Cox \\| model &lt;b&gt;**');
  assert.equal(lines[2], '| Term | p | HR |');
  assert.equal(lines[3], '| --- | --- | --- |');
  assert.equal(lines[4], '| afp &gt; 20 \\| x \\* | &lt; 0.001 | 1.65 |');
  assert.equal(lines[5], '| a,b "q" | 0.284 | — |');
  // every row has as many unescaped pipes as the header
  const pipes = (l: string) => l.replace(/\\\|/g, '').split('|').length;
  for (const l of lines.slice(2, 6)) assert.equal(pipes(l), pipes(lines[2]), l);
  assert.ok(md.includes('\n\\* p < 0.05\n'));
});

test('slug: file-name safe', () => {
  assert.equal(slug('nomogram 1'), 'nomogram-1');
  assert.equal(slug('<img src=x onerror=alert(1)>'), 'img-src-x-onerror-alert-1');
  assert.equal(slug('///'), 'table');
});

test('niceTicks: round steps covering the range', () => {
  assert.deepEqual(niceTicks(0, 48, 5), [0, 10, 20, 30, 40]);
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0, 350, 10), [0, 50, 100, 150, 200, 250, 300, 350]);
  assert.deepEqual(niceTicks(2, 2), [2]);
});

test('resultTables: every result kind of the sample report gives non-empty tables with rectangular rows', () => {
  const kinds = new Set<string>();
  for (const r of sample.results) {
    if (isErrorResult(r)) continue;
    const ts = resultTables(r as AnalysisResult);
    assert.ok(ts.length > 0, r.name);
    for (const t of ts) {
      assert.ok(t.rows.length > 0, `${r.name}/${t.id} has rows`);
      for (const row of t.rows) assert.equal(row.length, t.columns.length, `${r.name}/${t.id} row width`);
      for (const i of t.significant ?? []) assert.ok(i >= 0 && i < t.rows.length);
    }
    kinds.add(r.kind);
  }
  assert.deepEqual([...kinds].sort(), ['calibrate', 'compare', 'correlate', 'cox', 'dca', 'describe', 'hosmer-lemeshow', 'km', 'logistic', 'nomogram', 'roc', 'stability']);
});

test('resultTables: correlate marks p < 0.05 rows and keeps raw p; cox shows the seed-style columns', () => {
  const cor = sample.results.find((r) => r.kind === 'correlate' && !isErrorResult(r)) as AnalysisResult & { kind: 'correlate' };
  const [t] = resultTables(cor);
  const expected = cor.rows.flatMap((x, i) => (x.p !== null && x.p < 0.05 ? [i] : []));
  assert.deepEqual(t.significant, expected);
  assert.ok(expected.length > 0);
  assert.equal(t.rows[0][5].raw, cor.rows[0].p);
  const cox = sample.results.find((r) => r.kind === 'cox' && !isErrorResult(r) && !(r as { univariate?: boolean }).univariate) as AnalysisResult;
  const [ct] = resultTables(cox);
  assert.deepEqual(ct.columns, ['Term', 'B', 'SE', 'z', 'p', 'HR', '95% CI (profile)']);
  assert.match(ct.note ?? '', /concordance 0\.\d{3}/);
});

test('resultTables: describe lists categorical levels under their variable, test p on the variable row', () => {
  const d = sample.results.find((r) => r.kind === 'describe') as AnalysisResult & { kind: 'describe' };
  const [t] = resultTables(d);
  const sexRow = t.rows.findIndex((r) => r[0].text === 'sex');
  assert.equal(t.rows[sexRow + 1][0].text, '  F');
  assert.equal(t.rows[sexRow + 2][0].text, '  M');
  assert.equal(t.rows[sexRow][t.columns.length - 1].raw, d.rows.find((r) => r.variable === 'sex')!.p);
  // the significant marker points at the variable row (miR-221@pre, p < 0.001)
  for (const i of t.significant ?? []) assert.ok(!t.rows[i][0].text.startsWith('  '));
});

test('defaultAtRisk: risk set at each time from the curve', () => {
  const g = { label: 'a', n: 4, curve: [{ t: 0, atRisk: 4 }, { t: 2, atRisk: 4 }, { t: 5, atRisk: 3 }, { t: 9, atRisk: 1 }] };
  const ar = defaultAtRisk({ groups: [g] })!;
  assert.deepEqual(ar.times, [0, 2, 4, 6, 8]);
  assert.deepEqual(ar.rows[0].n, [4, 4, 3, 1, 1]);
});

test('methodsLines and qcCounts summarise the report', () => {
  const lines = methodsLines(sample);
  assert.equal(lines[0].label, 'Data');
  assert.match(lines[0].text, /9 plates, 1368 wells/);
  assert.ok(lines.some((l) => l.label === 'Relative quantification' && l.text.includes('cel-miR-39')));
  const qc = qcCounts(sample);
  assert.equal(qc.reduce((s, q) => s + q.count, 0), sample.data.qc.length);
  assert.ok(qc.every((q, i) => i === 0 || qc[i - 1].count >= q.count));
});
