/**
 * Cq → relative expression (docs/study-language.md, "From Cq to expression").
 *
 * Order of operations:
 * 1. Only sample wells enter (task `unknown` or `reference`); standards, NTC, NRT, positive/negative controls never do.
 *    Wells of targets that are neither a reference nor a target of interest are ignored.
 * 2. Wells omitted by the instrument are excluded.
 * 3. A well without a Cq, or with a Cq above qc max-cq (late amplification), is a non-detect: the non-detect policy
 *    decides (see `NondetectPolicy`).
 * 4. Replicate outliers (Grubbs / distance) among the amplified wells of one plate × sample × target are excluded.
 * 5. Inter-run calibration (when an inter-run calibrator glob is given) subtracts each plate's factor from its amplified Cqs.
 * 6. Replicates of a sample × target (pooled across plates) are averaged: cqMean, cqSd. A replicate SD above
 *    qc replicate-sd gives `expr-replicate-sd`, fewer usable replicates than qc min-replicates `expr-min-replicates`
 *    (warnings after exclusions, distinct from the plate QC codes; the value is still computed).
 * 7. refCq = mean of the references' mean Cqs (all references are required); dCq = Cq - refCq. Relative quantity
 *    log2 RQ = -Cq_t·log2 E_t + mean_r(Cq_r·log2 E_r): 2^-dCq when all E = 2, Pfaffl otherwise; several references
 *    = geometric mean of their quantities.
 * 8. With a calibrator: ddCq = dCq - mean dCq of the calibrator samples; expression = RQ / geomean(RQ of calibrators)
 *    (= 2^-ddCq when all E = 2).
 * 9. Standard errors and 95 % intervals: the qbase+ model and Livak's 2^-(ddCq ± s) (propagation.ts).
 */
import type { EngineDiagnostic } from '../common/diagnostic';
import { lineRange } from '../common/diagnostic';
import { attachRows, ExpressionTable, type TableParts } from './table';
import { append } from '../../shared/append';
import { cqOrNaN } from '../../shared/cq';
import type { Plate, Well } from '../plate/model';
import { QC_THRESHOLDS } from '../plate/model';
import { wellSource, type WellSource } from '../plate/wellSource';
import type { MethodsSummary } from '../../shared/report/types';
import { interRunCalibration, sampleGlob, type IrcObservation } from './interrun';
import { detectOutliers, mean, meanOfFirst, sdOfFirst } from './outliers';
import { ReplicateGrouper, replicateLists } from '../../shared/replicates';
import { firstOfStrings } from '../../shared/pairIndex';
import { plateStandardCurves, wellRange } from './standards';
import { propagateErrors } from './propagation';
import { efficiencySe } from '../stats/propagation';
import type { EfficiencyUsed, ExpressionOptions, ExpressionResult, ReplicateStep, StandardCurve, WellRef } from './types';
import { own } from '../../shared/own';

type Exclusion = MethodsSummary['exclusions'][number];

/**
 * Status of a well ("state"): OK = amplified, Cq ≤ max-cq, not excluded. NOT_SAMPLE: not a state (a control or
 * standard well, or a target neither of interest nor a reference).
 */
const OK = 0, NONDETECT = 1, EXCLUDED = 2, NOT_SAMPLE = 3;

/** Tasks of the wells that enter sample expression. */
const isSampleTask = (task: Well['task']) => task === 'unknown' || task === 'reference';

function describeNondetect(p: ExpressionOptions['nondetect'], maxCq: number): string {
  const late = `a Cq above max-cq ${maxCq} is treated as a non-detect`;
  switch (p.policy) {
    case 'exclude': return `non-detects excluded (${late}); a sample with no amplified replicate has no value`;
    case 'value': return `non-detects set to Cq ${p.value} (${late})`;
    case 'max-cq': return `non-detects set to Cq ${maxCq} (max-cq) (${late})`;
    case 'impute': return `non-detects among amplified replicates dropped (the amplified replicates' mean stands); all replicates non-detect: Cq ${p.value ?? maxCq} (${late})`;
  }
}

function fmt(x: number, d = 2): string { return Number.isFinite(x) ? x.toFixed(d) : String(x); }

/** What the steps below share: the options, the findings, and the plates' first file (for file-level findings). */
interface Run {
  plates: Plate[];
  opts: ExpressionOptions;
  qc: ExpressionOptions['qc'];
  diagnostics: EngineDiagnostic[];
  exclusions: Exclusion[];
  notes: string[];
  firstFile: string | undefined;
  /** With `opts.steps`: why each excluded state was excluded, and the Cq a group's kept non-detects stand for. */
  excludedAt?: Map<number, { code: string; reason: string }>;
  ndValue?: Map<number, number>;
}

