/**
 * The curve analyses applied to a whole imported plate (issue 20 parts 3–4): the plate's amplification curves
 * (`plate.curves`, store.ts) in the shape LinRegPCR and the threshold Cq take, per well. Used by the study runner
 * (`cq from ...`, `efficiency from linregpcr`) and by the curve QC rule of the Problems panel.
 */
import type { Plate, Well } from '../plate/model';
import { RDML_TYPE } from '../plate/rdmlWrite';
import { mean, sd } from '../stats/descriptive';
import { StatsError } from '../stats/errors';
import { curveOf, type PlateCurves } from './store';
import { linRegPCR, type LinRegResult, type LinRegRun } from './linreg';
import { autoThreshold, baselineCorrect, thresholdCq } from './threshold';

/** One well's amplification curve as plain arrays (x = cycle numbers, ascending). */
export interface WellCurve { well: Well; cycles: number[]; fluor: number[] }

/** The wells of a plate that have an amplification curve (primary readout), in well order. */
export function amplificationCurves(plate: Plate): WellCurve[] {
  const t = plate.curves?.amplification;
  if (!t) return [];
  const out: WellCurve[] = [];
  for (const well of plate.wells) {
    const c = curveOf(t, well.index);
    if (c && c.x.length) out.push({ well, cycles: Array.from(c.x), fluor: Array.from(c.y) });
  }
  return out;
}

/** Fluorescence indexed by cycle − 1 (LinRegPCR's input): cycles the file lacks are NaN (filled as rdmlpython does). */
function byCycle(c: WellCurve): Float64Array {
  const last = Math.max(0, ...c.cycles.map((x) => Math.round(x)));
  const out = new Float64Array(last).fill(NaN);
  c.cycles.forEach((x, i) => { if (Math.round(x) >= 1) out[Math.round(x) - 1] = c.fluor[i]; });
  return out;
}

/**
 * The last LinRegPCR run of each plate, with what it was run on: the curve QC rule, `cq from linregpcr` and
 * `efficiency from linregpcr` all ask for it, and a run is by far the costliest part (read-only for the callers).
 */
const runs = new WeakMap<Plate, { curves: PlateCurves | undefined; key: string; value: { curves: WellCurve[]; run: LinRegRun } }>();

/** LinRegPCR on one plate (one run); `results[k]` belongs to `curves[k].well`. Computed once per plate and inputs. */
export function linregPlate(plate: Plate): { curves: WellCurve[]; run: LinRegRun } {
  const curves = amplificationCurves(plate);
  const inputs = curves.map((c) => ({
    id: `${c.well.position ?? c.well.index + 1} ${c.well.target}`, target: c.well.target, fluor: byCycle(c),
    sampleType: RDML_TYPE[c.well.task] ?? 'unkn', excluded: c.well.omitted,
  }));
  const key = inputs.map((i) => `${i.id}\t${i.sampleType}\t${i.excluded}`).join('\n');
  const hit = runs.get(plate);
  if (hit && hit.curves === plate.curves && hit.key === key) return hit.value;
  const value = { curves, run: linRegPCR(inputs) };
  runs.set(plate, { curves: plate.curves, key, value });
  return value;
}

/** How the Cq is called from the curves. */
export type CurveCqMethod = { kind: 'threshold'; threshold: number } | { kind: 'threshold-auto' } | { kind: 'linregpcr' };

/** Cq per well index (null: the curve never reaches the threshold / LinRegPCR found no TD0, or it cannot be analysed). */
export function curveCqs(plate: Plate, method: CurveCqMethod): Map<number, number | null> {
  const out = new Map<number, number | null>();
  if (method.kind === 'linregpcr') {
    const { curves, run } = linregPlate(plate);
    run.reactions.forEach((r: LinRegResult, k) => out.set(curves[k].well.index, Number.isFinite(r.cq) ? r.cq : null));
    return out;
  }
  const corrected = new Map<number, { c: WellCurve; y: number[]; sd: number }>();
  for (const c of amplificationCurves(plate)) {
    try {
      const b = baselineCorrect(c.cycles, c.fluor);
      corrected.set(c.well.index, { c, y: b.corrected, sd: b.sd });
    } catch (e) {
      if (!(e instanceof StatsError)) throw e;
      out.set(c.well.index, null); // missing or too few points: no Cq rather than a guess
    }
  }
  const thresholds = new Map<string, number>();
  if (method.kind === 'threshold-auto') {
    const sds = new Map<string, number[]>();
    for (const { c, sd: s } of corrected.values()) (sds.get(c.well.target) ?? sds.set(c.well.target, []).get(c.well.target)!).push(s);
    for (const [target, v] of sds) thresholds.set(target, autoThreshold(v));
  }
  for (const [i, { c, y }] of corrected) {
    const t = method.kind === 'threshold' ? method.threshold : thresholds.get(c.well.target)!;
    out.set(i, thresholdCq(c.cycles, y, t));
  }
  return out;
}

/** Per-amplicon LinRegPCR mean efficiency: mean of the reactions used for the mean, SD (numpy's, ddof 0) and n. */
export interface AmpliconEfficiency { target: string; mean: number; sd: number; n: number }

/**
 * LinRegPCR's mean efficiency per target over several plates: each plate is a run of its own (baseline, outlier
 * removal per run, as rdmlpython), and the target's reactions used for the mean on every plate are pooled. On one
 * plate this is rdmlpython's mean PCR efficiency and its SD.
 */
export function linregEfficiencies(plates: readonly Plate[]): AmpliconEfficiency[] {
  const used = new Map<string, number[]>();
  for (const p of plates) {
    for (const r of linregPlate(p).run.reactions) {
      if (!used.has(r.target)) used.set(r.target, []);
      // as linregMean.ts: an efficiency below 1.001 never enters the mean
      if (r.flags.usedForMean && r.efficiency >= 1.001) used.get(r.target)!.push(r.efficiency);
    }
  }
  return [...used].map(([target, e]) => ({
    target, n: e.length, mean: e.length ? mean(e) : NaN, sd: e.length > 1 ? sd(e) * Math.sqrt((e.length - 1) / e.length) : e.length ? 0 : NaN,
  }));
}
