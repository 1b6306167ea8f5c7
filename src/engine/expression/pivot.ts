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
import { firstOfStrings } from '../../shared/pairIndex';

/** A sample field by name: own keys only (a field named `constructor` is not Object.prototype's). */
const field = (f: Record<string, string>, k: string): string | undefined => (Object.hasOwn(f, k) ? f[k] : undefined);

/** The file of a row's first well (for a finding; not read per row). */
const fileOf = (s: SampleExpression): string | undefined => s.wells[0]?.file;

export function pivotSubjects(samples: SampleExpression[], key: string, levelField?: string): SubjectTable {
  const diagnostics: EngineDiagnostic[] = [];
  const rows: SubjectRow[] = [];
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
  const { no, count } = subjectNumbers(samples, key, levelField);
  const filledBy = new Int32Array(count * names.length).fill(-1); // subject × combination → the sample row that filled it
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i], subject = no[i];
    if (subject < 0) {
      if (!warned.has(s.sample)) {
        warned.add(s.sample);
        const missing = field(s.fields, key) === undefined ? key : levelField;
        diagnostics.push({ code: 'pivot-no-key', severity: 'warning', message: `Sample "${s.sample}" has no "${missing}" field; it is not in the subject table.`, file: fileOf(s), range: lineRange(0, 0, 1) });
      }
      continue;
    }
    if (subject === rows.length) rows.push({ subject: field(s.fields, key)!, values: Object.setPrototypeOf({ ...template }, null) as Record<string, number | null> });
    const lv = levelField ? field(s.fields, levelField) : undefined;
    const c = comboOf.get(s.target)!.get(lv)!, n = names[c];
    const k = subject * names.length + c;
    if (filledBy[k] >= 0) {
      diagnostics.push({ code: 'pivot-duplicate', severity: 'error', message: `Samples "${samples[filledBy[k]].sample}" and "${s.sample}" both give ${key} ${rows[subject].subject}, ${n.v}; the first is kept.`, file: fileOf(s), range: lineRange(0, 0, 1) });
      continue;
    }
    filledBy[k] = i;
    const values = rows[subject].values;
    if (!isRef.get(s.target)) { values[n.v] = s.expression; values[n.dcq] = s.dcq; }
    values[n.cq] = s.cqMean;
  }
  const table: SubjectTable = { key, variables, rows, diagnostics };
  if (levelField) table.levelField = levelField;
  return table;
}

/**
 * Each row's subject number (in order of first appearance; -1: the row has no key field, or no level field when
 * there is one), grouped by hash (shared/pairIndex.ts): a biobank study has a million subjects, and a map of them
 * was a second of its pivot.
 */
function subjectNumbers(samples: readonly SampleExpression[], key: string, levelField: string | undefined): { no: Int32Array; count: number } {
  const no = firstOfStrings(samples.length, (i) => {
    const f = samples[i].fields, subject = field(f, key);
    return subject === undefined || (levelField && field(f, levelField) === undefined) ? null : subject;
  });
  let count = 0;
  for (let i = 0; i < no.length; i++) { const f = no[i]; if (f >= 0) no[i] = f === i ? count++ : no[f]; }
  return { no, count };
}
