/** Chart specs of every result kind and the SVG serialiser (src/shared/charts/specs.ts, svg.ts, chartSpec.ts). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertClose, fixture } from '../helpers';
import type { AnalysisResult, CorrelateResult, KmResult, Report } from '../../../src/shared/report/types';
import { isErrorResult } from '../../../src/shared/report/types';
import { axisExtent, OKABE_ITO_LIGHT, type ChartSpec, type ThemeColours } from '../../../src/shared/charts/chartSpec';
import { bestRow, chartsFor, jitter, linearFit, logTicks } from '../../../src/shared/charts/specs';
import { quantile7Sorted as quantile7 } from '../../../src/shared/quantile';
import { chartToSvg, makeScale, xmlEscape } from '../../../src/shared/charts/svg';
import { MAX_POINTS } from '../../../src/shared/charts/thin';

const sample = JSON.parse(fs.readFileSync(fixture('report', 'sample-report.json'), 'utf8')) as Report;
const results = sample.results.filter((r) => !isErrorResult(r)) as AnalysisResult[];
const theme: ThemeColours = { fg: '#1f1f1f', muted: '#616161', grid: '#e0e0e0', bg: '#ffffff', palette: OKABE_ITO_LIGHT, font: 'sans-serif', lineScale: 1 };

test('quantile7 matches R quantile(type = 7); linearFit is least squares; jitter is bounded and stable', () => {
  const x = [1, 2, 3, 4, 10];
  assert.equal(quantile7(x, 0.25), 2);
  assert.equal(quantile7(x, 0.5), 3);
  assert.equal(quantile7(x, 0.75), 4);
  assertClose(quantile7([1, 2, 3, 4], 0.25), 1.75);
  const fit = linearFit([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])!;
  assertClose(fit.a, 1); assertClose(fit.b, 2);
  assert.equal(linearFit([{ x: 1, y: 1 }, { x: 1, y: 2 }]), null);
  for (let i = 0; i < 100; i++) assert.ok(Math.abs(jitter(i, 0.2)) <= 0.2);
  assert.equal(jitter(7, 0.2), jitter(7, 0.2));
});

test('every charted kind gives specs with data; describe and hosmer-lemeshow are tables only', () => {
  for (const r of results) {
    const specs = chartsFor(r, { showCi: true });
    if (r.kind === 'describe' || r.kind === 'hosmer-lemeshow') { assert.equal(specs.length, 0); continue; }
    assert.ok(specs.length > 0, `${r.name} (${r.kind}) has a chart`);
    for (const s of specs) {
      const n = s.series.reduce((a, x) => a + (x.type === 'line' || x.type === 'scatter' || x.type === 'band' ? x.points.length : x.type === 'segments' ? x.segments.length : x.type === 'rects' ? x.rects.length : x.texts.length), 0);
      assert.ok(n > 1, `${r.name}/${s.id} has data`);
      for (const ax of ['x', 'y'] as const) {
        const [lo, hi] = axisExtent(s, ax);
        assert.ok(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo, `${r.name}/${s.id} ${ax} extent ${lo}..${hi}`);
      }
    }
  }
});

test('correlate: the selected row is plotted (default: the smallest p) with a regression line', () => {
  const cor = results.find((r) => r.kind === 'correlate') as CorrelateResult;
  const best = bestRow(cor)!;
  assert.equal(best.p, Math.min(...cor.rows.map((x) => x.p as number)));
  const [def] = chartsFor(cor);
  assert.equal(def.y.label, best.variable);
  const [age] = chartsFor(cor, { selectedRow: 'age' });
  assert.equal(age.y.label, 'age');
  assert.equal(age.x.label, cor.x);
  const pts = age.series.find((s) => s.type === 'scatter');
  assert.equal(pts?.type === 'scatter' ? pts.points.length : 0, cor.points!.age.length);
  assert.ok(age.series.some((s) => s.type === 'line' && s.label === 'least-squares line'));
});

test('km: step curves, censor ticks at censored times, median lines, numbers at risk aligned to the x ticks', () => {
  const km = results.find((r) => r.kind === 'km') as KmResult;
  const [s] = chartsFor(km, { showCi: true });
  const lines = s.series.filter((x) => x.type === 'line');
  assert.equal(lines.length, km.groups.length);
  assert.ok(lines.every((l) => l.type === 'line' && l.step));
  const ticks = s.series.filter((x) => x.type === 'scatter' && x.marker === 'tick');
  const censored = km.groups.map((g) => g.curve.filter((p) => (p.censored ?? 0) > 0).length);
  assert.deepEqual(ticks.map((t) => (t.type === 'scatter' ? t.points.length : 0)), censored.filter((c) => c > 0));
  assert.equal(s.series.filter((x) => x.type === 'band').length, km.groups.length);
  assert.ok(s.footer);
  assert.deepEqual(s.footer!.rows.map((r) => r.cells.map((c) => Number(c.text))), km.atRisk!.rows.map((r) => r.n));
  const tickValues = new Set(s.x.ticks!.map((t) => t.value));
  for (const t of km.atRisk!.times) assert.ok(tickValues.has(t), `x tick at ${t}`);
  const medians = km.groups.filter((g) => g.median !== null).length;
  assert.equal(s.series.filter((x) => x.type === 'segments' && x.dash).length, medians);
});

test('forest plots: log x axis containing 1, one row per term (intercept dropped for logistic)', () => {
  for (const kind of ['cox', 'logistic'] as const) {
    const r = results.find((x) => x.kind === kind)!;
    const [s] = chartsFor(r);
    assert.equal(s.x.type, 'log');
    const [lo, hi] = axisExtent(s, 'x');
    assert.ok(lo < 1 && hi > 1);
    const terms = r.kind === 'cox' ? r.terms.map((t) => t.term) : r.kind === 'logistic' ? r.terms.filter((t) => t.term !== '(Intercept)').map((t) => t.term) : [];
    assert.deepEqual(s.y.ticks!.map((t) => t.label), terms);
  }
  assert.deepEqual(logTicks(0.3, 7).map((t) => t.value), [0.5, 1, 2, 5]);
});

test('scales: linear and log mapping; data-driven bounds widen to round ticks', () => {
  const lin = makeScale({ label: '' }, [0, 10], 100, 200);
  assert.equal(lin(0), 100); assert.equal(lin(5), 150); assert.equal(lin(10), 200);
  const log = makeScale({ label: '', type: 'log' }, [0.1, 10], 0, 100);
  assertClose(log(1), 50); assertClose(log(10), 100);
  const spec: ChartSpec = { id: 'a', title: 't', width: 400, height: 300, x: { label: 'x' }, y: { label: 'y', min: 0 }, series: [{ type: 'line', colour: 0, points: [{ x: -1.067, y: 0.4173 }, { x: -2.58, y: 0.1 }] }] };
  assert.deepEqual(axisExtent(spec, 'x'), [-3, -1]); // range 1.51 / 6 intervals -> step 0.5
  assert.deepEqual(axisExtent(spec, 'y'), [0, 0.5]); // fixed min kept, max widened to the 0.1 step
});

/** A crude XML well-formedness check: balanced tags, quoted attributes. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    if (m[1]) assert.equal(stack.pop(), m[2], `closing </${m[2]}>`);
    else if (!m[4]) stack.push(m[2]);
  }
  assert.deepEqual(stack, []);
  const stripped = xml.replace(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, '');
  assert.ok(!stripped.includes('<') && !stripped.includes('>'), 'no stray markup in text');
}

test('chartToSvg: a vector SVG of every chart (paths, no embedded bitmap), well formed, text escaped', () => {
  for (const r of results) {
    for (const s of chartsFor(r, { showCi: true })) {
      const svg = chartToSvg(s, theme);
      assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), s.id);
      assert.ok(!svg.includes('<image') && !svg.includes('data:image'), `${s.id}: vector only`);
      assert.ok(/<path|<circle|<rect x=/.test(svg));
      assertWellFormed(svg);
    }
  }
  const evil: ChartSpec = {
    id: 'x"><script>', title: '<img src=x onerror=alert(1)>', width: 300, height: 200, x: { label: 'a & b' }, y: { label: '"y"' },
    series: [{ type: 'scatter', label: '</svg><script>alert(1)</script>', colour: 0, points: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
      { type: 'text', colour: 'fg', texts: [{ x: 1, y: 2, text: '<b>bold</b>' }] }],
  };
  const svg = chartToSvg(evil, theme);
  assert.ok(!svg.includes('<img') && !svg.includes('<script') && !svg.includes('<b>'));
  assert.ok(svg.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assertWellFormed(svg);
  assert.equal(xmlEscape(`<&>"'`), '&lt;&amp;&gt;&quot;&apos;');
});

test('chartToSvg: points land where the scale puts them', () => {
  const spec: ChartSpec = { id: 'p', title: 't', width: 400, height: 300, x: { label: '', min: 0, max: 10 }, y: { label: '', min: 0, max: 1 }, series: [{ type: 'scatter', colour: 0, points: [{ x: 5, y: 0.5 }] }], legend: false };
  const svg = chartToSvg(spec, theme);
  const m = /<circle cx="([\d.]+)" cy="([\d.]+)"/.exec(svg)!;
  // layout: left 70, right 20, top 26 + 8, bottom 48
  assertClose(Number(m[1]), 70 + (400 - 90) / 2, 0, 0.01);
  assertClose(Number(m[2]), 34 + (300 - 48 - 34) / 2, 0, 0.01);
});

test('compare: significance brackets for the post-hoc pairs with p < 0.05, stacked without overlap, inside the y range', () => {
  const report = JSON.parse(fs.readFileSync(fixture('report-baseline', 'invitro-cell-line.report.json'), 'utf8')) as Report;
  const r = report.results.find((x) => x.name === 'anova_mki67') as AnalysisResult & { kind: 'compare' };
  const spec = chartsFor(r)[0];
  const text = spec.series.find((s) => s.type === 'text');
  assert.ok(text && text.type === 'text');
  const sig = r.posthoc!.comparisons.filter((c) => c.p !== null && c.p < 0.05);
  assert.equal(text.texts.length, sig.length, 'one bracket per significant pair');
  assert.deepEqual(text.texts.map((t) => t.text).sort(), sig.map((c) => (c.p! < 0.001 ? '***' : c.p! < 0.01 ? '**' : '*')).sort());
  const segs = spec.series.find((s) => s.type === 'segments' && s.colour === 'fg');
  assert.ok(segs && segs.type === 'segments');
  const bars = segs.segments.filter((s) => s[1] === s[3]); // the horizontal bars
  for (let i = 0; i < bars.length; i++) for (let j = i + 1; j < bars.length; j++) {
    if (bars[i][1] === bars[j][1]) assert.ok(bars[i][2] < bars[j][0] || bars[j][2] < bars[i][0], 'brackets on one tier do not overlap');
  }
  assert.ok(Math.max(...bars.map((b) => b[1])) <= (spec.y.max ?? Infinity));
  // no post-hoc test: no brackets
  const plain = chartsFor({ ...r, posthoc: undefined } as AnalysisResult)[0];
  assert.ok(!plain.series.some((s) => s.type === 'text'));
});

test('charts of a biobank-scale result (300,000 values per group) are drawn, not a stack overflow; the axis spans every value', () => {
  const report = JSON.parse(fs.readFileSync(fixture('report-baseline', 'invitro-cell-line.report.json'), 'utf8')) as Report;
  const r = structuredClone(report.results.find((x) => x.name === 'anova_mki67')) as AnalysisResult & { kind: 'compare' };
  const groups = r.groups!;
  groups.forEach((g, i) => { g.values = Array.from({ length: 300_000 }, (_, k) => i + (k % 1000) / 100); });
  groups[0].values[123_456] = -50;
  const spec = chartsFor(r)[0];
  const [min] = axisExtent(spec, 'y');
  assert.ok(min <= -50, `y axis from ${min}`);
  // every group's points are a sample of MAX_POINTS (thin.test.ts), which keeps each group's extremes
  assert.equal(spec.series.filter((s) => s.type === 'scatter').reduce((n, s) => n + (s.type === 'scatter' ? s.points.length : 0), 0), MAX_POINTS * groups.length);
});
