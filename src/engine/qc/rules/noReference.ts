/**
 * no-reference (only with reference targets): a sample measured for some target but for none of the reference
 * targets, reported at the sample's first well, samples in order of first appearance.
 */
import type { EngineDiagnostic } from '../../common/diagnostic';
import type { Well } from '../../plate/model';
import type { QcContext, QcRule } from '../rule';

/** A sample seen: its first well, whether a reference was seen, and (until then) its targets. */
interface SampleSeen { first: Well; hasRef: boolean; targets: string[] | null }

export class NoReference implements QcRule {
  private readonly refSet: Set<string> | null;
  // Per sample: its first well, whether a reference was seen and its targets in order of first appearance (made on
  // the first target that is not a reference, dropped when a reference shows up: a biobank plate has a million samples).
  private readonly bySample = new Map<string, SampleSeen>();
  // The previous well's sample and its entry (replicates come in runs: one lookup per run).
  private lastSample: string | undefined;
  private last: SampleSeen | undefined;

  constructor(private readonly ctx: QcContext) {
    const refs = ctx.settings.referenceTargets;
    this.refSet = refs && refs.length ? new Set(refs) : null;
  }

  visit(block: readonly Well[]): void {
    const refSet = this.refSet;
    if (!refSet) return;
    for (let j = 0; j < block.length; j++) {
      const w = block[j];
      const task = w.task, sample = w.sample;
      if (sample === '' || task === 'ntc' || task === 'nrt' || task === 'negative' || task === 'standard') continue;
      let s = sample === this.lastSample ? this.last : this.bySample.get(sample);
      if (!s) { s = { first: w, hasRef: false, targets: null }; this.bySample.set(sample, s); }
      this.lastSample = sample; this.last = s;
      if (s.hasRef) continue;
      const t = w.target;
      if (refSet.has(t)) { s.hasRef = true; s.targets = null; } else if (!s.targets) s.targets = [t]; else if (!s.targets.includes(t)) s.targets.push(t);
    }
  }

  finish(out: EngineDiagnostic[]): void {
    const refs = this.ctx.settings.referenceTargets ?? [];
    for (const [sample, s] of this.bySample) {
      if (s.hasRef) continue;
      out.push(this.ctx.diag('no-reference', 'warning',
        `Sample ${sample} has ${(s.targets ?? []).join(', ')} but none of the reference targets (${refs.join(', ')}).`, s.first.ranges.sample ?? s.first.ranges.row, undefined, [s.first]));
    }
  }
}
