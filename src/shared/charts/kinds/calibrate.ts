/**
 * calibrate: apparent and bias-corrected calibration curves per evaluated cohort, with the ideal diagonal; for a Cox
 * model, mean predicted vs Kaplan–Meier survival per group at the time point with the KM 95% CIs and the
 * bias-corrected points.
 */
import type { CalibrateResult, CalibrationPoint, CoxCalibration } from '../../report/types';
import { fmtNum } from '../../report/format';
import type { ChartSpec } from '../chartSpec';
import { finite, type ChartKind } from '../chartKit';

const line = (pts: CalibrationPoint[]) => pts.filter((p) => finite(p.predicted) && finite(p.observed)).map((p) => ({ x: p.predicted, y: p.observed as number }));

function coxChart(c: CoxCalibration): ChartSpec {
  const ok = c.rows.filter((r) => finite(r.predicted) && finite(r.observed));
  const pts = ok.map((r) => ({ x: r.predicted as number, y: r.observed as number }));
  const corrected = c.rows.filter((r) => finite(r.predicted) && finite(r.observedCorrected)).map((r) => ({ x: r.predicted as number, y: r.observedCorrected as number }));
  const bars = ok.filter((r) => finite(r.lower) && finite(r.upper)).map((r): [number, number, number, number] => [r.predicted as number, r.lower as number, r.predicted as number, r.upper as number]);
  return {
    id: `calibration-cox-${c.cohort}`, title: `Calibration at ${c.time} (${c.cohort})`,
    subtitle: `${c.groups} groups of predicted survival; Kaplan–Meier with 95% CI; B = ${c.B}`,
    width: 560, height: 500, x: { label: `Predicted survival at ${c.time}`, min: 0, max: 1 }, y: { label: `Observed (Kaplan–Meier) survival at ${c.time}`, min: 0, max: 1 },
    series: [
      { type: 'segments', label: 'ideal', colour: 'muted', dash: [4, 4], segments: [[0, 0, 1, 1]] },
      { type: 'segments', label: '95% CI', colour: 0, segments: bars, width: 1 },
      { type: 'line', label: 'apparent (KM)', colour: 0, points: pts, width: 2, dash: [6, 3] },
      { type: 'scatter', label: 'KM', colour: 0, points: pts, marker: 'circle', size: 5 },
      ...(corrected.length ? [{ type: 'scatter' as const, label: 'bias-corrected', colour: 1, points: corrected, marker: 'diamond' as const, size: 6 }] : []),
    ],
  };
}

export const calibrateCharts: ChartKind<CalibrateResult> = {
  kind: 'calibrate',
  layout: 'charts-first',
  charts: (r) => [
    ...(r.cox ? [coxChart(r.cox)] : []),
    ...r.evaluations.map((e) => ({
      id: `calibration-${e.cohort}`, title: `Calibration (${e.cohort})`, subtitle: `B = ${e.B}; mean absolute error ${fmtNum(e.meanAbsoluteError, 3)}`,
      width: 560, height: 500, x: { label: 'Predicted probability', min: 0, max: 1 }, y: { label: 'Observed probability', min: 0, max: 1 },
      series: [
        { type: 'segments', label: 'ideal', colour: 'muted', dash: [4, 4], segments: [[0, 0, 1, 1]] },
        { type: 'line', label: 'apparent', colour: 0, points: line(e.apparent), width: 2, dash: [6, 3] },
        { type: 'line', label: 'bias-corrected', colour: 1, points: line(e.biasCorrected), width: 2 },
      ],
    } satisfies ChartSpec)),
  ],
};
