/**
 * mixed-decimal: Cq cells written with both `.` and `,` decimals; the minority is reported (at most 200 wells,
 * collected after the pass only when both marks occur).
 */
import type { EngineDiagnostic } from '../../common/diagnostic';
import type { Well } from '../../plate/model';
import { cqOrNaN } from '../../../shared/cq';
import { COMMA_MARK, cqDecimalMark, DOT_MARK } from '../../plate/wellStore';
import { cqRange, type QcContext, type QcRule } from '../rule';

const MAX_REPORTED = 200;

export class MixedDecimal implements QcRule {
  private dots = 0;
  private commas = 0;

  constructor(private readonly ctx: QcContext) {}

  visit(block: readonly Well[]): void {
    let dots = 0, commas = 0;
    for (let j = 0; j < block.length; j++) {
      const w = block[j];
      if (Number.isNaN(cqOrNaN(w))) continue;
      const m = cqDecimalMark(w);
      if (m === COMMA_MARK) commas++; else if (m === DOT_MARK) dots++;
    }
    this.dots += dots; this.commas += commas;
  }

  finish(out: EngineDiagnostic[]): void {
    if (!this.dots || !this.commas) return;
    const commaMinor = this.commas <= this.dots;
    const major = commaMinor ? '.' : ',';
    let reported = 0;
    const wells = this.ctx.wells;
    for (let i = 0; i < wells.length && reported < MAX_REPORTED; i++) {
      const w = wells.at(i);
      if (w.cq === null) continue;
      const m = cqDecimalMark(w);
      if (commaMinor ? m === COMMA_MARK : m === DOT_MARK) {
        reported++;
        out.push(this.ctx.diag('mixed-decimal', 'warning', `Cq "${w.cqText.trim()}" uses a different decimal mark from the rest of the file ("${major}").`, cqRange(w), undefined, [w]));
      }
    }
  }
}
