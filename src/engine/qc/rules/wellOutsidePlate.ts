/** well-outside-plate: a well whose row or column lies outside the plate's stated geometry. */
import type { EngineDiagnostic } from '../../common/diagnostic';
import type { Well } from '../../plate/model';
import { append, posRange, type QcContext, type QcRule } from '../rule';

export class WellOutsidePlate implements QcRule {
  private readonly found: EngineDiagnostic[] = [];

  constructor(private readonly ctx: QcContext) {}

  visit(block: readonly Well[]): void {
    const rows = this.ctx.plate.rows, cols = this.ctx.plate.cols;
    if (rows === null || cols === null) return;
    for (let j = 0; j < block.length; j++) {
      const w = block[j];
      if (w.row === null || w.col === null) continue;
      if (w.row >= rows || w.col >= cols || w.row < 0 || w.col < 0) {
        this.found.push(this.ctx.diag('well-outside-plate', 'error', `Well ${w.position} is outside the ${rows * cols}-well plate (${rows}×${cols}).`, posRange(w), undefined, [w]));
      }
    }
  }

  finish(out: EngineDiagnostic[]): void { append(out, this.found); }
}
