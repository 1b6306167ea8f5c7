/**
 * `qc spike-in cel-miR-39 robust-z 3` (code `spike-in-outlier`): the spike-in's mean Cq per sample (over its wells on
 * every plate), robust z = (Cq − median) / (1.4826 · MAD) across the samples; |z| > limit flags the sample on the Cq
 * cells of its spike-in wells (poor extraction or RT recovery, or inhibition). A MAD of 0 leaves z undefined.
 */
import type { EngineDiagnostic } from '../../common/diagnostic';
import type { Plate } from '../../plate/model';
import type { SpikeInCheck, SpikeInRow } from '../../../shared/report/preanalytical';
import { robustZ } from '../../stats/robust';
import { naturalCompare } from '../../study/eval';
import { cqRange, fmt } from '../rule';
import { sampleMeanCq } from './sampleCq';

export interface SpikeInRule { target: string; limit: number; line: number }

export function runSpikeIn(plates: readonly Plate[], rule: SpikeInRule): { check: SpikeInCheck; diagnostics: EngineDiagnostic[] } {
  const byS = sampleMeanCq(plates, rule.target);
  const samples = [...byS.values()].sort((a, b) => naturalCompare(a.sample, b.sample));
  const diagnostics: EngineDiagnostic[] = [];
  if (!samples.length) return { check: { ...rule, median: null, mad: null, rows: [], flagged: 0 }, diagnostics };
  const rz = robustZ(samples.map((s) => s.cq), `Cq of ${rule.target}`);
  const rows = samples.map((s, i): SpikeInRow => {
    const z = rz.z[i];
    const flagged = z !== null && Math.abs(z) > rule.limit;
    if (flagged) {
      const message = `Sample ${s.sample}: spike-in ${rule.target} mean Cq ${fmt(s.cq)} has robust z ${z.toFixed(2)} (|z| > ${rule.limit}; median ${rz.median.toFixed(2)}, MAD ${rz.mad.toFixed(3)}): recovery outlier (qc spike-in, line ${rule.line}).`;
      for (const { well, file } of s.wells) {
        diagnostics.push({ code: 'spike-in-outlier', severity: 'warning', message, file, range: cqRange(well) ?? { start: { line: well.line, character: 0 }, end: { line: well.line, character: 0 } } });
      }
    }
    return { sample: s.sample, cq: s.cq, n: s.wells.length, files: [...new Set(s.wells.map((w) => w.file))], z, flagged };
  });
  return { check: { ...rule, median: rz.median, mad: rz.mad, rows, flagged: rows.filter((r) => r.flagged).length }, diagnostics };
}
