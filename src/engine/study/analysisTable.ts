/**
 * The tidy analysis dataset of a run (`RunOutcome.data.table` with `keepData`): one row per subject, one column per
 * expression the analyses used (model terms, outcomes, groups, markers ... evaluated as the analyses evaluate them),
 * and the cohorts as row lists. The R-script export writes it as CSV so a reviewer can recompute every analysis.
 *
 * Conventions: a column is named by the expression's text as written (`miR-21 > 2.0`, `log10(miR-122@pre)`); an
 * expression whose values depend on the rows it is evaluated over (an aggregate: `x > median(x)`) and differ between
 * two cohorts gets one column per cohort, named `TEXT [COHORT]`. A labelled model's terms are evaluated over every
 * subject with the fitting cohort's aggregates (as the analyses that use the model in another cohort do). A `rcs(x, k)`
 * term contributes its variable x (path `.x`). An expression that cannot be evaluated on its own is left out.
 */
import { analysisDefinition, type PlanAnalysis, type RunContext } from '../analyses';
import { splineOf } from '../analyses/design';
import { Evaluator, exprText, type EvalExpr, type Value } from './eval';

export interface TableColumn { name: string; type: 'numeric' | 'categorical'; values: Value[]; levels?: string[] }

/** Where one analysis's expressions are in the table: plan path (`terms.0`, `outcome.time`, `by`) → column name. */
export interface TableAnalysis {
  name: string; kind: string; line: number; cohorts: string[]; vars: Record<string, string>;
  /** `rcs(x, k)` terms: the term's path (`terms.0`) → k (its variable is at `terms.0.x`). */
  splines?: Record<string, number>;
}

export interface AnalysisTable {
  /** The subjects (the table's key column), in the runner's order. */
  subjects: string[];
  keyField: string;
  columns: TableColumn[];
  /** Every cohort (`all`, `cohort` lines, split parts) as row indices into `subjects`. */
  cohorts: { name: string; rows: number[] }[];
  analyses: TableAnalysis[];
}

const EXPR_KINDS = new Set(['num', 'str', 'name', 'unary', 'binary', 'call']);
const SKIP_KEYS = new Set(['range', 'cohortRanges', 'optionRanges', 'options', 'outcomeRange', 'modelRange', 'title', 'label', 'cohorts', 'kind']);

function isExpr(v: unknown): v is EvalExpr {
  const o = v as { kind?: unknown };
  return typeof v === 'object' && v !== null && typeof o.kind === 'string' && EXPR_KINDS.has(o.kind) && ('value' in o || 'name' in o || 'op' in o || 'fn' in o);
}

/**
 * The expressions of a plan, by path (arrays by index; an outcome name resolved to its time and event); a spline
 * term gives its variable at `PATH.x` and its number of knots.
 */
export function planExprs(a: PlanAnalysis, ctx: Pick<RunContext, 'outcomes'>): [string, EvalExpr, number?][] {
  const out: [string, EvalExpr, number?][] = [];
  const walk = (v: unknown, path: string): void => {
    if (isExpr(v)) {
      const sp = splineOf(v);
      if (sp) out.push([`${path}.x`, sp.x, sp.k]);
      else out.push([path, v]);
    } else if (Array.isArray(v)) v.forEach((x, k) => walk(x, path ? `${path}.${k}` : String(k)));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) if (!SKIP_KEYS.has(k)) walk(x, path ? `${path}.${k}` : k);
    }
  };
  walk(a, '');
  const outcome = (a as { outcome?: unknown }).outcome;
  const o = typeof outcome === 'string' ? ctx.outcomes.get(outcome) : undefined;
  if (o) out.push(['outcome.time', o.time], ['outcome.event', o.event]);
  return out;
}

/** Builds the table of the analyses that ran (`names[k]` is the k-th planned analysis's name, undefined if not run). */
export function analysisTable(analyses: readonly PlanAnalysis[], names: readonly (string | undefined)[], ctx: RunContext): AnalysisTable {
  const all = ctx.cohorts.get('all') ?? ctx.subjects.map((_, i) => i);
  const columns: TableColumn[] = [];
  const keyField = ctx.keyField ?? 'subject';
  const put = (text: string, rows: number[], col: { type: 'numeric' | 'categorical'; values: Value[]; levels?: string[] }, cohort: string): string => {
    for (let k = 0; ; k++) {
      const name = k === 0 ? text : k === 1 ? `${text} [${cohort}]` : `${text} [${cohort}] (${k})`;
      // the key and the cohort flags keep their names
      if (name === keyField || name.startsWith('cohort:')) continue;
      const have = columns.find((c) => c.name === name);
      if (!have) {
        const values: Value[] = ctx.subjects.map(() => null);
        rows.forEach((i, j) => { values[i] = col.values[j]; });
        columns.push({ name, type: col.type, values, ...(col.levels ? { levels: col.levels } : {}) });
        return name;
      }
      const fits = have.type === col.type && rows.every((i, j) => have.values[i] === null || have.values[i] === col.values[j]);
      if (fits) {
        rows.forEach((i, j) => { if (have.values[i] === null) have.values[i] = col.values[j]; });
        if (col.levels && have.levels) have.levels = [...have.levels, ...col.levels.filter((l) => !have.levels!.includes(l))];
        return name;
      }
    }
  };
  const out: TableAnalysis[] = [];
  analyses.forEach((a, k) => {
    const name = names[k];
    if (name === undefined) return;
    const cohorts = a.cohorts.length ? a.cohorts : ['all'];
    const model = analysisDefinition(a.kind).role.kind === 'model';
    const vars: Record<string, string> = {};
    const splines: Record<string, number> = {};
    for (const [path, e, knots] of planExprs(a, ctx)) {
      if (knots !== undefined) splines[path.slice(0, -2)] = knots;
      const evals = model ? [{ cohort: cohorts[0], rows: all, agg: ctx.cohorts.get(cohorts[0]) ?? all }]
        : cohorts.map((c) => ({ cohort: c, rows: ctx.cohorts.get(c) ?? [], agg: undefined }));
      try {
        for (const ev of evals) vars[path] = put(exprText(e), ev.rows, new Evaluator(ctx.scope, ev.rows, ev.agg).eval(e), ev.cohort);
      } catch { /* not a column on its own (e.g. `cutpoint(x)` handled by its analysis): left out */ }
    }
    out.push({ name, kind: a.kind, line: a.range.start.line + 1, cohorts, vars, ...(Object.keys(splines).length ? { splines } : {}) });
  });
  return {
    subjects: ctx.subjects, keyField, columns,
    cohorts: [...ctx.cohorts].map(([name, rows]) => ({ name, rows })), analyses: out,
  };
}
