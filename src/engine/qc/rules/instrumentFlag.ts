/** instrument-flag: a well the instrument flagged, with an `omit-flagged` fix where the format has an Omit column. */
import type { EngineDiagnostic, EngineFix } from '../../common/diagnostic';
import { cellEdit } from '../../plate';
import { append, label, type QcRuleFactory } from '../rule';

export const instrumentFlag: QcRuleFactory = ({ plate, text, diag, textAt }) => {
  const found: EngineDiagnostic[] = [];
  return {
    visit(wells, from, to) {
      for (let i = from; i < to; i++) {
        const w = wells[i];
        if (!w.flags.length) continue;
        const fixes: EngineFix[] = [];
        if (!w.omitted) {
          const f = cellEdit(plate, w, 'omit');
          if (f && (text === undefined || textAt(f.edits[0].range) !== null)) fixes.push({ ...f, title: `${f.title} (omit-flagged)` });
        }
        found.push(diag('instrument-flag', w.omitted ? 'info' : 'warning',
          `The instrument flagged ${label(w)} (${w.sample} / ${w.target}): ${w.flags.join(', ')}${w.omitted ? ' (already omitted)' : ''}.`,
          w.ranges.row, fixes));
      }
    },
    finish(out) { append(out, found); },
  };
};
