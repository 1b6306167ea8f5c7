/**
 * Per sample, the mean Cq of one target over every plate: the wells of samples (task unknown or reference) with a Cq,
 * not omitted. The wells are kept so a finding can point at their Cq cells.
 */
import type { Plate, Well } from '../../plate/model';

export interface SampleCq { sample: string; cq: number; wells: { well: Well; file: string }[] }

export function sampleMeanCq(plates: readonly Plate[], target: string): Map<string, SampleCq> {
  const acc = new Map<string, { sum: number; wells: { well: Well; file: string }[] }>();
  for (const p of plates) {
    for (let i = 0; i < p.wells.length; i++) {
      const w = p.wells[i];
      if (w.target !== target || w.cq === null || w.omitted || (w.task !== 'unknown' && w.task !== 'reference')) continue;
      let a = acc.get(w.sample);
      if (!a) acc.set(w.sample, (a = { sum: 0, wells: [] }));
      a.sum += w.cq;
      a.wells.push({ well: w, file: p.file });
    }
  }
  const out = new Map<string, SampleCq>();
  for (const [sample, a] of acc) out.set(sample, { sample, cq: a.sum / a.wells.length, wells: a.wells });
  return out;
}
