/**
 * mixed-decimal: Cq cells written with both `.` and `,` decimals; the minority is reported (at most 200 wells,
 * collected after the pass only when both marks occur).
 */
import { cqRange, type QcRuleFactory } from '../rule';

const MAX_REPORTED = 200;

export const mixedDecimal: QcRuleFactory = ({ plate, diag }) => {
  let dots = 0, commas = 0;
  return {
    visit(wells, from, to) {
      for (let i = from; i < to; i++) {
        const w = wells[i];
        if (w.cq === null) continue;
        if (w.cqText.includes(',')) commas++; else if (w.cqText.includes('.')) dots++;
      }
    },
    finish(out) {
      if (!dots || !commas) return;
      const commaMinor = commas <= dots;
      const major = commaMinor ? '.' : ',';
      let reported = 0;
      for (const w of plate.wells) {
        if (reported >= MAX_REPORTED) break;
        if (w.cq === null) continue;
        const isComma = w.cqText.includes(',');
        if (commaMinor ? isComma : !isComma && w.cqText.includes('.')) {
          reported++;
          out.push(diag('mixed-decimal', 'warning', `Cq "${w.cqText.trim()}" uses a different decimal mark from the rest of the file ("${major}").`, cqRange(w)));
        }
      }
    },
  };
};
