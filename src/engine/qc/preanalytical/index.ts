/**
 * Pre-analytical QC of circulating-miRNA studies (issue 14 item 7), over all plates of a study (unlike the per-plate
 * rules in ../rules, a sample's targets and a spike-in's samples span plates): one rule per file, haemolysis
 * (./hemolysis.ts) and spike-in recovery outliers (./spikeIn.ts). Findings are warnings on the wells' Cq cells.
 */
import type { EngineDiagnostic } from '../../common/diagnostic';
import type { Plate } from '../../plate/model';
import type { PreanalyticalSection } from '../../../shared/report/preanalytical';
import { runHemolysis, type HemolysisRule } from './hemolysis';
import { runSpikeIn, type SpikeInRule } from './spikeIn';
import { append } from '../../../shared/append';

export type { HemolysisRule, SpikeInRule };
export { runHemolysis, runSpikeIn };

export function runPreanalytical(plates: readonly Plate[], rules: { hemolysis: HemolysisRule[]; spikeIns: SpikeInRule[] }): { section: PreanalyticalSection; diagnostics: EngineDiagnostic[] } {
  const diagnostics: EngineDiagnostic[] = [];
  const section: PreanalyticalSection = { hemolysis: [], spikeIns: [] };
  for (const r of rules.hemolysis) { const o = runHemolysis(plates, r); section.hemolysis.push(o.check); append(diagnostics, o.diagnostics); }
  for (const r of rules.spikeIns) { const o = runSpikeIn(plates, r); section.spikeIns.push(o.check); append(diagnostics, o.diagnostics); }
  return { section, diagnostics };
}
