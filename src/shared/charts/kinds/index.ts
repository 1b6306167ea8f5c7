/**
 * The one registry of analysis kinds on the webview side: the charts and layout of each kind. It names the same
 * kinds as the contract's registry (src/shared/report/kinds/index.ts): the compiler rejects a kind of the
 * contract without an entry here, and a test checks both lists. A new kind: kinds/<kind>.ts and one entry here.
 */
import type { AnalysisResult, ResultKind } from '../../report/types';
import type { ChartKind } from '../chartKit';
import { calibrateCharts } from './calibrate';
import { compareCharts } from './compare';
import { compareModelsCharts } from './compare-models';
import { correlateCharts } from './correlate';
import { coxCharts } from './cox';
import { dcaCharts } from './dca';
import { describeCharts } from './describe';
import { hosmerLemeshowCharts } from './hosmer-lemeshow';
import { kmCharts } from './km';
import { linearCharts } from './linear';
import { logisticCharts } from './logistic';
import { nomogramCharts } from './nomogram';
import { rocCharts } from './roc';
import { stabilityCharts } from './stability';
import { validateCharts } from './validate';
import { foldchangeCharts } from './foldchange';
import { absoluteCharts } from './absolute';
import { forestCharts } from './forest';

export const CHART_KINDS = [
  describeCharts, compareCharts, correlateCharts, kmCharts, coxCharts, logisticCharts, nomogramCharts, rocCharts,
  calibrateCharts, hosmerLemeshowCharts, dcaCharts, stabilityCharts, validateCharts, linearCharts, compareModelsCharts, foldchangeCharts,
  absoluteCharts, forestCharts,
] as const;

// compile-time completeness: `true` only when every contract kind has an entry above
type Missing = Exclude<ResultKind, (typeof CHART_KINDS)[number]['kind']>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

const byKind = new Map<string, ChartKind<AnalysisResult>>(CHART_KINDS.map((k) => [k.kind, k as unknown as ChartKind<AnalysisResult>]));

/** The chart entry of a kind; an unknown kind is an error naming it (never another kind's charts). */
export function chartKind(kind: string): ChartKind<AnalysisResult> {
  const def = byKind.get(kind);
  if (!def) throw new Error(`no charts for kind ${JSON.stringify(kind)}`);
  return def;
}