export function computeExpression(plates: Plate[], opts: ExpressionOptions): ExpressionResult {
  const run: Run = { plates, opts, qc: opts.qc, diagnostics: [], exclusions: [], notes: [], firstFile: plates[0]?.file };
  if (opts.steps) { run.excludedAt = new Map(); run.ndValue = new Map(); }
  const refs = [...opts.references];
  // Without a target list every sample well's target is wanted (the targets are the others than the references).
  const states = classifyWells(run, opts.targets ? new Set([...opts.targets, ...refs]) : null); // 1–3
  // Standard curves (always computed and reported) of the plates with a standard well (classifyWells read the tasks;
  // it reports no diagnostic, so theirs still come first).
  const standardCurves: StandardCurve[] = [];
  plates.forEach((p, pi) => {
    if (!states.hasStandard[pi]) return;
    for (const c of plateStandardCurves(p, run.qc.maxCq)) { standardCurves.push(c); append(run.diagnostics, c.diagnostics); }
  });
  const { seenTargets, targets, wanted } = resolveTargets(run, refs, states.seenTargets);
  const eff = efficiencies(run, wanted, seenTargets, standardCurves);
  if (opts.outliers.method !== 'none') excludeOutliers(run, states); // 4
  const interRun = opts.interRunCalibrator ? interRunCorrection(run, states, opts.interRunCalibrator) : undefined; // 5
  const groups = replicateGroups(run, states);               // 6
  if (opts.steps) groups.steps = replicateSteps(run, states, groups);
  const fieldsOf = sampleFieldsOf(run, states, groups);
  const { parts, log2rq, sampleCount } = normalise(run, states, groups, fieldsOf, refs, targets, (t) => eff.get(t)?.value ?? 2); // 7
  const calibrators = log2rq ? calibrate(run, parts, log2rq, groups.sampleOrder, fieldsOf) : undefined; // 8
  const efficienciesUsed = [...eff.values()].filter((e) => seenTargets.includes(e.target));
  const methods = methodsSummary(run, refs, targets, efficienciesUsed, calibrators);
  const table = new ExpressionTable(parts);
  const result = {} as ExpressionResult;
  attachRows(result, table); // `samples` first among the keys, as it always was
  Object.assign(result, { sampleCount, exclusions: run.exclusions, efficiencies: efficienciesUsed, standardCurves, diagnostics: run.diagnostics, methods });
  if (interRun) result.interRun = interRun;
  Object.defineProperty(result, 'table', { value: table, enumerable: false });
  const isCal = calibrators ? new Set(calibrators) : undefined; // the calibrator predicate's answer per sample (step 8)
  if (opts.propagate) propagateErrors(result.samples, refs, [...eff.values()], isCal ? (s) => isCal.has(s.sample) : undefined); // 9
  return result;
}

/** The targets of interest, and both them and the references, from the targets of the sample wells (`seenTargets`). */
function resolveTargets(run: Run, refs: string[], seenTargets: string[]): { seenTargets: string[]; targets: string[]; wanted: Set<string> } {
  const file = run.firstFile;
  for (const r of refs) if (!seenTargets.includes(r)) run.diagnostics.push({ code: 'expr-unknown-reference', severity: 'error', message: `Reference "${r}" is not a target of any sample well (targets: ${seenTargets.join(', ') || 'none'}).`, file, range: lineRange(0, 0, 1) });
  const targets = run.opts.targets ? [...run.opts.targets] : seenTargets.filter((t) => !refs.includes(t));
  for (const t of targets) if (!seenTargets.includes(t)) run.diagnostics.push({ code: 'expr-unknown-target', severity: 'warning', message: `Target "${t}" is not in any sample well.`, file, range: lineRange(0, 0, 1) });
  return { seenTargets, targets, wanted: new Set([...targets, ...refs]) };
}

/** SE of the mean of independent estimates with these SEs: sqrt(Σ SE²) / k (null if one is unknown). */
function meanSe(se: (number | null)[]): number | null {
  return se.some((x) => x === null || !Number.isFinite(x)) ? null : Math.sqrt(se.reduce((a: number, x) => a + (x as number) ** 2, 0)) / se.length;
}

/** The amplification factor used per wanted target: from the standard curves (with its SE), stated, or 2. */
function efficiencies(run: Run, wanted: Set<string>, seenTargets: string[], standardCurves: StandardCurve[]): Map<string, EfficiencyUsed> {
  const eff = new Map<string, EfficiencyUsed>();
  const file = run.firstFile;
  if (run.opts.efficiency === 'standards') {
    for (const t of wanted) {
      const cs = standardCurves.filter((c) => c.target === t && c.efficiency !== null);
      if (cs.length) eff.set(t, { target: t, value: mean(cs.map((c) => c.efficiency as number)), source: `standard curve (${cs.map((c) => c.file).join(', ')})`, se: meanSe(cs.map((c) => (c.slopeSe === null ? null : efficiencySe(c.slope as number, c.slopeSe)))) });
      else {
        eff.set(t, { target: t, value: 2, source: 'default (no standard curve)', se: 0 });
        if (seenTargets.includes(t)) run.diagnostics.push({ code: 'efficiency-no-standards', severity: 'warning', message: `No usable standard curve for ${t}: efficiency 2 assumed.`, file, range: lineRange(0, 0, 1) });
      }
    }
    return eff;
  }
  const given = run.opts.efficiency ?? {};
  for (const t of wanted) {
    const v = own(given, t); // a target named toString is not Object.prototype's
    if (v === undefined) { eff.set(t, { target: t, value: 2, source: 'default', se: 0 }); continue; }
    const from = run.opts.efficiencySources && own(run.opts.efficiencySources, t);
    if (Number.isFinite(v) && v > 1 && v <= 3) eff.set(t, { target: t, value: v, source: from?.source ?? 'stated', se: from ? from.se : 0 });
    else {
      run.diagnostics.push({ code: 'efficiency-invalid', severity: 'error', message: `Efficiency of ${t} must be an amplification factor in (1, 3] (2 = 100 %); got ${v}. 2 is used.`, file, range: lineRange(0, 0, 1) });
      eff.set(t, { target: t, value: 2, source: 'default (stated value invalid)', se: 0 });
    }
  }
  return eff;
}

