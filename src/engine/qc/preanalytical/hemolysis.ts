/**
 * `qc hemolysis miR-23a - miR-451a > 7` (code `hemolysis`): per sample, dCq = mean Cq(high) − mean Cq(low) over
 * every plate; a sample whose dCq passes the threshold is flagged on the Cq cells of both targets' wells. Convention
 * (Blondal et al. 2013, Methods 59:S1–S6): miR-451a is abundant in red blood cells, miR-23a is not affected by
 * haemolysis, so haemolysis lowers Cq(miR-451a) and raises dCq; dCq > 5 suggests, dCq > 7 indicates a high risk.
 */
import type { EngineDiagnostic } from '../../common/diagnostic';
import type { Plate } from '../../plate/model';
import type { HemolysisCheck, HemolysisRow } from '../../../shared/report/preanalytical';
import { naturalCompare } from '../../study/eval';
import { cqRange, fmt } from '../rule';
import { sampleMeanCq } from './sampleCq';

export interface HemolysisRule { high: string; low: string; op: '>' | '<'; threshold: number; line: number }

export function runHemolysis(plates: readonly Plate[], rule: HemolysisRule): { check: HemolysisCheck; diagnostics: EngineDiagnostic[] } {
  const high = sampleMeanCq(plates, rule.high), low = sampleMeanCq(plates, rule.low);
  const samples = [...new Set([...high.keys(), ...low.keys()])].sort(naturalCompare);
  const diagnostics: EngineDiagnostic[] = [];
  const rows = samples.map((sample): HemolysisRow => {
    const h = high.get(sample), l = low.get(sample);
    const dcq = h && l ? h.cq - l.cq : null;
    const flagged = dcq !== null && (rule.op === '>' ? dcq > rule.threshold : dcq < rule.threshold);
    if (flagged) {
      const message = `Sample ${sample}: dCq = Cq(${rule.high}) ${fmt(h!.cq)} − Cq(${rule.low}) ${fmt(l!.cq)} = ${dcq!.toFixed(2)} ${rule.op} ${rule.threshold}: possible haemolysis (qc hemolysis, line ${rule.line}).`;
      for (const { well, file } of [...h!.wells, ...l!.wells]) {
        diagnostics.push({ code: 'hemolysis', severity: 'warning', message, file, range: cqRange(well) ?? { start: { line: well.line, character: 0 }, end: { line: well.line, character: 0 } } });
      }
    }
    return { sample, high: h ? h.cq : null, low: l ? l.cq : null, dcq, flagged };
  });
  return { check: { ...rule, rows, flagged: rows.filter((r) => r.flagged).length }, diagnostics };
}
