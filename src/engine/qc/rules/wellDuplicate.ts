/** well-duplicate: the same position and target twice (a multiplexed well has one row per target). */
import type { EngineDiagnostic } from '../../common/diagnostic';
import { firstOccurrences, pairHash } from '../../../shared/pairIndex';
import { append, posRange, type QcRuleFactory } from '../rule';

export const wellDuplicate: QcRuleFactory = ({ plate, diag }) => {
  // The pass hashes each well's position × target; `firstOccurrences` then finds each well's first well with the
  // same pair.
  const n = plate.wells.length;
  const posHash = new Int32Array(n); // becomes: index of the first well with the same position × target
  const hasPos = new Uint8Array(n);
  return {
    visit(wells, from, to) {
      for (let i = from; i < to; i++) {
        const w = wells[i];
        if (w.position !== null) { posHash[i] = pairHash(w.position, w.target); hasPos[i] = 1; }
      }
    },
    finish(out) {
      const wells = plate.wells;
      const firstPos = firstOccurrences(posHash, hasPos, (a, b) => wells[a].position === wells[b].position && wells[a].target === wells[b].target);
      const found: EngineDiagnostic[] = [];
      for (let i = 0; i < n; i++) {
        const f = firstPos[i];
        if (f < 0 || f === i) continue;
        const w = wells[i];
        found.push(diag('well-duplicate', 'warning', `Well ${w.position} / ${w.target} appears again (first at line ${wells[f].line + 1}).`, posRange(w)));
      }
      append(out, found);
    },
  };
};
