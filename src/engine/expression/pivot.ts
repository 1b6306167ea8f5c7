/**
 * One row per subject. For each target T (and level L of `levelField`, in order of first appearance):
 * `T@L` = expression, `dcq(T@L)` = dCq, `cq(T@L)` = mean Cq; without a level field `T`, `dcq(T)`, `cq(T)`.
 * Reference rows (no dCq) contribute only `cq(...)`. Samples without the key field (or the level field) are left out
 * (`pivot-no-key`, one warning per sample); two samples giving the same subject × target × level keep the first
 * (`pivot-duplicate`, error: the study is ambiguous).
 */
import type { EngineDiagnostic } from '../common/diagnostic';
import { lineRange } from '../common/diagnostic';
import type { SampleExpression, SubjectRow, SubjectTable } from './types';

/** A sample field by name: own keys only (a field named `constructor` is not Object.prototype's). */
const field = (f: Record<string, string>, k: string): string | undefined => (Object.hasOwn(f, k) ? f[k] : undefined);

export function pivotSubjects(samples: SampleExpression[], key: string, levelField?: string): SubjectTable {
  const diagnostics: EngineDiagnostic[] = [];
  const rows = new Map<string, { row: SubjectRow; no: number }>(); // subject → its row and number
  const variables: string[] = [];
  const warned = new Set<string>();
  const isRef = new Map<string, boolean>();
  for (const s of samples) isRef.set(s.target, (isRef.get(s.target) ?? true) && s.reference === true);
  // Variable order: targets in order of appearance, levels in order of appearance.
  const targets: string[] = [];
  const levels: string[] = [];
  for (const s of samples) {
    if (!targets.includes(s.target)) targets.push(s.target);
    const lv = levelField ? field(s.fields, levelField) : undefined;
    if (lv !== undefined && !levels.includes(lv)) levels.push(lv);
  }
  // Each target × level ("combination") is numbered once with its variable names: no string is built per row.
  const name = (t: string, lv?: string) => (lv === undefined ? t : `${t}@${lv}`);
  const comboOf = new Map<string, Map<string | undefined, number>>(); // target → level → combination
  const names: { v: string; dcq: string; cq: string }[] = [];
  for (const t of targets) {
    const byLevel = new Map<string | undefined, number>();
    comboOf.set(t, byLevel);
    for (const lv of levelField ? levels : [undefined]) {
      const v = name(t, lv);
      byLevel.set(lv, names.length);
      names.push({ v, dcq: `dcq(${v})`, cq: `cq(${v})` });
      if (!isRef.get(t)) variables.push(v, `dcq(${v})`);
      variables.push(`cq(${v})`);
    }
  }
  const filled = new Map<number, string>(); // subject number × combinations + combination → sample
  for (const s of samples) {
    const subject = field(s.fields, key);
    const lv = levelField ? field(s.fields, levelField) : undefined;
    const file = s.wells[0]?.file;
    if (subject === undefined || (levelField && lv === undefined)) {
      if (!warned.has(s.sample)) {
        warned.add(s.sample);
        diagnostics.push({ code: 'pivot-no-key', severity: 'warning', message: `Sample "${s.sample}" has no "${subject === undefined ? key : levelField}" field; it is not in the subject table.`, file, range: lineRange(0, 0, 1) });
      }
      continue;
    }
    let at = rows.get(subject);
    if (!at) {
      const values: Record<string, number | null> = Object.create(null) as Record<string, number | null>; // target names as keys
      for (const v of variables) values[v] = null;
      at = { row: { subject, values }, no: rows.size };
      rows.set(subject, at);
    }
    const c = comboOf.get(s.target)!.get(lv)!, n = names[c];
    const k = at.no * names.length + c;
    const first = filled.get(k);
    if (first !== undefined) {
      diagnostics.push({ code: 'pivot-duplicate', severity: 'error', message: `Samples "${first}" and "${s.sample}" both give ${key} ${subject}, ${n.v}; the first is kept.`, file, range: lineRange(0, 0, 1) });
      continue;
    }
    filled.set(k, s.sample);
    const values = at.row.values;
    if (!isRef.get(s.target)) { values[n.v] = s.expression; values[n.dcq] = s.dcq; }
    values[n.cq] = s.cqMean;
  }
  const table: SubjectTable = { key, variables, rows: [...rows.values()].map((x) => x.row), diagnostics };
  if (levelField) table.levelField = levelField;
  return table;
}
