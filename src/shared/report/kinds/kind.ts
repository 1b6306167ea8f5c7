/** The contract side of one analysis kind: its name (the `kind` of its results) and its tables. */
import type { ResultBase } from '../base';
import type { DataTable } from '../format';

export interface ReportKind<R extends ResultBase> {
  /** The `kind` field of this kind's results in report.json. */
  kind: R['kind'];
  /** The tables of a result, in display order (DOM, CSV, Markdown, the CLI's fallback page). */
  tables(r: R): DataTable[];
}

/** The result type of a kind definition. */
export type ResultOf<K> = K extends ReportKind<infer R> ? R : never;
