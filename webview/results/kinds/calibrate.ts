/** calibrate: apparent and bias-corrected calibration curves per evaluated cohort, with the ideal diagonal. */
import type { CalibrateResult, CalibrationPoint } from '../../../src/shared/report/types';
import { fmtNum } from '../../../src/shared/report/format';
import type { ChartSpec } from '../chartSpec';
import { finite, type ChartKind } from '../chartKit';

const line = (pts: CalibrationPoint[]) => pts.filter((p) => finite(p.predicted) && finite(p.observed)).map((p) => ({ x: p.predicted, y: p.observed as number }));

export const calibrateCharts: ChartKind<CalibrateResult> = {
  kind: 'calibrate',
  layout: 'charts-first',
  charts: (r) => r.evaluations.map((e) => ({
    id: `calibration-${e.cohort}`, title: `Calibration (${e.cohort})`, subtitle: `B = ${e.B}; mean absolute error ${fmtNum(e.meanAbsoluteError, 3)}`,
    width: 560, height: 500, x: { label: 'Predicted probability', min: 0, max: 1 }, y: { label: 'Observed probability', min: 0, max: 1 },
    series: [
      { type: 'segments', label: 'ideal', colour: 'muted', dash: [4, 4], segments: [[0, 0, 1, 1]] },
      { type: 'line', label: 'apparent', colour: 0, points: line(e.apparent), width: 2, dash: [6, 3] },
      { type: 'line', label: 'bias-corrected', colour: 1, points: line(e.biasCorrected), width: 2 },
    ],
  } satisfies ChartSpec)),
};
