/**
 * no-reference (only with reference targets): a sample measured for some target but for none of the reference
 * targets, reported at the sample's first well, samples in order of first appearance.
 */
import type { EngineDiagnostic } from '../../common/diagnostic';
import type { Well } from '../../plate/model';
import type { QcContext, QcRule } from '../rule';

export class NoReference implements QcRule {
  private readonly refSet: Set<string> | null;
  // Per sample: its first well, whether a reference was seen and its targets in order of first appearance (kept
  // only until a reference shows up).
  private readonly bySample = new Map<string, { first: Well; hasRef: boolean; targets: Set<string> }>();

  constructor(private readonly ctx: QcContext) {
    const refs = ctx.settings.referenceTargets;
    this.refSet = refs && refs.length ? new Set(refs) : null;
  }

  visit(wells: readonly Well[], from: number, to: number): void {
    const refSet = this.refSet;
    if (!refSet) return;
    for (let i = from; i < to; i++) {
      const w = wells[i];
      const task = w.task;
      if (w.sample === '' || task === 'ntc' || task === 'nrt' || task === 'negative' || task === 'standard') continue;
      let s = this.bySample.get(w.sample);
      if (!s) { s = { first: w, hasRef: false, targets: new Set() }; this.bySample.set(w.sample, s); }
      if (!s.hasRef) {
        if (refSet.has(w.target)) { s.hasRef = true; s.targets.clear(); } else s.targets.add(w.target);
      }
    }
  }

  finish(out: EngineDiagnostic[]): void {
    const refs = this.ctx.settings.referenceTargets ?? [];
    for (const [sample, s] of this.bySample) {
      if (s.hasRef) continue;
      out.push(this.ctx.diag('no-reference', 'warning',
        `Sample ${sample} has ${[...s.targets].join(', ')} but none of the reference targets (${refs.join(', ')}).`, s.first.ranges.sample ?? s.first.ranges.row, undefined, [s.first]));
    }
  }
}
