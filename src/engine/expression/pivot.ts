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
  const rows = new Map<string, SubjectRow>();
  const variables: string[] = [];
  const filled = new Map<string, string>(); // subject\0target@level → sample
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
  const name = (t: string, lv?: string) => (lv === undefined ? t : `${t}@${lv}`);
  for (const t of targets) for (const lv of levelField ? levels : [undefined]) {
    const v = name(t, lv);
    if (!isRef.get(t)) variables.push(v, `dcq(${v})`);
    variables.push(`cq(${v})`);
  }
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
    if (!rows.has(subject)) {
      const values: Record<string, number | null> = Object.create(null) as Record<string, number | null>; // target names as keys
      for (const v of variables) values[v] = null;
      rows.set(subject, { subject, values });
    }
    const v = name(s.target, lv);
    const k = `${subject}\u0000${v}`;
    if (filled.has(k)) {
      diagnostics.push({ code: 'pivot-duplicate', severity: 'error', message: `Samples "${filled.get(k)}" and "${s.sample}" both give ${key} ${subject}, ${v}; the first is kept.`, file, range: lineRange(0, 0, 1) });
      continue;
    }
    filled.set(k, s.sample);
    const row = rows.get(subject)!;
    if (!isRef.get(s.target)) { row.values[v] = s.expression; row.values[`dcq(${v})`] = s.dcq; }
    row.values[`cq(${v})`] = s.cqMean;
  }
  const table: SubjectTable = { key, variables, rows: [...rows.values()], diagnostics };
  if (levelField) table.levelField = levelField;
  return table;
}