/**
 * A "state" per sample well of a wanted target, kept in parallel arrays indexed by the well's place in all the plates'
 * wells one after the other (state i is well i - plateStart[p] of plate p = plate[i], or well i of the only plate;
 * wells that are no state have status NOT_SAMPLE), not as an object per well (a 1M-well plate otherwise allocates 1M
 * objects that all survive into the old generation): its plate (index into `plates`) and its status (a non-detect
 * with a Cq was late: `isLate`). The Cq used is the well's own while the status is OK, except after inter-run
 * calibration (then in `cq`). The typed arrays are kept few and small: typed-array memory is external to the V8 heap,
 * and more than 64 MB of it since the last full GC starts a full mark-compact (hundreds of ms on a heap holding a
 * 1M-well plate; see `firstOccurrences`).
 */
interface States {
  /** Number of wells of all plates (states and not). */
  n: number;
  /** Each plate's wells (`wellSource`: a well read is a view made for the read) and where they start among all the
   *  plates' wells (by plate index). */
  plateWells: WellSource[];
  plateStart: number[];
  /** Each state's plate; null when there is one plate (plate 0). */
  plate: Uint16Array | Int32Array | null;
  status: Uint8Array;
  cq: Float64Array | null;
  /** The targets of every sample well (wanted or not), in order of first appearance. */
  seenTargets: string[];
  /** The states' sample × target pairs (the shared replicate grouping) for step 6. */
  grouper: ReplicateGrouper;
  /** Per plate: whether a well has task `standard` (only those plates can have standard curves). */
  hasStandard: boolean[];
}

/** What locates a state's well (`wellRefs` keeps only this of the states). */
type StatePlaces = Pick<States, 'plate' | 'plateStart' | 'plateWells'>;

const plateOf = (s: StatePlaces, i: number): number => (s.plate === null ? 0 : s.plate[i]);
const wellOf = (s: StatePlaces, i: number): Well => {
  if (s.plate === null) return s.plateWells[0].at(i);
  const p = s.plate[i];
  return s.plateWells[p].at(i - s.plateStart[p]);
};
/** Whether non-detect state i has a Cq (above max-cq), not none. */
const isLate = (s: States, i: number): boolean => Number.isFinite(cqOrNaN(wellOf(s, i)));
const cqOf = (s: States, i: number): number => (s.cq !== null ? s.cq[i] : cqOrNaN(wellOf(s, i)));
const fileOf = (run: Run, s: States, i: number): string => run.plates[plateOf(s, i)].file;

/** Excludes state i; `code` says which step (instrument-omit, no-cq, late-cq, outlier-grubbs, outlier-distance). */
function exclude(run: Run, s: States, i: number, reason: string, code: string): void {
  s.status[i] = EXCLUDED;
  const w = wellOf(s, i);
  run.exclusions.push({ file: fileOf(run, s, i), line: w.line, well: w.position, sample: w.sample, target: w.target, reason, code });
  run.excludedAt?.set(i, { code, reason });
}

/**
 * 1–3: the sample wells of wanted targets (null: all); omitted wells are excluded, no Cq or a Cq above max-cq is a
 * non-detect. The same pass collects the targets of all sample wells.
 */
function classifyWells(run: Run, wanted: Set<string> | null): States {
  const plates = run.plates;
  const plateStart: number[] = [], plateWells = plates.map(wellSource);
  let capacity = 0;
  for (const w of plateWells) { plateStart.push(capacity); capacity += w.length; }
  const s: States = {
    n: capacity, plateWells, plateStart,
    plate: plates.length === 1 ? null : plates.length <= 0xffff ? new Uint16Array(capacity) : new Int32Array(capacity),
    status: new Uint8Array(capacity), cq: null, seenTargets: [],
    grouper: new ReplicateGrouper(capacity), hasStandard: plates.map(() => false),
  };
  const { plate, status, grouper, seenTargets } = s;
  const maxCq = run.qc.maxCq;
  // Targets come in runs of rows: the list search and wanted.has only when the target changes.
  let lastTarget: string | undefined, isWanted = false;
  for (let pi = 0; pi < plates.length; pi++) {
    const wells = plateWells[pi];
    for (let k = 0, i = plateStart[pi]; k < wells.length; k++, i++) {
      const w = wells.at(k);
      if (plate) plate[i] = pi;
      const task = w.task;
      if (!isSampleTask(task)) { status[i] = NOT_SAMPLE; if (task === 'standard') s.hasStandard[pi] = true; continue; }
      const target = w.target;
      if (target !== lastTarget) {
        lastTarget = target;
        if (!seenTargets.includes(target)) seenTargets.push(target);
        isWanted = wanted === null || wanted.has(target);
      }
      if (!isWanted) { status[i] = NOT_SAMPLE; continue; }
      grouper.add(i, w.sample, target);
      if (w.omitted) { exclude(run, s, i, 'omitted by the instrument', 'instrument-omit'); continue; }
      const cq = cqOrNaN(w); // one read, unboxed
      if (!Number.isFinite(cq)) { status[i] = NONDETECT; continue; }
      if (cq > maxCq) status[i] = NONDETECT; // late (isLate)
    }
  }
  return s;
}

