/** well-outside-plate: a well whose row or column lies outside the plate's stated geometry. */
import type { EngineDiagnostic } from '../../common/diagnostic';
import { append, posRange, type QcRuleFactory } from '../rule';

export const wellOutsidePlate: QcRuleFactory = ({ plate, diag }) => {
  const found: EngineDiagnostic[] = [];
  const rows = plate.rows, cols = plate.cols;
  const hasGeometry = rows !== null && cols !== null;
  return {
    visit(wells, from, to) {
      if (!hasGeometry) return;
      for (let i = from; i < to; i++) {
        const w = wells[i];
        if (w.row === null || w.col === null) continue;
        if (w.row >= rows || w.col >= cols || w.row < 0 || w.col < 0) {
          found.push(diag('well-outside-plate', 'error', `Well ${w.position} is outside the ${rows * cols}-well plate (${rows}×${cols}).`, posRange(w)));
        }
      }
    },
    finish(out) { append(out, found); },
  };
};
