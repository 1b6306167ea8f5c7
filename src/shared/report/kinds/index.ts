/**
 * The one registry of analysis kinds on the contract side. `REPORT_KINDS` is the list; the kind names, the
 * `AnalysisResult` union and the tables dispatch are derived from it. A new kind: kinds/<kind>.ts (its result type
 * and its tables) and one entry here. A result whose kind is not listed has no tables: `resultTables` says so
 * (an error naming the kind), it never falls back to another kind's tables.
 */
import type { DataTable } from '../format';
import type { ReportKind, ResultOf } from './kind';
import { calibrateKind } from './calibrate';
import { compareKind } from './compare';
import { compareModelsKind } from './compare-models';
import { correlateKind } from './correlate';
import { coxKind } from './cox';
import { dcaKind } from './dca';
import { describeKind } from './describe';
import { hosmerLemeshowKind } from './hosmer-lemeshow';
import { kmKind } from './km';
import { linearKind } from './linear';
import { logisticKind } from './logistic';
import { nomogramKind } from './nomogram';
import { rocKind } from './roc';
import { stabilityKind } from './stability';
import { validateKind } from './validate';
import { foldchangeKind } from './foldchange';
import { absoluteKind } from './absolute';
import { forestKind } from './forest';

/** Every kind, in the order the study language documents them. */
export const REPORT_KINDS = [
  describeKind, compareKind, correlateKind, kmKind, coxKind, logisticKind, nomogramKind, rocKind,
  calibrateKind, hosmerLemeshowKind, dcaKind, stabilityKind, validateKind, linearKind, compareModelsKind, foldchangeKind,
  absoluteKind, forestKind,
] as const;

/** Any successful result in report.json. */
export type AnalysisResult = ResultOf<(typeof REPORT_KINDS)[number]>;
/** The `kind` of a result. */
export type ResultKind = AnalysisResult['kind'];

/** The kind names, in registry order. */
export const RESULT_KINDS: readonly ResultKind[] = REPORT_KINDS.map((k) => k.kind);

const byKind = new Map<string, ReportKind<AnalysisResult>>(REPORT_KINDS.map((k) => [k.kind, k as unknown as ReportKind<AnalysisResult>]));

/** True for a kind this build knows (report.json from another version may have others). */
export function isKnownKind(kind: string): kind is ResultKind {
  return byKind.has(kind);
}

/** The tables of a result, in display order; an unknown kind is an error naming it. */
export function resultTables(r: AnalysisResult): DataTable[] {
  const def = byKind.get(r.kind);
  if (!def) throw new Error(`no tables for kind ${JSON.stringify(r.kind)}`);
  return def.tables(r);
}
