/** hosmer-lemeshow: tables only, no chart. */
import type { HosmerLemeshowResult } from '../../report/types';
import type { ChartKind } from '../chartKit';

export const hosmerLemeshowCharts: ChartKind<HosmerLemeshowResult> = { kind: 'hosmer-lemeshow', layout: 'charts-first', charts: () => [] };
