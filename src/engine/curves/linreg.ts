/**
 * LinRegPCR (Ruijter et al.) as rdmlpython implements it (github.com/RDML-consortium/rdmlpython, rdml.py,
 * Run.linRegPCR, commit recorded in test/golden/linregpcr-*.json), restated in TypeScript. Per reaction: the
 * quantification cycle TD0 (third-derivative zero crossing; rdmlpython reports it as the Cq, there is no common
 * threshold any more), a constant baseline found in the window of linearity below TD0, the individual PCR
 * efficiency (slope of log10 fluorescence in the upper half of that window), the mean efficiency of its amplicon
 * (target) and the starting copies N0 = nAmpli / E^TD0, plus rdmlpython's QC flags and notes.
 *
 * Input: one run (plate) of reactions, fluorescence per cycle 1..n (NaN = missing). Reactions interact: the gap
 * filling and the negative-value shift use the plate's minimum/maximum and the mean efficiency is per target.
 */
import { findTd0, fitWindow, Td0, Window } from './linregWindow';
import { EfficiencyExclusion, targetEfficiency, TargetEfficiency } from './linregMean';
import { fillGaps, positiveShift, toMatrix } from './linregPrep';
import { linregNotes } from './linregNotes';

export interface LinRegReaction {
  id: string;
  /** Amplicon (PCR efficiency group): the mean efficiency is computed per target. */
  target: string;
  /** Raw (not baseline-corrected) fluorescence, index 0 = cycle 1; NaN = missing (filled as rdmlpython does). */
  fluor: ArrayLike<number>;
  /** RDML sample type (unkn, std, pos, ntc, nac, ntp, nrt, opt); negative controls never enter the mean. */
  sampleType?: string;
  /** Excluded by the user: never enters the mean efficiency. */
  excluded?: boolean;
  /** Copies at which the exponential phase becomes limited (rdmlpython nAmpli); default amplifiableCopies(). */
  nAmpli?: number;
}

/**
 * rdmlpython's defaults: pcrEfficiencyExl 0.05, excludeNoPlateau true, excludeEfficiency "outlier". Its
 * excludeInstableBaseline option is validated there but read nowhere, so it has no counterpart here.
 */
export interface LinRegOptions {
  /** Half-width around the target's median efficiency for excludeEfficiency "mean" (rdmlpython pcrEfficiencyExl). */
  efficiencyRange?: number;
  excludeNoPlateau?: boolean;
  excludeEfficiency?: EfficiencyExclusion;
}
export const LINREG_DEFAULTS: Required<LinRegOptions> = { efficiencyRange: 0.05, excludeNoPlateau: true, excludeEfficiency: 'outlier' };

export interface LinRegFlags {
  /** TD0 > 2, four rising cycles before it and an individual efficiency > 1.4. */
  amplification: boolean;
  /** False when the last cycle is within 5-fold of the exponential extrapolation (rdmlpython "no plateau"). */
  plateau: boolean;
  /** 0 = window found; 1 no convergence, 2 no TD0 >= 3, 3 TD0 before cycle 4.5, 4 < 4 cycles in the window,
   * 5 no exponential rise in the window, 6 unstable baseline (rdmlpython "baseline error"). */
  baselineError: number;
  /** Removed from its target's mean by the efficiency rule (an outlier, or outside median ± range). */
  efficiencyExcluded: boolean;
  usedForMean: boolean;
}

export interface LinRegResult {
  id: string; target: string;
  /** Constant background subtracted, in raw units. */
  baseline: number;
  /** Mean baseline-corrected fluorescence of the last 5 cycles. */
  plateauFluor: number;
  /** Window of linearity in cycles (inclusive), null when none was found. */
  window: { lower: number; upper: number } | null;
  /** Cycles from the start of the rise to the window's upper end (rdmlpython "n in log phase"), NaN if < 2. */
  nLog: number;
  efficiency: number; r2: number;
  meanEfficiency: number; sdEfficiency: number;
  /** TD0, NaN when none. */
  cq: number;
  /** Baseline-corrected fluorescence at TD0 (log-linear interpolation). */
  cqFluor: number;
  /** Starting copies with the target's mean efficiency (rdmlpython Ncopy) and with the individual one. */
  n0: number; n0Individual: number;
  flags: LinRegFlags;
  /** rdmlpython's note and exclusion texts for the reaction (by sample type). */
  notes: string[]; exclusions: string[];
}

