/**
 * `cq from threshold T | threshold auto | linregpcr` and `efficiency from linregpcr` (issue 20 part 4): Cq and the
 * per-amplicon efficiency from the plates' amplification curves, before the expression step. The analyses are the
 * engine's (src/engine/curves/plateAnalysis.ts); this module only applies them to the study's plates.
 */
import type { EngineDiagnostic } from '../common/diagnostic';
import type { Plate } from '../plate/model';
import { plainWell } from '../plate/wellStore';
import type { MethodsSummary } from '../../shared/report/types';
import { curveCqs, linregEfficiencies, type CurveCqMethod } from '../curves/plateAnalysis';
import { StopRun } from './inputs';
import type { StudyPlan } from './runnerPlan';

export interface CurveStep {
  /** report.json methods.curves; absent when the study uses neither statement. */
  section?: NonNullable<MethodsSummary['curves']>;
  /** LinRegPCR factors and their source per target, for the expression step. */
  efficiency?: { values: Record<string, number>; sources: Record<string, { source: string; se: number | null }> };
  notes: string[];
}

const fmt = (v: number, digits = 4): string => (Number.isFinite(v) ? v.toPrecision(digits) : '—');

function cqMethod(c: NonNullable<StudyPlan['cq']>): CurveCqMethod {
  if (c.method === 'threshold') return { kind: 'threshold', threshold: c.threshold ?? NaN };
  return c.method === 'linregpcr' ? { kind: 'linregpcr' } : { kind: 'threshold-auto' };
}

function cqNote(c: NonNullable<StudyPlan['cq']>): string {
  if (c.method === 'linregpcr') return 'Cq: LinRegPCR (rdmlpython\'s definition, TD0) from the raw amplification curves, not the instrument\'s';
  const t = c.method === 'threshold' ? `threshold ${c.threshold ?? NaN}` : 'an automatic threshold per target (10 × the median baseline SD)';
  return `Cq: cycle at which the baseline-corrected amplification curve (least-squares line over cycles 3–15) crosses ${t}, not the instrument's`;
}

/** A located error at the statement when a plate has no amplification curves. */
function needCurves(plan: StudyPlan, p: Plate, studyFile: string): void {
  if (p.curves?.amplification) return;
  const what = plan.cq ? '`cq from` a curve analysis' : '`efficiency from linregpcr`';
  const range = plan.cq?.range ?? plan.efficiency!.range;
  throw new StopRun([{ code: 'study-no-curves', severity: 'error', file: studyFile, range, message: `${what} needs amplification curves; the plate ${p.file} has none (RDML adp, QuantStudio [Amplification Data]).` }]);
}

/**
 * With `cq from threshold | linregpcr`: replaces every well's Cq of a freshly imported plate by the one called from
 * its curve (no curve or no crossing: no Cq), before the plate's QC. In place: the runner owns the plate.
 */
export function applyCurveCq(plan: StudyPlan, p: Plate, studyFile: string): void {
  if (!plan.cq && !plan.efficiency?.linreg) return;
  needCurves(plan, p, studyFile);
  if (!plan.cq) return;
  const cqs = curveCqs(p, cqMethod(plan.cq));
  p.wells = p.wells.map((w) => {
    const cq = cqs.get(w.index) ?? null;
    return { ...plainWell(w), cq, cqText: cq === null ? '' : String(cq), ...(cq === null ? { noCq: 'empty' as const } : {}) };
  });
}

/** The methods section, notes and LinRegPCR efficiencies for the expression step (after `applyCurveCq` on each plate). */
export function curveAnalyses(plan: StudyPlan, plates: readonly Plate[], studyFile: string, diags: EngineDiagnostic[]): CurveStep {
  const linreg = !!plan.efficiency?.linreg;
  if (!plan.cq && !linreg) return { notes: [] };
  const range = plan.cq?.range ?? plan.efficiency!.range;
  const notes = plan.cq ? [cqNote(plan.cq)] : [];
  const section: NonNullable<MethodsSummary['curves']> = { cq: plan.cq?.method ?? 'instrument' };
  if (plan.cq?.threshold !== undefined) section.threshold = plan.cq.threshold;
  if (!linreg) return { section, notes };
  const effs = linregEfficiencies(plates);
  section.efficiencies = effs.map((e) => ({ target: e.target, mean: Number.isFinite(e.mean) ? e.mean : null, sd: Number.isFinite(e.sd) ? e.sd : null, n: e.n }));
  const values: Record<string, number> = Object.create(null) as Record<string, number>;
  const sources: Record<string, { source: string; se: number | null }> = Object.create(null) as Record<string, { source: string; se: number | null }>;
  for (const e of effs) {
    if (!(e.n > 0)) {
      diags.push({ code: 'study-no-linreg-efficiency', severity: 'warning', file: studyFile, range, message: `LinRegPCR found no reaction of ${e.target} usable for its mean efficiency: 2 is used.` });
      continue;
    }
    values[e.target] = e.mean;
    // SE of the mean from the sample SD (the reported SD is numpy's, ddof 0): sd0 / √(n − 1)
    sources[e.target] = { source: `LinRegPCR mean of ${e.n} reaction${e.n === 1 ? '' : 's'}, SD ${fmt(e.sd, 3)}`, se: e.n > 1 ? e.sd / Math.sqrt(e.n - 1) : null };
  }
  notes.push(`Efficiency: LinRegPCR (Ruijter et al. 2009, as rdmlpython) mean PCR efficiency per amplicon from the raw amplification curves: ${effs.map((e) => `${e.target} ${fmt(e.mean)} (SD ${fmt(e.sd, 3)}, n ${e.n})`).join(', ')}`);
  return { section, efficiency: { values, sources }, notes };
}
