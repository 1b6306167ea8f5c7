/**
 * late-cq (a sample Cq above max-cq) and ntc-amplified (an NTC with a Cq: an error below ntc-min-cq, a warning at or
 * above), in one list in well order. Omitted wells are not checked.
 */
import type { EngineDiagnostic } from '../../common/diagnostic';
import type { Well } from '../../plate/model';
import { cqOrNaN } from '../../../shared/cq';
import { append, cqRange, fmt, label, type QcContext, type QcRule } from '../rule';

export class LateCq implements QcRule {
  private readonly found: EngineDiagnostic[] = [];

  constructor(private readonly ctx: QcContext) {}

  visit(block: readonly Well[]): void {
    const { maxCq, ntcMinCq } = this.ctx.settings;
    for (let j = 0; j < block.length; j++) {
      const w = block[j];
      const cq = cqOrNaN(w);
      if (cq !== cq || w.omitted) continue; // no Cq (NaN)
      if (w.task === 'ntc') {
        if (cq < ntcMinCq) {
          this.found.push(this.ctx.diag('ntc-amplified', 'error', `NTC ${label(w)} (${w.target}) amplified at Cq ${fmt(cq)} (< ${ntcMinCq}): possible contamination.`, cqRange(w), undefined, [w]));
        } else {
          this.found.push(this.ctx.diag('ntc-amplified', 'warning', `NTC ${label(w)} (${w.target}) has a late Cq ${fmt(cq)} (≥ ${ntcMinCq}).`, cqRange(w), undefined, [w]));
        }
      } else if (cq > maxCq) {
        this.found.push(this.ctx.diag('late-cq', 'warning', `Cq ${fmt(cq)} in ${label(w)} (${w.sample} / ${w.target}) is above ${maxCq}: late amplification.`, cqRange(w), undefined, [w]));
      }
    }
  }

  finish(out: EngineDiagnostic[]): void { append(out, this.found); }
}