export interface LinRegRun {
  reactions: LinRegResult[];
  /** Mean efficiency per target (amplicon), in order of first appearance. */
  targets: Map<string, TargetEfficiency>;
  /** Plate-level warnings (gap filling, negative fluorescence). */
  warnings: string[];
}

const NEGATIVE = ['ntc', 'nac', 'ntp', 'nrt', 'opt'];
const orNaN = (v: number, ok: boolean): number => (ok ? v : NaN);

/** Per-reaction state between the steps (rdmlpython's parallel vectors). */
interface Row { t: Td0; w: Window; bc: Float64Array; background: number; noMean: boolean; amplification: boolean; plateau: boolean }

/** TD0, window and baseline of one reaction, and the flags that need no other reaction. */
function analyseRow(r: LinRegReaction, pos: Float64Array, o: Required<LinRegOptions>): Row {
  const t = findTd0(pos);
  const w = fitWindow(pos, t);
  let m = Infinity;
  for (const v of pos) if (v < m) m = v;
  const background = w.background ?? m * 0.99;
  const bc = pos.map((v) => v - background);
  const amplification = t.td0 > 2.0 && t.fourCycles && w.eff > 1.4;
  const n = bc.length;
  const plateau = !(w.nNull > 0.0 && w.eff > 1.1 && (w.nNull * Math.pow(w.eff, n)) / bc[n - 1] < 5);
  const noMean = !!r.excluded || !t.fourCycles || w.error !== 0 || NEGATIVE.includes(r.sampleType ?? '') ||
    !amplification || (o.excludeNoPlateau && !plateau);
  return { t, w, bc, background, noMean, amplification, plateau };
}

/** rdmlpython's td0_fluor: log-linear interpolation of the corrected curve at TD0 (only with 4 rising cycles). */
function cqFluor(row: Row): number {
  if (!row.t.fourCycles) return NaN;
  const { td0 } = row.t, lo = Math.floor(td0) - 1, hi = Math.ceil(td0) - 1;
  const a = Math.log10(row.bc[lo]), b = Math.log10(row.bc[hi]);
  return Math.pow(10, a + (b - a) * (td0 - Math.floor(td0)));
}

/** Mean of the last five corrected cycles, ignoring NaN (numpy nanmean). */
function plateauMean(bc: Float64Array): number {
  const last = Array.from(bc.subarray(Math.max(0, bc.length - 5))).filter((v) => !Number.isNaN(v));
  return last.length ? last.reduce((s, v) => s + v, 0) / last.length : NaN;
}

/** Mean efficiency per target, in order of first appearance; fills `exclEff`. */
function targetMeans(reactions: LinRegReaction[], rows: Row[], o: Required<LinRegOptions>, exclEff: boolean[]): Map<string, TargetEfficiency> {
  const out = new Map<string, TargetEfficiency>();
  for (const target of new Set(reactions.map((r) => r.target))) {
    const idx = reactions.flatMap((r, i) => (r.target === target ? [i] : []));
    const excl = idx.map(() => false);
    out.set(target, targetEfficiency(idx.map((i) => rows[i].w.eff), idx.map((i) => !rows[i].noMean), o.excludeEfficiency, o.efficiencyRange, excl));
    idx.forEach((i, k) => { exclEff[i] = excl[k]; });
  }
  return out;
}

/** Copies from the plateau limit: nAmpli / E^TD0 when TD0 > 0 and 1 < E < 2.3 (rdmlpython's Ncopy). */
const copies = (nAmpli: number, eff: number, td0: number): number => (td0 > 0.0 && eff > 1.0 && eff < 2.3 ? nAmpli / Math.pow(eff, td0) : NaN);