/** 4: replicate outliers per plate × sample × target, among the amplified states (a plate's states are consecutive). */
function excludeOutliers(run: Run, s: States): void {
  for (let lo = 0, hi = 0; lo < s.n; lo = hi) {
    while (hi < s.n && plateOf(s, hi) === plateOf(s, lo)) hi++;
    const first = lo;
    for (const list of replicateLists(hi - lo, (k) => (s.status[first + k] === OK ? wellOf(s, first + k) : null))) {
      const g = list.map((k) => first + k);
      const out = detectOutliers(g.map((i) => cqOf(s, i)), run.opts.outliers);
      for (const e of out.excluded) exclude(run, s, g[e.index], e.reason, `outlier-${run.opts.outliers.method}`);
      const w0 = wellOf(s, g[0]);
      if (out.warning) run.diagnostics.push({ code: 'expr-outlier-ambiguous', severity: 'warning', message: `${w0.sample} / ${w0.target}: ${out.warning}.`, file: fileOf(run, s, g[0]), range: wellRange(w0) });
    }
  }
}

/** 5: inter-run calibration: each plate's factor per target is subtracted from its amplified Cqs. */
function interRunCorrection(run: Run, s: States, glob: string): ExpressionResult['interRun'] {
  const re = sampleGlob(glob);
  const obs: IrcObservation[] = [];
  for (let i = 0; i < s.n; i++) if (s.status[i] === OK) obs.push({ file: fileOf(run, s, i), sample: wellOf(s, i).sample, target: wellOf(s, i).target, cq: cqOf(s, i) });
  const platesT = run.plates.map((p) => {
    const targetsOfP = new Set<string>();
    for (let i = 0; i < s.n; i++) if (run.plates[plateOf(s, i)] === p && s.status[i] !== NOT_SAMPLE) targetsOfP.add(wellOf(s, i).target);
    return { file: p.file, targets: [...targetsOfP] };
  });
  const r = interRunCalibration(obs, (x) => re.test(x.trim()), platesT);
  append(run.diagnostics, r.diagnostics);
  const f = new Map(r.factors.map((x) => [`${x.file}\u0000${x.target}`, x.factor] as const));
  const corrected = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) if (s.status[i] === OK) {
    const cf = f.get(`${fileOf(run, s, i)}\u0000${wellOf(s, i).target}`);
    corrected[i] = typeof cf === 'number' ? cqOf(s, i) - cf : cqOf(s, i);
  }
  s.cq = corrected;
  run.notes.push(`inter-run calibration on samples matching "${glob}" (plate factor subtracted from amplified Cqs)`);
  return r.factors;
}

/**
 * Replicate groups (sample × target, pooled across plates, in order of first appearance) with their statistics. A
 * group's states are memberOf(g, j) for j in memberStart[k] ..< memberStart[k + 1] (state order). Samples are
 * numbered in order of first appearance.
 */
interface Groups {
  count: number;
  first: number[];         // group → its first state
  sample: number[];        // group → sample number
  memberStart: Int32Array;
  /** The most states in one group. */
  largest: number;
  /** The states sorted by group; null when that is every well in order (each group one run of rows, no other well). */
  member: Int32Array | null;
  sampleOrder: string[];
  sampleFirst: number[];   // sample number → its first state
  /**
   * Per group: the number of Cqs used (as narrow an array as the largest group allows: typed-array memory counts
   * toward V8's full-GC trigger), their mean (valid when nUsed > 0) and SD (valid when nUsed >= 2).
   */
  nUsed: Uint8Array | Uint16Array | Int32Array;
  cqMean: Float64Array;
  cqSd: Float64Array;
  /** With `opts.steps`: each group's wells with the Cq used or why it was excluded. */
  steps?: ReplicateStep[][];
}

/** Every well of each group: its Cq as read, the Cq that entered the mean (null: excluded, with the code and why). */
function replicateSteps(run: Run, s: States, g: Groups): ReplicateStep[][] {
  const out: ReplicateStep[][] = [];
  const limit = Math.min(g.count, run.opts.stepsLimit ?? 5000);
  for (let k = 0; k < limit; k++) {
    const rows: ReplicateStep[] = [];
    for (let j = g.memberStart[k]; j < g.memberStart[k + 1]; j++) {
      const i = memberOf(g, j), w = wellOf(s, i);
      const base = { file: fileOf(run, s, i), well: w.position, cq: w.cq !== null && Number.isFinite(w.cq) ? w.cq : null };
      if (s.status[i] === EXCLUDED) rows.push({ ...base, used: null, ...run.excludedAt!.get(i)! });
      else if (s.status[i] === OK) rows.push({ ...base, used: cqOf(s, i) });
      else rows.push({ ...base, used: run.ndValue!.get(k) ?? null, code: isLate(s, i) ? 'late-cq' : 'no-cq', reason: `${isLate(s, i) ? 'late Cq' : 'no Cq'}: counted as Cq ${run.ndValue!.get(k)} (non-detect policy)` });
    }
    out.push(rows);
  }
  return out;
}

