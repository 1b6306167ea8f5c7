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
import type { ExpressionTable } from './table';
import { firstOfStrings } from '../../shared/pairIndex';
import { own } from '../../shared/own';
import { lazyProperty } from '../common/lazyProperty';

/** A sample field by name: own keys only (a field named `constructor` is not Object.prototype's). */
const field = own<string>;

/** What the pivot reads of the rows, by row index: an expression run's table, or rows as objects. */
type PivotRows = Pick<ExpressionTable, 'length' | 'sampleAt' | 'fieldsAt' | 'targetAt' | 'isReferenceAt' | 'cqMeanAt' | 'dcqAt' | 'expressionAt' | 'wellsAt'>;

function objectRows(samples: readonly SampleExpression[]): PivotRows {
  return {
    length: samples.length,
    sampleAt: (i) => samples[i].sample, fieldsAt: (i) => samples[i].fields, targetAt: (i) => samples[i].target,
    isReferenceAt: (i) => samples[i].reference === true, cqMeanAt: (i) => samples[i].cqMean, dcqAt: (i) => samples[i].dcq,
    expressionAt: (i) => samples[i].expression, wellsAt: (i) => samples[i].wells,
  };
}

/**
 * The subject table's variables: per target in order of appearance, per level in order of appearance, T@level,
 * dcq(T@level) and cq(T@level) (a reference target: cq only). Each target × level ("combination") is numbered once
 * with its variable names (`names`) and their indexes in `variables` (`at`; v and dcq -1 for a reference): no string
 * is built per row.
 */
function pivotVariables(rowsIn: PivotRows, levelField: string | undefined) {
  const isRef = new Map<string, boolean>();
  const targets: string[] = [];
  const levels: string[] = [];
  for (let i = 0; i < rowsIn.length; i++) {
    const t = rowsIn.targetAt(i);
    isRef.set(t, (isRef.get(t) ?? true) && rowsIn.isReferenceAt(i));
    if (!targets.includes(t)) targets.push(t);
    const lv = levelField ? field(rowsIn.fieldsAt(i), levelField) : undefined;
    if (lv !== undefined && !levels.includes(lv)) levels.push(lv);
  }
  const variables: string[] = [];
  const comboOf = new Map<string, Map<string | undefined, number>>(); // target → level → combination
  const names: { v: string; dcq: string; cq: string }[] = [];
  const at: { v: number; dcq: number; cq: number }[] = [];
  for (const t of targets) {
    const byLevel = new Map<string | undefined, number>();
    comboOf.set(t, byLevel);
    for (const lv of levelField ? levels : [undefined]) {
      const v = lv === undefined ? t : `${t}@${lv}`;
      byLevel.set(lv, names.length);
      names.push({ v, dcq: `dcq(${v})`, cq: `cq(${v})` });
      const ref = isRef.get(t)!;
      at.push({ v: ref ? -1 : variables.length, dcq: ref ? -1 : variables.length + 1, cq: variables.length + (ref ? 0 : 2) });
      if (!ref) variables.push(v, `dcq(${v})`);
      variables.push(`cq(${v})`);
    }
  }
  return { variables, comboOf, names, at };
}