function result(r: LinRegReaction, row: Row, shift: number, tgt: TargetEfficiency, exclEff: boolean, o: Required<LinRegOptions>): LinRegResult {
  const { t, w } = row, ok = w.error === 0, nAmpli = r.nAmpli ?? amplifiableCopies();
  const nLog = w.stop - t.minBySD + 1;
  const res: LinRegResult = {
    id: r.id, target: r.target, baseline: row.background - shift, plateauFluor: plateauMean(row.bc),
    window: w.stop >= 0 ? { lower: w.start, upper: w.stop } : null, nLog: w.stop >= 0 && nLog > 1 ? nLog : NaN,
    efficiency: orNaN(w.eff, ok), r2: orNaN(w.r2, ok), meanEfficiency: tgt.mean, sdEfficiency: tgt.sd,
    cq: orNaN(t.td0, t.td0 >= 0), cqFluor: cqFluor(row),
    n0: copies(nAmpli, tgt.mean, t.td0), n0Individual: copies(nAmpli, w.eff, t.td0),
    flags: { amplification: row.amplification, plateau: row.plateau, baselineError: w.error, efficiencyExcluded: exclEff, usedForMean: !row.noMean && !exclEff },
    notes: [], exclusions: [],
  };
  Object.assign(res, linregNotes(res, r.sampleType ?? 'unkn', o.excludeEfficiency));
  return res;
}

/**
 * Runs LinRegPCR on one run (plate). Non-finite values count as missing; shorter reactions are padded as missing.
 * Throws a RangeError when no reaction has any fluorescence value.
 */
export function linRegPCR(reactions: LinRegReaction[], options: LinRegOptions = {}): LinRegRun {
  const o = { ...LINREG_DEFAULTS, ...options };
  if (!reactions.length) return { reactions: [], targets: new Map(), warnings: [] };
  const raw = toMatrix(reactions.map((r) => r.fluor));
  const gaps = fillGaps(raw);
  const { pos, shift } = positiveShift(raw);
  const rows = reactions.map((r, i) => analyseRow(r, pos[i], o));
  const exclEff = reactions.map(() => false);
  const targets = targetMeans(reactions, rows, o, exclEff);
  const warnings: string[] = [];
  if (gaps.length) warnings.push(`missing fluorescence filled in ${gaps.map((i) => reactions[i].id).join(', ')}`);
  if (shift.some((s) => s !== 0)) warnings.push('fluorescence has negative values (baseline-corrected input?): shifted up; efficiencies may be wrong');
  return { reactions: reactions.map((r, i) => result(r, rows[i], shift[i], targets.get(r.target)!, exclEff[i], o)), targets, warnings };
}

/** rdmlpython's chemistry defaults for nAmpli (the copies at which the exponential phase becomes limited). */
export interface AmplifiableOptions {
  chemistry?: 'non-saturating DNA binding dye' | 'saturating DNA binding dye' | 'hybridization probe' | 'hydrolysis probe';
  /** nM, used for non-saturating dyes only; default 400. */
  dyeConc?: number;
  /** default 1.5 (SYBR), 0.04 (saturating dye), 0.10 (probes). */
  nCopyFact?: number;
  /** bp, default 100. */
  ampliconLen?: number;
  /** nM, the lower of the two primers, default 250. */
  primerConc?: number;
  /** µl, default 20 (rdmlpython uses 10 on plates with more than 12 columns). */
  volume?: number;
  /** rdmlpython doubles nAmpli for a sample that is not marked double-stranded; default true (its default). */
  singleStranded?: boolean;
}

/** nAmpli as rdmlpython computes it: the dye limit for non-saturating dyes, else the primer limit. */
export function amplifiableCopies(a: AmplifiableOptions = {}): number {
  const AVOGADRO = 6.02214076e23;
  const chem = a.chemistry ?? 'non-saturating DNA binding dye';
  const sat = chem === 'saturating DNA binding dye', probe = chem.endsWith('probe');
  const nCopyFact = a.nCopyFact ?? (sat ? 0.04 : probe ? 0.1 : 1.5);
  const limit = chem === 'non-saturating DNA binding dye'
    ? (nCopyFact * (a.dyeConc ?? 400.0) * AVOGADRO * 1e-15) / (a.ampliconLen ?? 100.0)
    : nCopyFact * (a.primerConc ?? 250.0) * AVOGADRO * 1e-15;
  return (a.singleStranded === false ? 1.0 : 2.0) * limit * (a.volume ?? 20.0);
}