/** 6: replicate means per sample × target after the non-detect policy; expr-replicate-sd and expr-min-replicates. */
function replicateGroups(run: Run, s: States): Groups {
  const g = groupStates(s);
  const nd = run.opts.nondetect;
  if (nd.policy === 'value' && (nd.value === undefined || !Number.isFinite(nd.value))) {
    run.diagnostics.push({ code: 'nondetect-no-value', severity: 'error', message: 'Non-detect policy "value" needs a Cq value; max-cq is used instead.', file: run.firstFile, range: lineRange(0, 0, 1) });
  }
  // The Cqs used by the current group, in order (detected, then non-detect values): one buffer for all groups.
  const used = new Float64Array(g.largest);
  for (let k = 0; k < g.count; k++) {
    const n = usedCqs(run, s, g, k, used);
    g.nUsed[k] = n;
    if (n) g.cqMean[k] = meanOfFirst(used, n);
    if (n >= 2) g.cqSd[k] = sdOfFirst(used, n);
    replicateFindings(run, s, g, k);
  }
  return g;
}

/** The j-th state in group order (see `Groups`). */
const memberOf = (g: Pick<Groups, 'member'>, j: number): number => (g.member === null ? j : g.member[j]);

/** Group ids over the state arrays, sample numbers, and each group's states (see `Groups`). */
function groupStates(s: States): Groups {
  const n = s.n;
  // In place: the first state of i's group comes at or before i; -1 = i is no state.
  const groupOf = s.grouper.firstOf((i) => wellOf(s, i), n);
  let count = 0, states = 0;
  for (let i = 0; i < n; i++) if (groupOf[i] >= 0) { states++; if (groupOf[i] === i) count++; }
  // On the heap (exactly sized: no growth), not typed: typed-array memory is external (see `States`). Not filled
  // first: every slot is written in order below (filling a 3M-slot array costs more than writing it).
  const first = new Array<number>(count);
  let inOrder = states === n; // every well a state and each group one run: the states sorted by group are 0 … n - 1
  for (let i = 0, k = 0; i < n; i++) {
    const f = groupOf[i];
    if (f < 0) continue;
    if (f === i) { groupOf[i] = k; first[k++] = i; } else { groupOf[i] = groupOf[f]; if (groupOf[i] !== k - 1) inOrder = false; }
  }
  // Each group's states, in state order: a counting sort by group (sizes, then their running sums: memberStart[k] is
  // where group k ends), filled from the end (memberStart[k] then is where it starts). In order: no array, the ends
  // shifted to the starts.
  const memberStart = new Int32Array(count + 1);
  let largest = 0;
  for (let i = 0; i < n; i++) if (groupOf[i] >= 0) largest = Math.max(largest, ++memberStart[groupOf[i]]);
  for (let k = 1; k <= count; k++) memberStart[k] += memberStart[k - 1];
  let member: Int32Array | null = null;
  if (inOrder) {
    for (let k = count; k > 0; k--) memberStart[k] = memberStart[k - 1];
    memberStart[0] = 0;
  } else {
    member = new Int32Array(states);
    for (let i = n - 1; i >= 0; i--) if (groupOf[i] >= 0) member[--memberStart[groupOf[i]]] = i;
  }
  const nUsed = largest <= 0xff ? new Uint8Array(count) : largest <= 0xffff ? new Uint16Array(count) : new Int32Array(count);
  return {
    count, first, memberStart, largest, member, ...numberSamples(s, first),
    nUsed, cqMean: new Float64Array(count), cqSd: new Float64Array(count),
  };
}

/**
 * Sample numbers of the groups (in order of first appearance) with the same cache-friendly grouping as the groups
 * themselves, over one hash per group instead of a Map keyed by the names (millions of samples: its lookups miss the
 * caches and its growth copies). A sample's groups are usually consecutive: only the first of a run is hashed.
 */
function numberSamples(s: States, first: number[]): Pick<Groups, 'sample' | 'sampleOrder' | 'sampleFirst'> {
  const count = first.length;
  const nameOf = (k: number): string => wellOf(s, first[k]).sample;
  const firstGroup = firstOfStrings(count, nameOf);
  const sample = new Array<number>(count); // every slot written in order (see `first`)
  const sampleOrder: string[] = [], sampleFirst: number[] = [];
  for (let k = 0; k < count; k++) {
    const f = firstGroup[k];
    if (f !== k) { sample[k] = sample[f]; continue; }
    sample[k] = sampleOrder.length;
    sampleOrder.push(nameOf(k));
    sampleFirst.push(first[k]);
  }
  return { sample, sampleOrder, sampleFirst };
}

/** Fills `used` with group k's Cqs (detected, then the non-detect policy's values); returns how many. */
function usedCqs(run: Run, s: States, g: Groups, k: number, used: Float64Array): number {
  const lo = g.memberStart[k], hi = g.memberStart[k + 1];
  let n = 0, nondet = 0;
  for (let j = lo; j < hi; j++) {
    const i = memberOf(g, j);
    if (s.status[i] === OK) used[n++] = cqOf(s, i); else if (s.status[i] === NONDETECT) nondet++;
  }
  // The non-detect policy in its own function: its closures here made a context object on every call (per group).
  return nondet ? nondetectCqs(run, s, g, k, used, n, nondet) : n;
}

