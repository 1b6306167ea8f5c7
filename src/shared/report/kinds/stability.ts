/** `stability`: reference gene stability (issue 8): geNorm M / V and NormFinder. */
import type { ResultBase } from '../base';
import { cell, fmtFixed, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface StabilityResult extends ResultBase {
  kind: 'stability';
  genorm?: { m: { target: string; m: number }[]; steps: { excluded: string; m: Record<string, number> }[]; v: { label: string; v: number }[]; ranking: string[] };
  normfinder?: { stability: { target: string; value: number }[]; best: string; bestPair?: [string, string]; bestPairValue?: number };
}

function tables(r: StabilityResult): DataTable[] {
  const t: DataTable[] = [];
  const g = r.genorm;
  if (g) {
    t.push({ id: 'genorm', title: 'geNorm stability M (lower is more stable)', columns: ['Target', 'M', 'Rank'],
      rows: g.m.map((m) => [cell.text(m.target), cell.fixed(m.m, 3), cell.int(g.ranking.indexOf(m.target) + 1 || null)]) });
    if (g.v.length) t.push({ id: 'genorm-v', title: 'geNorm pairwise variation V', columns: ['Pair', 'V'], rows: g.v.map((v) => [cell.text(v.label), cell.fixed(v.v, 3)]) });
  }
  const nf = r.normfinder;
  if (nf) {
    t.push({ id: 'normfinder', title: 'NormFinder stability value', columns: ['Target', 'Stability'],
      rows: nf.stability.map((s) => [cell.text(s.target), cell.fixed(s.value, 3)]),
      note: `best: ${nf.best}${nf.bestPair ? `; best pair ${nf.bestPair.join(' + ')} (${fmtFixed(nf.bestPairValue, 3)})` : ''}` });
  }
  return t;
}

export const stabilityKind: ReportKind<StabilityResult> = { kind: 'stability', tables };
