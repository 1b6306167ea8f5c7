/**
 * Inter-run calibration, qbase+ style (Hellemans et al. 2007), in Cq space.
 *
 * For each target: m(i, p) = mean amplified Cq of inter-run calibrator sample i on plate p; overall(i) = mean of
 * m(i, ·) over the plates that have it; the plate's correction factor CF(p) = mean over its calibrators of
 * m(i, p) - overall(i). With one calibrator sample this is "mean IRC Cq on the plate minus the overall IRC mean".
 * CF(p) is subtracted from every amplified Cq of that target on plate p before dCq. A plate carrying a target but no
 * amplified calibrator for it gets no correction (factor null) and an `irc-missing` warning at its first line.
 */
import type { EngineDiagnostic } from '../common/diagnostic';
import { lineRange } from '../common/diagnostic';
import { compileGlob, type GlobMatcher } from '../common/glob';

/**
 * The `interrun calibrator "IRC*"` glob on sample names: `*` any text, `?` one character, everything else literal,
 * whole (trimmed) name, case sensitive; linear-time (src/engine/common/glob.ts).
 */
export function sampleGlob(glob: string): GlobMatcher {
  return compileGlob(glob, { sets: false });
}

export interface IrcObservation { file: string; sample: string; target: string; cq: number }
export interface IrcPlate { file: string; targets: string[] }
export interface IrcFactor { file: string; target: string; factor: number | null }

export function interRunCalibration(
  obs: IrcObservation[],
  isCalibrator: (sample: string) => boolean,
  plates: IrcPlate[],
): { factors: IrcFactor[]; diagnostics: EngineDiagnostic[] } {
  const diagnostics: EngineDiagnostic[] = [];
  const factors: IrcFactor[] = [];
  // target → sample → file → Cqs
  const m = new Map<string, Map<string, Map<string, number[]>>>();
  for (const o of obs) {
    if (!isCalibrator(o.sample)) continue;
    if (!m.has(o.target)) m.set(o.target, new Map());
    const bySample = m.get(o.target)!;
    if (!bySample.has(o.sample)) bySample.set(o.sample, new Map());
    const byFile = bySample.get(o.sample)!;
    if (!byFile.has(o.file)) byFile.set(o.file, []);
    byFile.get(o.file)!.push(o.cq);
  }
  const avg = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  for (const p of plates) {
    const missing: string[] = [];
    for (const t of p.targets) {
      const bySample = m.get(t);
      const devs: number[] = [];
      if (bySample) {
        for (const byFile of bySample.values()) {
          const here = byFile.get(p.file);
          if (!here) continue;
          const overall = avg([...byFile.values()].map(avg));
          devs.push(avg(here) - overall);
        }
      }
      if (devs.length === 0) { missing.push(t); factors.push({ file: p.file, target: t, factor: null }); }
      else factors.push({ file: p.file, target: t, factor: avg(devs) });
    }
    if (missing.length > 0) {
      diagnostics.push({ code: 'irc-missing', severity: 'warning', message: `No amplified inter-run calibrator on this plate for ${missing.join(', ')}: no inter-run correction for ${missing.length === 1 ? 'it' : 'them'}.`, file: p.file, range: lineRange(0, 0, 1) });
    }
  }
  return { factors, diagnostics };
}