/** The non-detect policy for group k (`nondet` non-detects; `used` holds its `n` detected Cqs): returns the count used. */
function nondetectCqs(run: Run, s: States, g: Groups, k: number, used: Float64Array, n: number, nondet: number): number {
  const lo = g.memberStart[k], hi = g.memberStart[k + 1];
  const nd = run.opts.nondetect, maxCq = run.qc.maxCq;
  const ndReason = (i: number, what: string) => `${isLate(s, i) ? `late Cq ${fmt(wellOf(s, i).cq as number)} > max-cq ${maxCq}` : `no Cq (${wellOf(s, i).cqText || 'empty'})`}: ${what}`;
  // The non-detects of this group are exactly its states still marked NONDETECT (excluding one does not change the
  // others).
  const excludeNondetects = (what: string) => {
    for (let j = lo; j < hi; j++) { const i = memberOf(g, j); if (s.status[i] === NONDETECT) exclude(run, s, i, ndReason(i, what), isLate(s, i) ? 'late-cq' : 'no-cq'); }
  };
  switch (nd.policy) {
    case 'exclude':
      excludeNondetects('excluded (non-detect policy)');
      break;
    case 'value':
    case 'max-cq': {
      const v = nd.policy === 'value' && nd.value !== undefined && Number.isFinite(nd.value) ? nd.value : maxCq;
      for (let j = 0; j < nondet; j++) used[n++] = v;
      run.ndValue?.set(k, v);
      break;
    }
    case 'impute':
      if (n) excludeNondetects('dropped, the amplified replicates stand for it (impute policy)');
      else { const v = nd.value ?? maxCq; for (let j = 0; j < nondet; j++) used[n++] = v; run.ndValue?.set(k, v); }
      break;
  }
  return n;
}

/** expr-replicate-sd and expr-min-replicates of group k (warnings after exclusions; the value is still computed). */
function replicateFindings(run: Run, s: States, g: Groups, k: number): void {
  const n = g.nUsed[k], v = g.cqSd[k], qc = run.qc;
  const sdHigh = n >= 2 && v > qc.replicateSd;
  const fewUsed = n < qc.minReplicates;
  if (!sdHigh && !fewUsed) return;
  // The range (a fresh object per read of a text well) only when reported.
  const first = g.first[k], w0 = wellOf(s, first), file = fileOf(run, s, first);
  const range = wellRange(w0);
  if (sdHigh) run.diagnostics.push({ code: 'expr-replicate-sd', severity: 'warning', message: `${w0.sample} / ${w0.target}: replicate SD ${fmt(v, 3)} > ${qc.replicateSd} cycles.`, file, range });
  if (fewUsed) run.diagnostics.push({ code: 'expr-min-replicates', severity: 'warning', message: `${w0.sample} / ${w0.target}: ${n} usable replicate(s) of ${g.memberStart[k + 1] - g.memberStart[k]} (< ${qc.minReplicates}).`, file, range });
}

/**
 * The fields of a sample without any (no sample pattern or sheet, or a name that does not match): one frozen empty
 * object shared by all such rows instead of one per sample (nothing writes to a row's fields).
 */
const NO_FIELDS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Sample fields by sample number (sample-pattern warning for a name that does not match). */
function sampleFieldsOf(run: Run, s: States, g: Groups): Record<string, string>[] {
  const fieldsOf: Record<string, string>[] = [];
  for (let k = 0; k < g.sampleOrder.length; k++) {
    const name = g.sampleOrder[k];
    let f: Record<string, string> | null = NO_FIELDS;
    if (run.opts.sampleFields) {
      f = run.opts.sampleFields(name);
      if (f === null) {
        const w = wellOf(s, g.sampleFirst[k]);
        run.diagnostics.push({ code: 'sample-pattern', severity: 'warning', message: `Sample "${name}" does not match the sample pattern; it has no fields.`, file: fileOf(run, s, g.sampleFirst[k]), range: w.ranges.sample ?? wellRange(w) });
        f = NO_FIELDS;
      }
    }
    fieldsOf.push(f);
  }
  return fieldsOf;
}

/**
 * Every well of group h (used and excluded), in state order: the rows' `wells`, made on a row's first read of it (see
 * common/lazyProperty.ts; few callers read them, and made for every row they were half the rows' memory). Holds only
 * what it reads, not the run, states or groups.
 */
function wellRefs(run: Run, s: States, g: Groups): (h: number) => WellRef[] {
  const files = run.plates.map((p) => p.file);
  const at: StatePlaces = { plate: s.plate, plateStart: s.plateStart, plateWells: s.plateWells }, members = { member: g.member };
  const { memberStart } = g;
  return (h) => {
    const wells: WellRef[] = [];
    for (let j = memberStart[h]; j < memberStart[h + 1]; j++) {
      const i = memberOf(members, j);
      wells.push({ file: files[plateOf(at, i)], index: wellOf(at, i).index });
    }
    return wells;
  };
}

/**
 * 7: reference and dCq, into the columns of an `ExpressionTable`: one row per sample × target of interest, then the
 * sample's references. With a calibrator, `log2rq` holds each row's log2 relative quantity (NaN without a dCq), and
 * step 8 sets the rows' expression and ddCq.
 */
