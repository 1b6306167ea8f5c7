/**
 * The nomogram calculator and layout on a Cox nomogram (src/shared/charts/nomogramCalc.ts), on the tace example's
 * pinned report: survival at a total number of points from the baseline curve agrees with the engine's
 * rms Survival / Quantile arithmetic, and with the survival axes' own ticks (placed by rms's 1000-point approx).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertClose, fixture } from '../helpers';
import type { CalibrateResult, NomogramResult, Report } from '../../../src/shared/report/types';
import { resultTables } from '../../../src/shared/report/kinds';
import { coxSurvivalAt, coxSurvivalQuantile } from '../../../src/engine/stats/coxSurvival';
import { nomogramLayout, nomogramScore, survivalAt } from '../../../src/shared/charts/nomogramCalc';
import { nomogramCharts } from '../../../src/shared/charts/kinds/nomogram';
import { calibrateCharts } from '../../../src/shared/charts/kinds/calibrate';

const report = JSON.parse(fs.readFileSync(fixture('report-baseline', 'tace-exosomal-mirna.report.json'), 'utf8')) as Report;
const nom = report.results.find((r) => r.name === 'nomogram_dss') as NomogramResult;
const cal = report.results.find((r) => r.name === 'calibrate_dss') as CalibrateResult;

test('Cox nomogram: calculator survival = S0(t)^exp(intercept + total / pointsPerUnit), median from Quantile', () => {
  assert.deepEqual(nom.survival!.map((s) => s.label), ['Survival at 12', 'Survival at 36', 'Median survival time']);
  for (const total of [0, 50, 120, 200, 260]) {
    const lp = nom.intercept! + total / nom.pointsPerUnit!;
    const s = survivalAt(nom, total)!;
    assertClose(s[0].value, coxSurvivalAt(nom.baseline!, 12, lp), 1e-12);
    assertClose(s[1].value, coxSurvivalAt(nom.baseline!, 36, lp), 1e-12);
    assert.equal(s[2].value, coxSurvivalQuantile(nom.baseline!, 0.5, lp));
  }
});

test('Cox nomogram: each survival tick is where the calculator gives that survival (rms approx, within 1e-3)', () => {
  for (const [k, axis] of nom.survival!.slice(0, 2).entries()) {
    for (const t of axis.ticks) assertClose(survivalAt(nom, t.points)![k].value, t.value, 0, 1e-3, `${axis.label} ${t.value}`);
  }
});

test('Cox nomogram: a patient score sums the axis points; the layout has a row per survival axis', () => {
  const s = nomogramScore(nom, { cp_b: 'yes (1)', 'dcp > 40': 'yes (1)' });
  const pts = (term: string) => nom.axes.find((a) => a.term === term)!.ticks.find((t) => t.value === 1)!.points;
  assertClose(s.total, pts('cp_b') + pts('dcp > 40'), 1e-12);
  assert.equal(s.probability, null);
  assert.equal(s.survival!.length, 3);
  const rows = nomogramLayout(nom)!.rows.map((r) => r.label);
  assert.deepEqual(rows.slice(-4), ['Total points', 'Survival at 12', 'Survival at 36', 'Median survival time']);
});

test('Cox calibration table: one row per group with KM CI and bias-corrected KM', () => {
  const [t] = resultTables(cal);
  assert.equal(t.id, 'calibration-cox');
  assert.equal(t.rows.length, cal.cox!.groups);
  const r = cal.cox!.rows[0];
  assertClose(r.observedCorrected, (r.observed as number) - (r.optimism as number), 1e-12);
  assertClose(r.apparentError, (r.observed as number) - (r.predicted as number), 1e-12);
  assert.ok((r.lower as number) < (r.observed as number) && (r.observed as number) < (r.upper as number));
});

test('charts: the Cox nomogram draws a row per survival axis; the Cox calibration plots KM vs predicted with CI bars', () => {
  const [n] = nomogramCharts.charts(nom, { score: nomogramScore(nom, {}) });
  assert.match(n.subtitle ?? '', /survival/);
  const [c] = calibrateCharts.charts(cal, {});
  const km = c.series.find((s) => 'label' in s && s.label === 'KM');
  assert.ok(km && km.type === 'scatter');
  assert.deepEqual(km.points.map((p) => [p.x, p.y]), cal.cox!.rows.map((r) => [r.predicted, r.observed]));
  const ci = c.series.find((s) => 'label' in s && s.label === '95% CI');
  assert.ok(ci && ci.type === 'segments' && ci.segments.length === 3);
  assert.ok(c.series.some((s) => 'label' in s && s.label === 'bias-corrected'));
});
