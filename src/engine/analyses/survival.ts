/** Shared by the time-to-event analyses (km, cox): the outcome of a plan and its time / event columns. */
import type { Range } from '../common/diagnostic';
import { EvalError, exprText, type Evaluator } from '../study/eval';
import type { RunContext } from './common';
import type { PlanBase, PlanOutcome } from './types';

export function outcomeOf(a: PlanBase & { outcome: string; outcomeRange?: Range }, ctx: RunContext): PlanOutcome {
  const o = ctx.outcomes.get(a.outcome);
  if (!o) {
    const known = [...ctx.outcomes.keys()];
    throw new EvalError(`Unknown outcome "${a.outcome}"${known.length ? ` (outcomes: ${known.join(', ')})` : '; define it with `outcome NAME = time T event E`'}.`, a.outcomeRange ?? a.range);
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

/**
 * The unit of an outcome's time, from the name of its time column: a last word days, weeks, months or years
 * (`dss_months`, `os.days`, `follow_up_years`, `months`), else undefined (an expression such as `t / 30` has none).
 */
export function timeUnitOf(o: PlanOutcome): string | undefined {
  if (o.time.kind !== 'name') return undefined;
  const m = /(?:^|[_.\s-])(day|week|month|year)s?$/i.exec(o.time.name);
  return m ? `${m[1].toLowerCase()}s` : undefined;
}