function normalise(run: Run, s: States, g: Groups, fieldsOf: Record<string, string>[], refs: string[], targets: string[], E: (t: string) => number): { parts: TableParts; log2rq: Float64Array | null; sampleCount: number } {
  const chains = chainGroups(s, g, refs, targets);
  const rows = chains.rows;
  const withCal = run.opts.calibrator !== undefined;
  const parts: TableParts = {
    length: rows, sampleNames: g.sampleOrder, sampleFields: fieldsOf, targetNames: [...chains.targetNo.keys()], nTargets: targets.length,
    sampleNo: new Int32Array(rows), targetNo: new Int32Array(rows), groupNo: new Int32Array(rows), reference: new Uint8Array(rows),
    dcq: new Float64Array(rows), expression: new Float64Array(rows), ddcq: withCal ? new Float64Array(rows).fill(NaN) : null,
    refCq: new Float64Array(g.sampleOrder.length), groups: g, wells: wellRefs(run, s, g),
  };
  const n: Normalising = {
    run, s, g, refs, targets, chains, parts, log2rq: withCal ? new Float64Array(rows).fill(NaN) : null,
    slot: new Int32Array(chains.targetNo.size), refGroup: new Int32Array(refs.length), refCq: NaN, refLog2: NaN,
    refLog2E: refs.map((r) => Math.log2(E(r))), targetLog2E: targets.map((t) => Math.log2(E(t))),
  };
  let row = 0, sampleCount = 0;
  for (let k = 0; k < g.sampleOrder.length; k++) {
    const next = sampleRows(n, k, row);
    if (next > row) sampleCount++;
    row = next;
  }
  parts.length = row; // = rows (as counted by chainGroups)
  return { parts, log2rq: n.log2rq, sampleCount };
}

/**
 * A sample's group of a target, without a string lookup: the wanted targets are numbered (`targetNo`: the targets,
 * then the references), each sample's groups are chained (headGroup[sample] → nextGroup[group] → ... → -1), and
 * `rows` counts the table's rows: one per group of a target, one more where that target is also a reference.
 */
interface GroupChains {
  targetNo: Map<string, number>;
  refNo: number[];
  targetNos: number[];
  groupTarget: Uint8Array | Int32Array;
  headGroup: Int32Array;
  nextGroup: Int32Array;
  rows: number;
}

function chainGroups(s: States, g: Groups, refs: string[], targets: string[]): GroupChains {
  const targetNo = new Map<string, number>();
  for (const t of [...targets, ...refs]) if (!targetNo.has(t)) targetNo.set(t, targetNo.size);
  const refNo = refs.map((r) => targetNo.get(r)!), targetNos = targets.map((t) => targetNo.get(t)!);
  const rowsOf = new Int32Array(targetNo.size); // rows per group of each target number: 1, or 2 if also a reference
  for (const t of targetNos) rowsOf[t]++;
  for (const t of refNo) rowsOf[t]++;
  const groupTarget = targetNo.size <= 0x100 ? new Uint8Array(g.count) : new Int32Array(g.count); // narrow: see `Groups`
  const headGroup = new Int32Array(g.sampleOrder.length).fill(-1), nextGroup = new Int32Array(g.count);
  let rows = 0;
  for (let k = g.count - 1; k >= 0; k--) {
    groupTarget[k] = targetNo.get(wellOf(s, g.first[k]).target)!;
    rows += rowsOf[groupTarget[k]];
    nextGroup[k] = headGroup[g.sample[k]];
    headGroup[g.sample[k]] = k;
  }
  return { targetNo, refNo, targetNos, groupTarget, headGroup, nextGroup, rows };
}

/** What `normalise` carries from sample to sample; `slot`, `refGroup` and `refLog2` hold the current sample's. */
interface Normalising {
  run: Run; s: States; g: Groups; refs: string[]; targets: string[]; chains: GroupChains; parts: TableParts; log2rq: Float64Array | null;
  /** Per target number: the current sample's group of it + 1 (0 = none). */
  slot: Int32Array;
  /** The current sample's reference groups (-1 = none), mean reference Cq and mean of -Cq_r·log2 E_r. */
  refGroup: Int32Array; refCq: number; refLog2: number;
  refLog2E: number[]; targetLog2E: number[];
}

/** Sample k's rows from `row` on: its targets of interest, then its references. Returns the next free row. */
function sampleRows(n: Normalising, k: number, row: number): number {
  const { chains: c, g, parts, refs, targets, slot, refGroup } = n;
  for (let h = c.headGroup[k]; h >= 0; h = c.nextGroup[h]) slot[c.groupTarget[h]] = h + 1;
  const refOk = sampleReference(n), refCq = n.refCq;
  parts.refCq[k] = refCq;
  for (let j = 0; j < targets.length; j++) {
    const h = slot[c.targetNos[j]] - 1;
    if (h < 0) continue;
    let dcq = NaN, expression = NaN;
    if (refOk && g.nUsed[h]) {
      const m = g.cqMean[h], l = -m * n.targetLog2E[j] - n.refLog2;
      dcq = m - refCq;
      if (n.log2rq) n.log2rq[row] = l; else expression = Math.pow(2, l);
    }
    if (!refOk) noReference(n.run, n.s, g, refs, refGroup, targets[j], h);
    setRow(parts, row++, k, c.targetNos[j], h, 0, dcq, expression);
  }
  for (let j = 0; j < refs.length; j++) {
    const h = refGroup[j];
    if (h >= 0) setRow(parts, row++, k, c.refNo[j], h, 1, NaN, NaN);
  }
  for (let h = c.headGroup[k]; h >= 0; h = c.nextGroup[h]) slot[c.groupTarget[h]] = 0;
  return row;
}

/**
 * The current sample's reference groups into `n.refGroup`, and whether it has a reference: every one given with a
 * usable Cq. If so `n.refCq` is the mean of the references' mean Cqs and `n.refLog2` the mean of -Cq_r·log2 E_r (each
 * summed in reference order); else both are NaN.
 */
