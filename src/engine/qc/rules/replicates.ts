/**
 * replicate-sd (each counted well of a group whose SD exceeds replicate-sd) and few-replicates (a group of two or more
 * wells that are not omitted, fewer than min-replicates of them with a Cq), over the shared replicate groups
 * (src/shared/replicates.ts), reported group by group in order of each group's first well that is not omitted.
 */
import type { EngineDiagnostic } from '../../common/diagnostic';
import type { Well } from '../../plate/model';
import type { WellSource } from '../../plate/wellSource';
import { ReplicateCollector, type ReplicateStats } from '../../../shared/replicates';
import { cqRange, label, type QcContext, type QcRule } from '../rule';

/** The counted wells of each group whose SD exceeds `replicateSd` (one pass over the wells): lists[listOf[g]]. */
function countedWellsOfHighSd(r: ReplicateStats, wells: WellSource, replicateSd: number): { listOf: Int32Array; lists: Well[][] } {
  const { count, groupOf, counted, nCq, sd } = r;
  const listOf = new Int32Array(count).fill(-1); // group → index in `lists`, -1 = not reported
  const lists: Well[][] = [];
  for (let h = 0; h < count; h++) if (nCq[h] >= 2 && sd[h] > replicateSd) { listOf[h] = lists.length; lists.push([]); }
  for (let i = 0; i < groupOf.length; i++) if (counted[i] === 1 && listOf[groupOf[i]] >= 0) lists[listOf[groupOf[i]]].push(wells.at(i));
  return { listOf, lists };
}

export class Replicates implements QcRule {
  private readonly collector: ReplicateCollector;

  constructor(private readonly ctx: QcContext) {
    this.collector = new ReplicateCollector(ctx.wells.length);
  }

  visit(block: readonly Well[], from: number): void {
    const collector = this.collector;
    for (let j = 0; j < block.length; j++) collector.visit(from + j, block[j]);
  }

  finish(out: EngineDiagnostic[]): void {
    const wells = this.ctx.wells, diag = this.ctx.diag;
    const r = this.collector.finish((i) => wells.at(i));
    const { count, nCq, sd, mean, size, omitted, firstPresent } = r;
    const { replicateSd, minReplicates } = this.ctx.settings;
    // The counted wells of the groups whose SD is too high are listed in their messages (built when the first such
    // group is met: a clean plate builds no per-group lists at all).
    let lists: { listOf: Int32Array; lists: Well[][] } | null = null;
    const countedWells = (g: number): Well[] => {
      lists ??= countedWellsOfHighSd(r, wells, replicateSd);
      return lists.lists[lists.listOf[g]];
    };
    // The groups with a finding (a tight loop over the groups), in order of their first well that is not omitted.
    const reported: number[] = [];
    for (let g = 0; g < count; g++) {
      const k = nCq[g];
      if (firstPresent[g] >= 0 && ((k >= 2 && sd[g] > replicateSd) || (size[g] - omitted[g] >= 2 && k < minReplicates))) reported.push(g);
    }
    reported.sort((a, b) => firstPresent[a] - firstPresent[b]);
    for (const g of reported) {
      const i = firstPresent[g], k = nCq[g];
      if (k >= 2 && sd[g] > replicateSd) {
        const vals = countedWells(g);
        const where = vals.map(label).join(', ');
        for (const w of vals) {
          out.push(diag('replicate-sd', 'warning',
            `Replicates of ${w.sample} / ${w.target} (${where}) have SD ${sd[g].toFixed(3)} > ${replicateSd} cycles (mean ${mean[g].toFixed(2)}).`, cqRange(w), undefined, [w]));
        }
      }
      const present = size[g] - omitted[g];
      if (present >= 2 && k < minReplicates) {
        const w0 = wells.at(i);
        out.push(diag('few-replicates', 'warning',
          `${w0.sample} / ${w0.target}: only ${k} of ${present} replicates have a Cq (minimum ${minReplicates}).`, cqRange(w0), undefined, [w0]));
      }
    }
  }
}
