/**
 * late-cq (a sample Cq above max-cq) and ntc-amplified (an NTC with a Cq: an error below ntc-min-cq, a warning at or
 * above), in one list in well order. Omitted wells are not checked.
 */
import type { EngineDiagnostic } from '../../common/diagnostic';
import { append, cqRange, fmt, label, type QcRuleFactory } from '../rule';

export const lateCq: QcRuleFactory = ({ settings, diag }) => {
  const found: EngineDiagnostic[] = [];
  const { maxCq, ntcMinCq } = settings;
  return {
    visit(wells, from, to) {
      for (let i = from; i < to; i++) {
        const w = wells[i];
        const cq = w.cq;
        if (cq === null || w.omitted) continue;
        if (w.task === 'ntc') {
          if (cq < ntcMinCq) {
            found.push(diag('ntc-amplified', 'error', `NTC ${label(w)} (${w.target}) amplified at Cq ${fmt(cq)} (< ${ntcMinCq}): possible contamination.`, cqRange(w)));
          } else {
            found.push(diag('ntc-amplified', 'warning', `NTC ${label(w)} (${w.target}) has a late Cq ${fmt(cq)} (≥ ${ntcMinCq}).`, cqRange(w)));
          }
        } else if (cq > maxCq) {
          found.push(diag('late-cq', 'warning', `Cq ${fmt(cq)} in ${label(w)} (${w.sample} / ${w.target}) is above ${maxCq}: late amplification.`, cqRange(w)));
        }
      }
    },
    finish(out) { append(out, found); },
  };
};