function sampleReference(n: Normalising): boolean {
  const { refs, refGroup, slot, g } = n;
  let refOk = refs.length > 0;
  for (let j = 0; j < refs.length; j++) {
    const h = slot[n.chains.refNo[j]] - 1;
    refGroup[j] = h;
    if (h < 0 || g.nUsed[h] === 0) refOk = false;
  }
  n.refCq = NaN; n.refLog2 = NaN;
  if (!refOk) return false;
  let sumCq = 0, sumLog = 0;
  for (let j = 0; j < refs.length; j++) {
    const m = g.cqMean[refGroup[j]];
    sumCq += m;
    sumLog += -m * n.refLog2E[j];
  }
  n.refCq = sumCq / refs.length;
  n.refLog2 = sumLog / refs.length;
  return true;
}

function setRow(p: TableParts, i: number, sample: number, target: number, group: number, reference: number, dcq: number, expression: number): void {
  p.sampleNo[i] = sample; p.targetNo[i] = target; p.groupNo[i] = group; p.reference[i] = reference;
  p.dcq[i] = dcq; p.expression[i] = expression;
}

/** expr-no-reference for target `t`'s group h of a sample without every reference. */
function noReference(run: Run, s: States, g: Groups, refs: string[], refGroup: Int32Array, t: string, h: number): void {
  const missing = refs.filter((_, i) => refGroup[i] < 0 || g.nUsed[refGroup[i]] === 0);
  const first = g.first[h];
  run.diagnostics.push({ code: 'expr-no-reference', severity: 'warning', message: `${g.sampleOrder[g.sample[h]]}: no Cq for reference ${missing.join(', ') || '(none given)'}; ${t} cannot be normalised.`, file: fileOf(run, s, first), range: wellRange(wellOf(s, first)) });
}

/**
 * 8: ddCq and expression against the calibrator samples, per target of interest (`log2rq`: see `normalise`), on
 * every row of that target (a reference row of the same name has no dCq: null). Returns the calibrator sample names.
 */
function calibrate(run: Run, p: TableParts, log2rq: Float64Array, sampleOrder: string[], fieldsOf: Record<string, string>[]): string[] {
  const isCalibrator = run.opts.calibrator!;
  // Once per sample: a sample's rows share its name and fields.
  const isCal = sampleOrder.map((n, k) => isCalibrator(fieldsOf[k], n));
  const calibrators = sampleOrder.filter((_, k) => isCal[k]);
  const { dcq, ddcq, expression, targetNo, sampleNo } = p;
  for (let t = 0; t < p.nTargets; t++) {
    // Means over the target's calibrator rows with a dCq, summed in row order (as `mean`).
    let rows = 0, nCal = 0, sumDcq = 0, sumLog = 0;
    for (let i = 0; i < p.length; i++) {
      if (targetNo[i] !== t) continue;
      rows++;
      if (!Number.isNaN(dcq[i]) && isCal[sampleNo[i]]) { nCal++; sumDcq += dcq[i]; sumLog += log2rq[i]; }
    }
    if (nCal === 0 && rows) run.diagnostics.push({ code: 'expr-no-calibrator', severity: 'error', message: `No calibrator sample with a dCq for ${p.targetNames[t]}: ddCq cannot be computed.`, file: run.firstFile, range: lineRange(0, 0, 1) });
    const calDcq = sumDcq / nCal, calLog = sumLog / nCal;
    for (let i = 0; i < p.length; i++) {
      if (targetNo[i] !== t) continue;
      if (nCal === 0 || Number.isNaN(dcq[i])) { ddcq![i] = NaN; expression[i] = NaN; continue; }
      ddcq![i] = dcq[i] - calDcq;
      expression[i] = Math.pow(2, log2rq[i] - calLog);
    }
  }
  return calibrators;
}

/** The report's methods summary of this computation. */
function methodsSummary(run: Run, refs: string[], targets: string[], efficiencies: EfficiencyUsed[], calibrators: string[] | undefined): MethodsSummary {
  const { opts, qc, notes } = run;
  const pfaffl = efficiencies.some((e) => e.value !== 2);
  const refText = refs.length > 1 ? `mean Cq of ${refs.join(', ')} (geometric mean of quantities)` : refs[0] ?? '(no reference)';
  const expressionText = pfaffl
    ? `efficiency-corrected relative quantity (Pfaffl) against ${refText}${opts.calibrator ? ', relative to the calibrator samples' : ''}`
    : `${opts.calibrator ? '2^-ddCq' : '2^-dCq'} against ${refText}${opts.calibrator ? ' (ddCq against the calibrator samples\' mean dCq)' : ''}`;
  if (opts.outliers.method === 'grubbs') notes.push(`replicate outliers: two-sided Grubbs test, alpha ${opts.outliers.alpha ?? 0.05}, n >= 3`);
  if (opts.outliers.method === 'distance') notes.push(`replicate outliers: farther than ${opts.outliers.distance ?? 0.5} cycles from the median of the other replicates`);
  notes.push('wells omitted by the instrument excluded; standards, NTC and other controls do not enter sample expression');
  const qcRec: Record<string, number> = Object.fromEntries(QC_THRESHOLDS.map((k) => [k, qc[k]]));
  const methods: MethodsSummary = {
    references: refs,
    targets,
    expression: expressionText,
    efficiencies,
    nondetect: describeNondetect(opts.nondetect, qc.maxCq),
    qc: qcRec,
    exclusions: run.exclusions,
    notes,
  };
  if (calibrators) methods.calibrators = calibrators;
  return methods;
}
