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

/** The file of a row's first well (for a finding; not read per row). */
const fileOf = (s: SampleExpression): string | undefined => s.wells[0]?.file;

export function pivotSubjects(samples: SampleExpression[], key: string, levelField?: string): SubjectTable {
  return pivotIndexed(samples, key, levelField).table;
}

/** `pivotSubjects`, with each subject's row number in `table.rows` (the map the pivot builds anyway). */
export function pivotIndexed(samples: SampleExpression[], key: string, levelField?: string): { table: SubjectTable; rowNo: Map<string, number> } {
  const diagnostics: EngineDiagnostic[] = [];
  const rows: SubjectRow[] = [];
  const rowNo = new Map<string, number>(); // subject → its row's index in `rows`
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
  // A new row's values: a copy of one object with every variable as an own key set to null (own keys, even
  // `__proto__`), then given a null prototype (target names as keys: nothing inherited). It keeps fast properties;
  // an object made with Object.create(null) and filled key by key is a dictionary (about 500 bytes for 7 variables
  // instead of about 100, and several times slower to make).
  const template = Object.fromEntries(variables.map((v) => [v, null])) as Record<string, number | null>;
  const filled: (string | undefined)[] = []; // subject number × combinations + combination → the sample that filled it
  let lastSubject: string | undefined, lastNo = -1;
  for (const s of samples) {
    const subject = field(s.fields, key);
    const lv = levelField ? field(s.fields, levelField) : undefined;
    if (subject === undefined || (levelField && lv === undefined)) {
      if (!warned.has(s.sample)) {
        warned.add(s.sample);
        diagnostics.push({ code: 'pivot-no-key', severity: 'warning', message: `Sample "${s.sample}" has no "${subject === undefined ? key : levelField}" field; it is not in the subject table.`, file: fileOf(s), range: lineRange(0, 0, 1) });
      }
      continue;
    }
    // A sample's rows are consecutive: the subject is looked up when it differs from the previous row's.
    let no = subject === lastSubject ? lastNo : rowNo.get(subject);
    if (no === undefined) {
      no = rows.length;
      rowNo.set(subject, no);
      rows.push({ subject, values: Object.setPrototypeOf({ ...template }, null) as Record<string, number | null> });
    }
    const c = comboOf.get(s.target)!.get(lv)!, n = names[c];
    lastSubject = subject; lastNo = no;
    const k = no * names.length + c;
    const first = filled[k];
    if (first !== undefined) {
      diagnostics.push({ code: 'pivot-duplicate', severity: 'error', message: `Samples "${first}" and "${s.sample}" both give ${key} ${subject}, ${n.v}; the first is kept.`, file: fileOf(s), range: lineRange(0, 0, 1) });
      continue;
    }
    filled[k] = s.sample;
    const values = rows[no].values;
    if (!isRef.get(s.target)) { values[n.v] = s.expression; values[n.dcq] = s.dcq; }
    values[n.cq] = s.cqMean;
  }
  const table: SubjectTable = { key, variables, rows, diagnostics };
  if (levelField) table.levelField = levelField;
  return { table, rowNo };
}
