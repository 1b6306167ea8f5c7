/**
 * Charts of `linear` (coefficient plot / scatter with fitted line) and of compare's ANCOVA (adjusted means), on the
 * sorafenib baseline report.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import type { CompareResult, LinearResult, Report } from '../../../src/shared/report/types';
import { axisExtent, OKABE_ITO_LIGHT, type ThemeColours } from '../../../src/shared/charts/chartSpec';
import { chartsFor } from '../../../src/shared/charts/specs';
import { chartToSvg } from '../../../src/shared/charts/svg';

const report = JSON.parse(fs.readFileSync(fixture('report-baseline', 'sorafenib-mir221.report.json'), 'utf8')) as Report;
const byName = <T>(n: string) => report.results.find((r) => r.name === n) as T;
const theme: ThemeColours = { fg: '#1f1f1f', muted: '#616161', grid: '#e0e0e0', bg: '#ffffff', palette: OKABE_ITO_LIGHT, font: 'sans-serif', lineScale: 1 };

test('linear with several terms: a coefficient plot (no intercept) whose x range covers every CI and 0', () => {
  const r = byName<LinearResult>('mir221_age');
  const [spec] = chartsFor(r, { showCi: true });
  assert.equal(spec.id, 'coefficients');
  assert.deepEqual(spec.y.ticks!.map((t) => t.label), ['age', 'sex[M]']);
  const [lo, hi] = axisExtent(spec, 'x');
  for (const t of r.terms.slice(1)) assert.ok(lo <= (t.ci[0] as number) && (t.ci[1] as number) <= hi && lo < 0 && hi > 0);
  assert.match(chartToSvg(spec, theme), /<svg/);
});

test('linear with one numeric predictor: the scatter of the points and the fitted line from the coefficients', () => {
  const base = byName<LinearResult>('mir221_age');
  const r: LinearResult = { ...base, terms: base.terms.slice(0, 2), predictor: 'age', points: [{ id: 'a', x: 40, y: 8 }, { id: 'b', x: 80, y: 7 }] };
  const [spec] = chartsFor(r, { showCi: true });
  assert.equal(spec.id, 'fit');
  const line = spec.series.find((s) => s.type === 'line');
  assert.ok(line && line.type === 'line');
  assert.deepEqual(line.points.map((p) => p.y), [40, 80].map((x) => (base.terms[0].coef as number) + (base.terms[1].coef as number) * x));
});

test('compare with adjusting: the adjusted means with their CI beside the group boxes', () => {
  const r = byName<CompareResult>('pre_by_response_adj');
  const [spec] = chartsFor(r, { showCi: true });
  const means = spec.series.find((s) => s.type === 'scatter' && s.label === 'adjusted mean (CI)');
  assert.ok(means && means.type === 'scatter');
  assert.deepEqual(means.points.map((p) => p.y), r.ancova!.means.map((m) => m.mean));
});