/** The subject table of an expression run: from its `table` (the row objects are not made) or from rows. */
export function pivotSubjects(source: readonly SampleExpression[] | ExpressionTable, key: string, levelField?: string): SubjectTable {
  const rowsIn: PivotRows = Array.isArray(source) ? objectRows(source) : (source as ExpressionTable);
  const n = rowsIn.length;
  const diagnostics: EngineDiagnostic[] = [];
  const subjects: string[] = [];
  const warned = new Set<string>();
  const { variables, comboOf, names, at } = pivotVariables(rowsIn, levelField);
  const { no, count } = subjectNumbers(rowsIn, key, levelField);
  const columns = variables.map(() => new Float64Array(count).fill(NaN));
  const filledBy = new Int32Array(count * names.length).fill(-1); // subject × combination → the sample row that filled it
  // The file of a row's first well (for a finding; not read per row).
  const fileOf = (i: number): string | undefined => rowsIn.wellsAt(i)[0]?.file;
  for (let i = 0; i < n; i++) {
    const subject = no[i], fields = rowsIn.fieldsAt(i);
    if (subject < 0) {
      const sample = rowsIn.sampleAt(i);
      if (!warned.has(sample)) {
        warned.add(sample);
        const missing = field(fields, key) === undefined ? key : levelField;
        diagnostics.push({ code: 'pivot-no-key', severity: 'warning', message: `Sample "${sample}" has no "${missing}" field; it is not in the subject table.`, file: fileOf(i), range: lineRange(0, 0, 1) });
      }
      continue;
    }
    if (subject === subjects.length) subjects.push(field(fields, key)!);
    const lv = levelField ? field(fields, levelField) : undefined;
    const target = rowsIn.targetAt(i);
    const c = comboOf.get(target)!.get(lv)!, v = names[c];
    const k = subject * names.length + c;
    if (filledBy[k] >= 0) {
      diagnostics.push({ code: 'pivot-duplicate', severity: 'error', message: `Samples "${rowsIn.sampleAt(filledBy[k])}" and "${rowsIn.sampleAt(i)}" both give ${key} ${subjects[subject]}, ${v.v}; the first is kept.`, file: fileOf(i), range: lineRange(0, 0, 1) });
      continue;
    }
    filledBy[k] = i;
    const a = at[c];
    if (a.v >= 0) { columns[a.v][subject] = rowsIn.expressionAt(i) ?? NaN; columns[a.dcq][subject] = rowsIn.dcqAt(i) ?? NaN; }
    columns[a.cq][subject] = rowsIn.cqMeanAt(i) ?? NaN;
  }
  const table = { key, variables, subjects, columns, diagnostics } as Omit<SubjectTable, 'rows'> as SubjectTable;
  if (levelField) table.levelField = levelField;
  attachRows(table, table);
  return table;
}

/**
 * The subjects as objects. Each one's values are a copy of one object with every variable as an own key set to null
 * (own keys, even `__proto__`), then given a null prototype (target names as keys: nothing inherited). It keeps fast
 * properties; an object made with Object.create(null) and filled key by key is a dictionary (about 500 bytes for 7
 * variables instead of about 100, and several times slower to make).
 */
function subjectRows({ variables, subjects, columns }: Pick<SubjectTable, 'variables' | 'subjects' | 'columns'>): SubjectRow[] {
  const template = Object.fromEntries(variables.map((v) => [v, null])) as Record<string, number | null>;
  return subjects.map((subject, k) => {
    const values = Object.setPrototypeOf({ ...template }, null) as Record<string, number | null>;
    for (let j = 0; j < variables.length; j++) { const x = columns[j][k]; if (!Number.isNaN(x)) values[variables[j]] = x; }
    return { subject, values };
  });
}

const attachRows = lazyProperty<SubjectRow[], Pick<SubjectTable, 'variables' | 'subjects' | 'columns'>>('rows', subjectRows);

/**
 * Each row's subject number (in order of first appearance; -1: the row has no key field, or no level field when
 * there is one), grouped by hash (shared/pairIndex.ts): a biobank study has a million subjects, and a map of them
 * was a second of its pivot.
 */
function subjectNumbers(rows: PivotRows, key: string, levelField: string | undefined): { no: Int32Array; count: number } {
  const no = firstOfStrings(rows.length, (i) => {
    const f = rows.fieldsAt(i), subject = field(f, key);
    return subject === undefined || (levelField && field(f, levelField) === undefined) ? null : subject;
  });
  let count = 0;
  for (let i = 0; i < no.length; i++) { const f = no[i]; if (f >= 0) no[i] = f === i ? count++ : no[f]; }
  return { no, count };
}
