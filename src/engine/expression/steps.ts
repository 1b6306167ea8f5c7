/** The report's step table (src/shared/report/steps.ts) from a pipeline run with `ExpressionOptions.steps`. */
import type { StepRow, StepsSection } from '../../shared/report/steps';
import type { ExpressionResult, SampleExpression } from './types';

export function expressionSteps(result: ExpressionResult): StepsSection {
  const refs = result.methods.references;
  const calibrated = result.methods.calibrators !== undefined;
  const E = new Map(result.efficiencies.map((e) => [e.target, e.value] as const));
  const eOf = (t: string) => E.get(t) ?? 2;
  // The rows with a step table (the first few thousand groups), and the reference rows of their samples, made from
  // the table: the other rows (a million on a biobank plate) are not made.
  const table = result.table, recorded: SampleExpression[] = [];
  for (let i = 0; i < table.length; i++) if (table.hasStepsAt(i)) recorded.push(table.row(i));
  const wanted = new Set(recorded.filter((s) => !s.reference).map((s) => s.sample));
  const refRow = new Map<string, { cqMean: number | null }>();
  for (let i = 0; i < table.length; i++) {
    if (table.isReferenceAt(i) && wanted.has(table.sampleAt(i))) refRow.set(`${table.sampleAt(i)}\u0000${table.targetAt(i)}`, { cqMean: table.cqMeanAt(i) });
  }
  const rows = recorded.map((s): StepRow => {
    const row: StepRow = {
      sample: s.sample, target: s.target, ...(s.reference ? { reference: true } : {}),
      replicates: (s.replicates ?? []).map((r) => ({ ...r })), nUsed: s.nUsed, nTotal: s.nTotal, cqMean: s.cqMean, cqSd: s.cqSd, efficiency: eOf(s.target),
    };
    if (s.reference) return row;
    row.refs = refs.map((r) => ({ target: r, cqMean: refRow.get(`${s.sample}\u0000${r}`)?.cqMean ?? null, efficiency: eOf(r) }));
    row.refCq = s.refCq;
    row.dcq = s.dcq;
    if (calibrated) {
      row.ddcq = s.ddcq ?? null;
      row.calibratorDcq = s.dcq !== null && s.ddcq !== undefined && s.ddcq !== null ? s.dcq - s.ddcq : null;
    }
    row.quantity = s.expression;
    return row;
  });
  const pfaffl = result.efficiencies.some((e) => e.value !== 2);
  const formula = pfaffl
    ? `Quantity = E^-Cq of the target / geometric mean over the references of E_ref^-Cq_ref${calibrated ? ', divided by the geometric mean of the same ratio over the calibrator samples' : ''} (Pfaffl; E per gene in the E columns).`
    : `Quantity = 2^-${calibrated ? 'ddCq' : 'dCq'}; dCq = mean Cq − Ref Cq (the mean of the references' mean Cqs)${calibrated ? '; ddCq = dCq − Calibrator dCq (the calibrator samples\' mean dCq)' : ''}.`;
  return { references: refs, calibrated, total: table.length, formula: `${formula} Excluded: instrument-omit, no-cq / late-cq (non-detect policy; late-cq = Cq above qc max-cq), outlier-grubbs, outlier-distance.`, rows };
}
