/**
 * no-reference (only with reference targets): a sample measured for some target but for none of the reference
 * targets, reported at the sample's first well, samples in order of first appearance.
 */
import type { Well } from '../../plate/model';
import type { QcRuleFactory } from '../rule';

export const noReference: QcRuleFactory = ({ settings, diag }) => {
  const refs = settings.referenceTargets;
  const refSet = refs && refs.length ? new Set(refs) : null;
  // Per sample: its first well, whether a reference was seen and its targets in order of first appearance (kept
  // only until a reference shows up).
  const bySample = new Map<string, { first: Well; hasRef: boolean; targets: Set<string> }>();
  return {
    visit(wells, from, to) {
      if (!refSet) return;
      for (let i = from; i < to; i++) {
        const w = wells[i];
        const task = w.task;
        if (w.sample === '' || task === 'ntc' || task === 'nrt' || task === 'negative' || task === 'standard') continue;
        let s = bySample.get(w.sample);
        if (!s) { s = { first: w, hasRef: false, targets: new Set() }; bySample.set(w.sample, s); }
        if (!s.hasRef) {
          if (refSet.has(w.target)) { s.hasRef = true; s.targets.clear(); } else s.targets.add(w.target);
        }
      }
    },
    finish(out) {
      for (const [sample, s] of bySample) {
        if (s.hasRef) continue;
        out.push(diag('no-reference', 'warning',
          `Sample ${sample} has ${[...s.targets].join(', ')} but none of the reference targets (${refs!.join(', ')}).`, s.first.ranges.sample ?? s.first.ranges.row));
      }
    },
  };
};
