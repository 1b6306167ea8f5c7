/**
 * `absolute T1, T2 [in COHORT]`: absolute quantities of the unknowns from the standard curves, with a 95 % prediction
 * interval by inverse regression and `outside-range` / `below-lod` flags (expression/absolute.ts).
 */
import { sampleAbsolute } from '../expression/absolute';
import type { StandardCurve } from '../expression/types';
import type { AnalysisBase, Ident } from '../study/ast';
import { relativeToStudy } from '../common/studyPaths';
import type { AbsoluteCurve, AbsoluteResult, AbsoluteSampleRow } from '../../shared/report/kinds/absolute';
import { AnalysisError, type RunContext } from './common';
import { cohortSamples, targetListSyntax } from './targetList';
import type { AnalysisChecker, AnalysisCompleter, AnalysisDefinition, PlanBase } from './types';
import { maxOf, minOf } from '../../shared/extent';

/** `absolute T1, T2` (the shared target-list syntax; `by FIELD` is a check error: quantities are per sample). */
export interface AbsoluteAnalysis extends AnalysisBase { analysis: 'absolute'; targets: Ident[]; by?: Ident }
export type AbsolutePlan = PlanBase & { kind: 'absolute'; targets: string[]; by?: string };

export const absolute: AnalysisDefinition<AbsoluteAnalysis, AbsolutePlan> = {
  kind: 'absolute',
  signature: 'absolute T1, T2',
  doc: '`absolute T1, T2 [in COHORT]` — absolute quantities of the unknowns interpolated from the standard curves (the standards\' unit), with a 95% prediction interval by inverse regression, flagged outside the standards\' Cq range or below the limit of detection.',
  options: {},
  role: { kind: 'plain' },
  ...targetListSyntax,
  check(n: AbsoluteAnalysis, c: AnalysisChecker): void {
    for (const t of n.targets) c.target(t);
    if (n.by) c.error('`absolute` reports one quantity per sample: `by` does not apply.', n.by.range);
  },
  complete(c: AnalysisCompleter): void {
    if (c.tokens.length === 1 || c.lastIs(',')) { c.targets(); return; }
    c.keyword('in', 'Cohort'); c.keyword('with', 'Analysis options');
  },
  run: runAbsolute,
  example: 'absolute miR-122, miR-21',
};

function curveSummary(c: StandardCurve, rel: (f: string) => string): AbsoluteCurve {
  const cqs = c.points.map((p) => p.cq);
  return { target: c.target, file: rel(c.file), n: c.n, slope: c.slope, intercept: c.intercept, r2: c.r2,
    cqRange: cqs.length ? [minOf(cqs), maxOf(cqs)] : null, lod: c.lod };
}

function runAbsolute(a: AbsolutePlan, name: string, ctx: RunContext): AbsoluteResult {
  if (a.by) throw new AnalysisError('`absolute` reports one quantity per sample: `by` does not apply.', a.range);
  const { cohort, samples: all } = cohortSamples(a, ctx);
  const rel = relativeToStudy(ctx.studyFile);
  const curves = ctx.expression.standardCurves.filter((c) => a.targets.includes(c.target));
  for (const t of a.targets) {
    if (!curves.some((c) => c.target === t)) throw new AnalysisError(`"${t}" has no standard curve (no standard wells with a quantity for it on the plates).`, a.range);
  }
  // unknowns only: the sample rows that are not the standards themselves
  const stdWells = new Set(curves.flatMap((c) => c.points.map((p) => `${p.well.file}\u0000${p.well.index}`)));
  const samples = all.filter((s) => a.targets.includes(s.target) && !s.wells.some((w) => stdWells.has(`${w.file}\u0000${w.index}`)));
  const rows: AbsoluteSampleRow[] = sampleAbsolute(samples, curves).map((r, i) => ({
    target: r.target, sample: r.sample, curveFile: r.curveFile === null ? null : rel(r.curveFile), cq: samples[i].cqMean, replicates: r.result?.replicates ?? samples[i].nUsed,
    quantity: r.result?.quantity ?? null, log10Se: r.result?.log10Se ?? null, ci: r.result?.ci ?? null, flags: r.result?.flags ?? [],
    ...(r.reason ? { reason: r.reason } : {}),
  }));
  const n = rows.filter((r) => r.quantity !== null).length;
  const warnings = rows.length > n ? [`${rows.length - n} sample × target row(s) without a quantity (no Cq or no usable curve).`] : undefined;
  return { name, kind: 'absolute', cohort, n, dropped: rows.length - n, targets: a.targets, curves: curves.map((c) => curveSummary(c, rel)), samples: rows, ...(warnings ? { warnings } : {}) };
}
