/** Survival analyses of a study: Kaplan-Meier with log-rank, Cox regression (multivariate or univariate). */
import type { EvalExpr } from '../study/eval';
import { EvalError, Evaluator, exprText } from '../study/eval';
import { kaplanMeier, numbersAtRisk } from '../stats/km';
import { logrank } from '../stats/logrank';
import type { PlanAnalysis, PlanOutcome } from '../study/runnerPlan';
import { AnalysisError, completeIdx, optList, singleCohort, type RunContext } from './build';
import type { CoxResult, KmGroup, KmResult } from '../../shared/report/types';
import { buildCoxModel } from './buildCox';

export function outcomeOf(a: PlanAnalysis & { outcome: string; outcomeRange?: unknown }, ctx: RunContext): PlanOutcome {
  const o = ctx.outcomes.get(a.outcome);
  if (!o) {
    const known = [...ctx.outcomes.keys()];
    throw new EvalError(`Unknown outcome "${a.outcome}"${known.length ? ` (outcomes: ${known.join(', ')})` : '; define it with `outcome NAME = time T event E`'}.`, (a as { outcomeRange?: EvalExpr['range'] }).outcomeRange ?? a.range);
  }
  return o;
}

/** Time and 0/1 event columns of an outcome over `ev`'s rows. */
export function survivalColumns(o: PlanOutcome, ev: Evaluator): { time: (number | null)[]; event: (number | null)[] } {
  const time = ev.numeric(o.time, `The time of outcome ${o.name}`);
  const ec = ev.eval(o.event);
  if (ec.type !== 'numeric') {
    throw new EvalError(`The event of outcome ${o.name} ("${exprText(o.event)}") is categorical; write it as a comparison, e.g. ${exprText(o.event)} == ${JSON.stringify(ec.levels?.[ec.levels.length - 1] ?? 'dead')}.`, o.event.range);
  }
  const event = ec.values as (number | null)[];
  for (const v of event) if (v !== null && v !== 0 && v !== 1) throw new EvalError(`The event of outcome ${o.name} must be 0/1 (found ${v}).`, o.event.range);
  for (const t of time) if (t !== null && t < 0) throw new EvalError(`The time of outcome ${o.name} is negative (${t}).`, o.time.range);
  return { time, event };
}

export function buildKm(a: Extract<PlanAnalysis, { kind: 'km' }>, name: string, ctx: RunContext): KmResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const o = outcomeOf(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const { time, event } = survivalColumns(o, ev);
  const g = a.by ? ev.eval(a.by) : null;
  const idx = completeIdx(g ? [{ values: time }, { values: event }, g] : [{ values: time }, { values: event }], rows.length);
  if (idx.length === 0) throw new AnalysisError(`No complete rows for outcome ${o.name}${a.by ? ` by ${exprText(a.by)}` : ''} in cohort ${cohort}.`, a.range);
  const labels: string[] = g
    ? (g.type === 'categorical' ? (g.levels ?? []).filter((l) => idx.some((i) => g.values[i] === l)) : [...new Set(idx.map((i) => g.values[i] as number))].sort((x, y) => x - y).map(String))
    : ['all'];
  const labelOf = (i: number) => (g ? String(g.values[i]) : 'all');
  const times = optList(a, 'at');
  const groups: KmGroup[] = [];
  const atRiskRows: { label: string; n: number[] }[] = [];
  for (const l of labels) {
    const ix = idx.filter((i) => labelOf(i) === l);
    const fit = kaplanMeier(ix.map((i) => time[i] as number), ix.map((i) => event[i] as number));
    groups.push({ label: g ? `${exprText(a.by!)}=${l}` : 'all', n: fit.n, events: fit.events, median: fit.median, medianCi: fit.medianCi, curve: fit.curve });
    if (times) atRiskRows.push({ label: groups[groups.length - 1].label, n: numbersAtRisk(fit, times) });
  }
  let lr: KmResult['logrank'] = null;
  const warnings: string[] = [];
  if (g && labels.length >= 2) {
    try {
      const r = logrank(idx.map((i) => time[i] as number), idx.map((i) => event[i] as number), idx.map((i) => labelOf(i)));
      lr = { chisq: r.chisq, df: r.df, p: r.p };
    } catch (e) {
      // e.g. every subject censored: survdiff has nothing to test. The curves are still reported.
      warnings.push(`No log-rank test: ${(e as Error).message}`);
    }
  } else if (g) warnings.push(`Only one group of ${exprText(a.by!)} in the rows used: no log-rank test.`);
  const res: KmResult = { name, kind: 'km', cohort, n: idx.length, dropped: rows.length - idx.length, groups, logrank: lr };
  if (times) res.atRisk = { times, rows: atRiskRows };
  if (warnings.length) res.warnings = warnings;
  return res;
}

export function buildCox(a: Extract<PlanAnalysis, { kind: 'cox' }>, name: string, ctx: RunContext): CoxResult {
  return buildCoxModel(a, name, ctx);
}
