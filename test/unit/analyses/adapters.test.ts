import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readGolden } from '../helpers';
import { logisticRegression } from '../../../src/engine/stats/logistic';
import { toLogisticTerms } from '../../../src/engine/analyses/logistic';
import { hosmerLemeshow } from '../../../src/engine/stats/hosmer';
import { toHosmerLemeshowEvaluation } from '../../../src/engine/analyses/hosmerLemeshow';
import { decisionCurve } from '../../../src/engine/stats/dca';
import { toDcaEvaluation } from '../../../src/engine/analyses/dca';
import { calibrateExternal } from '../../../src/engine/stats/calibrate';
import { toCalibrateEvaluation } from '../../../src/engine/analyses/calibrate';
import { nomogram } from '../../../src/engine/stats/nomogram';
import { toNomogramFields } from '../../../src/engine/analyses/nomogram';

const g = readGolden('models.json');
const m4 = g.birthwt4;

test('report.json adapters carry the computed numbers into the contract shapes', () => {
  const m = logisticRegression(m4.y, m4.X.map((r: number[]) => r.slice(1)), m4.names.slice(1), { ci: 'profile' });
  const terms = toLogisticTerms(m);
  assert.deepEqual(terms.map((t) => t.term), m4.names);
  assert.deepEqual(terms[1].ci, m.terms[1].ciProfile);
  assert.deepEqual(Object.keys(terms[0]).sort(), ['ci', 'coef', 'or', 'p', 'se', 'term', 'wald']);

  const h = toHosmerLemeshowEvaluation(hosmerLemeshow(m4.y, m4.fitted), 'train');
  assert.equal(h.cohort, 'train');
  assert.equal(h.table!.length, 10);
  assert.equal(h.df, 8);

  const d = toDcaEvaluation(decisionCurve(m4.y, m4.fitted, [0.1, 0.2]), 'validation');
  assert.deepEqual(d.thresholds, [0.1, 0.2]);
  assert.deepEqual(d.none, [0, 0]);

  const c = toCalibrateEvaluation(calibrateExternal(m4.y, m4.fitted), 'validation');
  assert.equal(c.B, 0);
  assert.equal(c.apparent.length, 50);
  assert.equal(c.seed, undefined);
  assert.equal(c.apparent[0].observed, c.biasCorrected[0].observed);

  const n = toNomogramFields(nomogram(m, [{ term: 'age', min: 14, max: 45 }, { term: 'lwt', min: 80, max: 250 }, { term: 'smoke', discrete: [0, 1] }, { term: 'ht', discrete: [0, 1] }]));
  assert.equal(n.axes.length, 4);
  assert.ok(Math.abs(n.axes[1].ticks[0].points - 100) < 1e-12);
  assert.equal(n.terms!.length, 4);
  assert.doesNotThrow(() => JSON.stringify({ terms, h, d, c, n }));
});
