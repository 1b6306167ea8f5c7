/** well-duplicate: the same position and target twice (a multiplexed well has one row per target). */
import type { EngineDiagnostic } from '../../common/diagnostic';
import { firstOccurrences } from '../../../shared/pairIndex';
import type { Well } from '../../plate/model';
import { positionTargetHash } from '../../plate/wellStore';
import { posRange, type QcContext, type QcRule } from '../rule';

export class WellDuplicate implements QcRule {
  // The pass hashes each well's position × target (without building the position string: `positionTargetHash`);
  // `firstOccurrences` then finds each well's first well with the same pair.
  private readonly posHash: Int32Array; // becomes: index of the first well with the same position × target
  private readonly hasPos: Uint8Array;

  constructor(private readonly ctx: QcContext) {
    const n = ctx.plate.wells.length;
    this.posHash = new Int32Array(n);
    this.hasPos = new Uint8Array(n);
  }

  visit(wells: readonly Well[], from: number, to: number): void {
    const posHash = this.posHash, hasPos = this.hasPos;
    for (let i = from; i < to; i++) {
      const h = positionTargetHash(wells[i]);
      if (h !== null) { posHash[i] = h; hasPos[i] = 1; }
    }
  }

  finish(out: EngineDiagnostic[]): void {
    const wells = this.ctx.plate.wells;
    const firstPos = firstOccurrences(this.posHash, this.hasPos, (a, b) => wells[a].position === wells[b].position && wells[a].target === wells[b].target);
    for (let i = 0; i < firstPos.length; i++) {
      const f = firstPos[i];
      if (f < 0 || f === i) continue;
      const w = wells[i];
      out.push(this.ctx.diag('well-duplicate', 'warning', `Well ${w.position} / ${w.target} appears again (first at line ${wells[f].line + 1}).`, posRange(w), undefined, [w]));
    }
  }
}
