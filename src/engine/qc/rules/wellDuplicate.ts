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
    const n = ctx.wells.length;
    this.posHash = new Int32Array(n);
    this.hasPos = new Uint8Array(n);
  }

  visit(block: readonly Well[], from: number): void {
    const posHash = this.posHash, hasPos = this.hasPos;
    for (let j = 0; j < block.length; j++) {
      const h = positionTargetHash(block[j]);
      if (h !== null) { posHash[from + j] = h; hasPos[from + j] = 1; }
    }
  }

  finish(out: EngineDiagnostic[]): void {
    const wells = this.ctx.wells;
    const firstPos = firstOccurrences(this.posHash, this.hasPos, (a, b) => {
      const wa = wells.at(a), wb = wells.at(b);
      return wa.position === wb.position && wa.target === wb.target;
    });
    for (let i = 0; i < firstPos.length; i++) {
      const f = firstPos[i];
      if (f < 0 || f === i) continue;
      const w = wells.at(i);
      out.push(this.ctx.diag('well-duplicate', 'warning', `Well ${w.position} / ${w.target} appears again (first at line ${wells.at(f).line + 1}).`, posRange(w), undefined, [w]));
    }
  }
}
