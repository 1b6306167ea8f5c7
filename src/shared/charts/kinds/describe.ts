/** describe: Table 1 only, no chart. */
import type { DescribeResult } from '../../report/types';
import type { ChartKind } from '../chartKit';

export const describeCharts: ChartKind<DescribeResult> = { kind: 'describe', layout: 'charts-first', charts: () => [] };
