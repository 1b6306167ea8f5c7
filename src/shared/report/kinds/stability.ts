/** `stability`: reference gene stability (issue 8): geNorm M / V and NormFinder. */
import type { ResultBase } from '../base';
import { cell, DASH, fmtFixed, type DataTable } from '../format';
import type { ReportKind } from './kind';
import { own } from '../../own';

export interface StabilityResult extends ResultBase {
  kind: 'stability';
  genorm?: {
    /** M of every gene computed with all genes, lowest first. */
    m: { target: string; m: number }[];
    /** One step per elimination: the M of the genes still in, and the one removed (the highest M). */
    steps: { excluded: string; m: Record<string, number> }[];
    /** The two genes left at the end and their (shared) M, the SD of their log2 ratio. */
    lastPair?: { targets: [string, string]; m: number };
    v: { label: string; v: number }[];
    /** Genes by rank (the last pair first, alphabetically, then in reverse order of removal). */
    ranking: string[];
    /** geNorm's elimination rank (NormqPCR::selectHKs): removed while k genes remained = rank k; the last pair share 1. */
    ranks?: { target: string; rank: number }[];
  };
  normfinder?: { stability: { target: string; value: number }[]; best: string; bestPair?: [string, string]; bestPairValue?: number };
}

type Genorm = NonNullable<StabilityResult['genorm']>;

/** geNorm's stepwise elimination: a row per gene in rank order, its M at each step (columns: genes still in). */
function genormTable(g: Genorm): DataTable {
  const stepMs: Record<string, number>[] = g.steps.map((s) => s.m);
  if (g.lastPair) stepMs.push({ [g.lastPair.targets[0]]: g.lastPair.m, [g.lastPair.targets[1]]: g.lastPair.m });
  const rankOf = new Map((g.ranks ?? g.ranking.map((target, i) => ({ target, rank: i + 1 }))).map((r) => [r.target, r.rank] as const));
  const tied = g.ranking.filter((t) => rankOf.get(t) === 1).length > 1;
  const rows = g.ranking.map((target) => {
    const rank = rankOf.get(target) ?? null;
    return [cell.text(target), { text: rank === 1 && tied ? '1 (tied)' : String(rank ?? DASH), raw: rank },
      ...stepMs.map((m) => { const v = own(m, target); return v !== undefined ? cell.fixed(v, 3) : cell.text('removed'); })];
  });
  return {
    id: 'genorm', title: 'geNorm stability M by stepwise elimination (lower is more stable)',
    columns: ['Target', 'Rank', ...stepMs.map((m) => `M (${Object.keys(m).length} genes)`)],
    rows,
    note: 'Rank: geNorm\'s elimination order (as NormqPCR::selectHKs). The gene with the highest M is removed and M is recomputed on the genes left; a gene removed while k genes remained has rank k; the last two cannot be told apart (one M for both) and share rank 1. M depends on the genes it is computed with, so the rank need not follow the first column.',
  };
}

function tables(r: StabilityResult): DataTable[] {
  const t: DataTable[] = [];
  const g = r.genorm;
  if (g) {
    t.push(genormTable(g));
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
