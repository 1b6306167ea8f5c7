/**
 * `foldchange T1, T2 [by FIELD] [in COHORT] [with plot dot|bar]`: the pipeline's relative quantities with their
 * propagated SE and 95 % CI per sample (expression/propagation.ts) and per group of a sample field.
 */
import { geometricMeanCi } from '../stats/propagation';
import type { SampleExpression } from '../expression';
import type { AnalysisBase, Ident } from '../study/ast';
import type { FoldChangeResult } from '../../shared/report/kinds/foldchange';
import { AnalysisError, optStr, type RunContext } from './common';
import { cohortSamples, targetListSyntax } from './targetList';
import type { AnalysisDefinition, PlanBase } from './types';

/** `foldchange T1, T2 [by FIELD]`. */
export interface FoldChangeAnalysis extends AnalysisBase { analysis: 'foldchange'; targets: Ident[]; by?: Ident }
export type FoldChangePlan = PlanBase & { kind: 'foldchange'; targets: string[]; by?: string };

export const foldchange: AnalysisDefinition<FoldChangeAnalysis, FoldChangePlan> = {
  kind: 'foldchange',
  signature: 'foldchange T1, T2 [by FIELD]',
  doc: '`foldchange T1, T2 [by FIELD] [in COHORT]` — relative quantities (CNRQ with a calibrator, else NRQ) with SE and 95% CI propagated through replicates, reference genes and efficiencies (qbase+), Livak\'s 2^-(ddCq ± s) when E = 2, group geometric means, and a fold-change plot on a log2 axis.',
  options: { plot: { type: 'choice', values: ['dot', 'bar'], doc: 'Fold-change plot: dot with its 95% CI (default) or bar with a ±1 SE error bar.' } },
  role: { kind: 'plain' },
  ...targetListSyntax,
  run: runFoldChange,
  needsPropagation: true,
  example: 'foldchange miR-122, miR-21 by timepoint with plot bar',
};

function runFoldChange(a: FoldChangePlan, name: string, ctx: RunContext): FoldChangeResult {
  const { cohort, samples: all } = cohortSamples(a, ctx);
  const samples = all.filter((s) => !s.reference && a.targets.includes(s.target));
  const refs = ctx.expression.methods.references;
  const known = new Set(ctx.expression.samples.filter((s) => !s.reference).map((s) => s.target));
  for (const t of a.targets) {
    if (refs.includes(t)) throw new AnalysisError(`"${t}" is a reference gene: its fold change is 1 by construction.`, a.range);
    if (!known.has(t)) throw new AnalysisError(`"${t}" is not a target of interest on the plates (targets: ${[...known].join(', ')}).`, a.range);
  }
  const quantity = ctx.expression.methods.calibrators ? 'CNRQ' : 'NRQ';
  const out = samples.filter((s) => s.propagation).map((s) => sampleRow(s, quantity, a.by));
  const groups: FoldChangeResult['groups'] = [];
  if (a.by) for (const t of a.targets) {
    const mine = out.filter((s) => s.target === t && s.value !== null && (s.value as number) > 0);
    for (const g of [...new Set(mine.map((s) => s.group as string))]) {
      const inG = mine.filter((s) => s.group === g);
      const gm = geometricMeanCi(inG.map((s) => s.value as number));
      groups.push(inG.length === 1 ? { target: t, group: g, n: 1, value: inG[0].value, se: inG[0].se, ci: inG[0].ci } : { target: t, group: g, ...gm });
    }
  }
  const warnings = samples.length > out.length ? [`${samples.length - out.length} sample × target row(s) without a normalised value (no Cq for the target or a reference, or no calibrator) are not shown.`] : undefined;
  return { name, kind: 'foldchange', cohort, n: out.length, dropped: samples.length - out.length, quantity, targets: a.targets, ...(a.by ? { by: a.by } : {}), plot: optStr(a, 'plot', ['dot', 'bar'], 'dot') as 'dot' | 'bar', samples: out, groups, ...(warnings ? { warnings } : {}) };
}

function sampleRow(s: SampleExpression, quantity: 'CNRQ' | 'NRQ', by: string | undefined): FoldChangeResult['samples'][number] {
  const p = s.propagation!;
  const value = quantity === 'CNRQ' ? p.cnrq ?? null : p.nrq, se = quantity === 'CNRQ' ? p.cnrqSe ?? null : p.nrqSe;
  return {
    sample: s.sample, target: s.target, ...(by ? { group: s.fields[by] ?? '' } : {}), value, se, ci: value === null ? null : p.ci,
    dcq: s.dcq, ...(quantity === 'CNRQ' ? { ddcq: s.ddcq ?? null } : {}), ...(s.livak ? { livak: s.livak } : {}),
  };
}
