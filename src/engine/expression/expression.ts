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
 */
import type { EngineDiagnostic } from '../common/diagnostic';
import { lineRange } from '../common/diagnostic';
import type { Plate, Well } from '../plate/model';
import type { MethodsSummary } from '../../shared/report/types';
import { interRunCalibration, type IrcObservation } from './interrun';
import { detectOutliers, mean, meanOfFirst, sdOfFirst } from './outliers';
import { globToRegExp } from './samples';
import { ReplicateGrouper, replicateLists } from '../../shared/replicates';
import { plateStandardCurves, wellRange } from './standards';
import type { EfficiencyUsed, ExpressionOptions, ExpressionResult, SampleExpression, StandardCurve, WellRef } from './types';

type Exclusion = MethodsSummary['exclusions'][number];

/** Status of a sample well ("state"): OK = amplified, Cq ≤ max-cq, not excluded. */
const OK = 0, NONDETECT = 1, EXCLUDED = 2;

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

export function computeExpression(plates: Plate[], opts: ExpressionOptions): ExpressionResult {
  const diagnostics: EngineDiagnostic[] = [];
  const exclusions: Exclusion[] = [];
  const qc = opts.qc;
  const refs = [...opts.references];
  const notes: string[] = [];

  // Standard curves (always computed and reported).
  const standardCurves: StandardCurve[] = [];
  for (const p of plates) for (const c of plateStandardCurves(p, qc.maxCq)) { standardCurves.push(c); diagnostics.push(...c.diagnostics); }

  // Targets.
  const seenTargets: string[] = [];
  let lastTarget: string | undefined; // targets repeat in runs of rows: skip the list search for those
  for (const p of plates) for (const w of p.wells) {
    if (w.target === lastTarget || !isSampleTask(w.task)) continue;
    if (!seenTargets.includes(w.target)) seenTargets.push(w.target);
    lastTarget = w.target;
  }
  const firstFile = plates[0]?.file;
  for (const r of refs) if (!seenTargets.includes(r)) diagnostics.push({ code: 'expr-unknown-reference', severity: 'error', message: `Reference "${r}" is not a target of any sample well (targets: ${seenTargets.join(', ') || 'none'}).`, file: firstFile, range: lineRange(0, 0, 1) });
  const targets = opts.targets ? [...opts.targets] : seenTargets.filter((t) => !refs.includes(t));
  for (const t of targets) if (!seenTargets.includes(t)) diagnostics.push({ code: 'expr-unknown-target', severity: 'warning', message: `Target "${t}" is not in any sample well.`, file: firstFile, range: lineRange(0, 0, 1) });
  const wanted = new Set([...targets, ...refs]);

  // Efficiencies.
  const eff = new Map<string, EfficiencyUsed>();
  if (opts.efficiency === 'standards') {
    for (const t of wanted) {
      const cs = standardCurves.filter((c) => c.target === t && c.efficiency !== null);
      if (cs.length) eff.set(t, { target: t, value: mean(cs.map((c) => c.efficiency as number)), source: `standard curve (${cs.map((c) => c.file).join(', ')})` });
      else {
        eff.set(t, { target: t, value: 2, source: 'default (no standard curve)' });
        if (seenTargets.includes(t)) diagnostics.push({ code: 'efficiency-no-standards', severity: 'warning', message: `No usable standard curve for ${t}: efficiency 2 assumed.`, file: firstFile, range: lineRange(0, 0, 1) });
      }
    }
  } else {
    const given = opts.efficiency ?? {};
    for (const t of wanted) {
      const v = given[t];
      if (v === undefined) { eff.set(t, { target: t, value: 2, source: 'default' }); continue; }
      if (Number.isFinite(v) && v > 1 && v <= 3) eff.set(t, { target: t, value: v, source: 'stated' });
      else {
        diagnostics.push({ code: 'efficiency-invalid', severity: 'error', message: `Efficiency of ${t} must be an amplification factor in (1, 3] (2 = 100 %); got ${v}. 2 is used.`, file: firstFile, range: lineRange(0, 0, 1) });
        eff.set(t, { target: t, value: 2, source: 'default (stated value invalid)' });
      }
    }
  }
  const E = (t: string) => eff.get(t)?.value ?? 2;

  // 1–3: classify wells. A "state" per sample well of a wanted target, in plate and well order. States are kept
  // in parallel arrays, not as an object per well (a 1M-well plate otherwise allocates 1M objects that all survive
  // into the old generation): the well, its plate (index into `plates`), its status and whether it was a late Cq.
  // The Cq used is the well's own while the status is OK, except after inter-run calibration (then in `sCq`). The
  // typed arrays are kept few and small (see `firstOccurrences` on external memory).
  let capacity = 0;
  for (const p of plates) capacity += p.wells.length;
  const sWell: Well[] = [];
  const sPlate = plates.length <= 0xffff ? new Uint16Array(capacity) : new Int32Array(capacity);
  const status = new Uint8Array(capacity);
  const late = new Uint8Array(capacity);
  let sCq: Float64Array | null = null;
  const cqOf = (i: number): number => (sCq !== null ? sCq[i] : sWell[i].cq as number);
  // For step 6: the states' sample × target pairs (the shared replicate grouping).
  const grouper = new ReplicateGrouper(capacity);
  // 1 = same sample as the state before (for a state whose pair differs from the previous one's): step 6 then
  // takes the sample number from that state's group instead of looking the name up.
  const sampleAsPrevious = new Uint8Array(capacity);
  const fileOf = (i: number) => plates[sPlate[i]].file;
  const exclude = (i: number, reason: string) => {
    status[i] = EXCLUDED;
    const w = sWell[i];
    exclusions.push({ file: fileOf(i), line: w.line, well: w.position, sample: w.sample, target: w.target, reason });
  };
  let wantedTarget: string | undefined, isWanted = false; // wanted.has of the last target asked (runs of rows)
  for (let pi = 0; pi < plates.length; pi++) for (const w of plates[pi].wells) {
    if (!isSampleTask(w.task)) continue;
    if (w.target !== wantedTarget) { wantedTarget = w.target; isWanted = wanted.has(w.target); }
    if (!isWanted) continue;
    const i = sWell.length;
    sWell.push(w);
    sPlate[i] = pi;
    if (grouper.add(i, w.sample, w.target) === 1) sampleAsPrevious[i] = 1;
    if (w.omitted) { exclude(i, 'omitted by the instrument'); continue; }
    if (w.cq === null || !Number.isFinite(w.cq)) { status[i] = NONDETECT; continue; }
    if (w.cq > qc.maxCq) { status[i] = NONDETECT; late[i] = 1; }
  }
  const nStates = sWell.length;

  // 4: outliers per plate × sample × target, among the amplified states (a plate's states are consecutive).
  if (opts.outliers.method !== 'none') {
    for (let lo = 0, hi = 0; lo < nStates; lo = hi) {
      while (hi < nStates && sPlate[hi] === sPlate[lo]) hi++;
      const first = lo;
      for (const list of replicateLists(hi - lo, (k) => (status[first + k] === OK ? sWell[first + k] : null))) {
        const g = list.map((k) => first + k);
        const out = detectOutliers(g.map(cqOf), opts.outliers);
        for (const e of out.excluded) exclude(g[e.index], e.reason);
        const w0 = sWell[g[0]];
        if (out.warning) diagnostics.push({ code: 'expr-outlier-ambiguous', severity: 'warning', message: `${w0.sample} / ${w0.target}: ${out.warning}.`, file: fileOf(g[0]), range: wellRange(w0) });
      }
    }
  }

  // 5: inter-run calibration.
  let interRun: ExpressionResult['interRun'];
  if (opts.interRunCalibrator) {
    const re = globToRegExp(opts.interRunCalibrator);
    const obs: IrcObservation[] = [];
    for (let i = 0; i < nStates; i++) if (status[i] === OK) obs.push({ file: fileOf(i), sample: sWell[i].sample, target: sWell[i].target, cq: cqOf(i) });
    const platesT = plates.map((p) => {
      const targetsOfP = new Set<string>();
      for (let i = 0; i < nStates; i++) if (plates[sPlate[i]] === p) targetsOfP.add(sWell[i].target);
      return { file: p.file, targets: [...targetsOfP] };
    });
    const r = interRunCalibration(obs, (x) => re.test(x.trim()), platesT);
    diagnostics.push(...r.diagnostics);
    interRun = r.factors;
    const f = new Map(r.factors.map((x) => [`${x.file}\u0000${x.target}`, x.factor] as const));
    const corrected = new Float64Array(nStates);
    for (let i = 0; i < nStates; i++) if (status[i] === OK) {
      const cf = f.get(`${fileOf(i)}\u0000${sWell[i].target}`);
      corrected[i] = typeof cf === 'number' ? cqOf(i) - cf : cqOf(i);
    }
    sCq = corrected;
    notes.push(`inter-run calibration on samples matching "${opts.interRunCalibrator}" (plate factor subtracted from amplified Cqs)`);
  }

  // 6: replicate means per sample × target.
  // Group ids (sample × target, in order of first appearance) over the state arrays; a group's states are listed in
  // `member` from `memberStart[g]` (state order). Samples are numbered in order of first appearance: a sample's
  // first state always opens a new group, so samples are only looked up when a group opens.
  const firstOf = grouper.firstOf((i) => sWell[i], nStates);
  const groupOf = firstOf; // in place: the first state of i's group comes at or before i
  const groupFirst: number[] = [];  // group → its first state
  const groupSample: number[] = []; // group → sample number
  const sampleOrder: string[] = [];
  const sampleFirst: number[] = []; // sample number → its first state
  const sampleNo = new Map<string, number>();
  for (let i = 0; i < nStates; i++) {
    const f = firstOf[i];
    if (f !== i) { groupOf[i] = groupOf[f]; continue; }
    groupOf[i] = groupFirst.length;
    groupFirst.push(i);
    let k = sampleAsPrevious[i] ? groupSample[groupOf[i - 1]] : sampleNo.get(sWell[i].sample);
    if (k === undefined) {
      const name = sWell[i].sample;
      k = sampleOrder.length; sampleNo.set(name, k); sampleOrder.push(name); sampleFirst.push(i);
    }
    groupSample.push(k);
  }
  const nGroups = groupFirst.length;
  const memberStart = new Int32Array(nGroups + 1);
  for (let i = 0; i < nStates; i++) memberStart[groupOf[i] + 1]++;
  for (let g = 0; g < nGroups; g++) memberStart[g + 1] += memberStart[g];
  const member = new Int32Array(nStates);
  {
    const next = memberStart.slice(0, nGroups);
    for (let i = 0; i < nStates; i++) member[next[groupOf[i]]++] = i;
  }
  const nd = opts.nondetect;
  if (nd.policy === 'value' && (nd.value === undefined || !Number.isFinite(nd.value))) {
    diagnostics.push({ code: 'nondetect-no-value', severity: 'error', message: 'Non-detect policy "value" needs a Cq value; max-cq is used instead.', file: firstFile, range: lineRange(0, 0, 1) });
  }
  const ndReason = (i: number, what: string) => `${late[i] ? `late Cq ${fmt(sWell[i].cq as number)} > max-cq ${qc.maxCq}` : `no Cq (${sWell[i].cqText || 'empty'})`}: ${what}`;
  // Per group: the number of Cqs used, their mean (null when none: read through meanAt) and SD (null when fewer
  // than 2: sdAt), every well.
  const nUsed = new Int32Array(nGroups);
  const cqMean = new Float64Array(nGroups), cqSd = new Float64Array(nGroups);
  const meanAt = (g: number): number | null => (nUsed[g] ? cqMean[g] : null);
  const sdAt = (g: number): number | null => (nUsed[g] >= 2 ? cqSd[g] : null);
  const groupWells: WellRef[][] = [];
  // The Cqs used by the current group, in order (detected, then non-detect values): one buffer for all groups.
  let largest = 0;
  for (let g = 0; g < nGroups; g++) largest = Math.max(largest, memberStart[g + 1] - memberStart[g]);
  const used = new Float64Array(largest);
  for (let g = 0; g < nGroups; g++) {
    const lo = memberStart[g], hi = memberStart[g + 1];
    let n = 0, nondet = 0;
    for (let k = lo; k < hi; k++) {
      const i = member[k];
      if (status[i] === OK) used[n++] = cqOf(i); else if (status[i] === NONDETECT) nondet++;
    }
    const detected = n;
    if (nondet) {
      // The non-detects of this group are exactly its states still marked NONDETECT (excluding one does not
      // change the others).
      switch (nd.policy) {
        case 'exclude':
          for (let k = lo; k < hi; k++) { const i = member[k]; if (status[i] === NONDETECT) exclude(i, ndReason(i, 'excluded (non-detect policy)')); }
          break;
        case 'value':
        case 'max-cq': {
          const v = nd.policy === 'value' && nd.value !== undefined && Number.isFinite(nd.value) ? nd.value : qc.maxCq;
          for (let k = 0; k < nondet; k++) used[n++] = v;
          break;
        }
        case 'impute':
          if (detected) {
            for (let k = lo; k < hi; k++) { const i = member[k]; if (status[i] === NONDETECT) exclude(i, ndReason(i, 'dropped, the amplified replicates stand for it (impute policy)')); }
          } else { const v = nd.value ?? qc.maxCq; for (let k = 0; k < nondet; k++) used[n++] = v; }
          break;
      }
    }
    // Exactly as many slots as wells (a pushed-to empty array reserves 17); huge groups grow as usual.
    const wells: WellRef[] = hi - lo <= 4096 ? new Array(hi - lo) : [];
    for (let k = lo; k < hi; k++) { const i = member[k]; wells[k - lo] = { file: fileOf(i), index: sWell[i].index }; }
    groupWells.push(wells);
    nUsed[g] = n;
    if (n) cqMean[g] = meanOfFirst(used, n);
    if (n >= 2) cqSd[g] = sdOfFirst(used, n);
    const v = cqSd[g];
    const sdHigh = n >= 2 && v > qc.replicateSd;
    const fewUsed = n < qc.minReplicates;
    if (sdHigh || fewUsed) { // the range (a fresh object per read of a text well) only when reported
      const first = groupFirst[g], w0 = sWell[first];
      const range = wellRange(w0);
      if (sdHigh) diagnostics.push({ code: 'expr-replicate-sd', severity: 'warning', message: `${w0.sample} / ${w0.target}: replicate SD ${fmt(v, 3)} > ${qc.replicateSd} cycles.`, file: fileOf(first), range });
      if (fewUsed) diagnostics.push({ code: 'expr-min-replicates', severity: 'warning', message: `${w0.sample} / ${w0.target}: ${n} usable replicate(s) of ${hi - lo} (< ${qc.minReplicates}).`, file: fileOf(first), range });
    }
  }

  // Sample fields (by sample number).
  const fieldsOf: Record<string, string>[] = [];
  for (let k = 0; k < sampleOrder.length; k++) {
    const name = sampleOrder[k];
    let f: Record<string, string> | null = {};
    if (opts.sampleFields) {
      f = opts.sampleFields(name);
      if (f === null) {
        const w = sWell[sampleFirst[k]];
        diagnostics.push({ code: 'sample-pattern', severity: 'warning', message: `Sample "${name}" does not match the sample pattern; it has no fields.`, file: fileOf(sampleFirst[k]), range: w.ranges.sample ?? wellRange(w) });
        f = {};
      }
    }
    fieldsOf.push(f);
  }

  // 7: reference and dCq.
  // A sample's group of a target, without a string lookup: the wanted targets are numbered, each sample's groups
  // are chained (headGroup → nextGroup), and while one sample is processed slot[target number] = its group + 1.
  const targetNo = new Map<string, number>();
  for (const t of wanted) targetNo.set(t, targetNo.size);
  const groupTarget = new Int32Array(nGroups);
  const headGroup = new Int32Array(sampleOrder.length).fill(-1), nextGroup = new Int32Array(nGroups).fill(-1);
  for (let g = nGroups - 1; g >= 0; g--) {
    groupTarget[g] = targetNo.get(sWell[groupFirst[g]].target)!;
    nextGroup[g] = headGroup[groupSample[g]];
    headGroup[groupSample[g]] = g;
  }
  const slot = new Int32Array(targetNo.size);
  const groupAt = (t: number): number => slot[t] - 1; // -1 = this sample has no group of that target
  const refNo = refs.map((r) => targetNo.get(r)!), targetNos = targets.map((t) => targetNo.get(t)!);
  const refLog2E = refs.map((r) => Math.log2(E(r))), targetLog2E = targets.map((t) => Math.log2(E(t)));
  const refGroup = new Int32Array(refs.length); // the current sample's reference groups (-1 = none)
  const samples: SampleExpression[] = [];
  const log2rq = new Map<SampleExpression, number>(); // only needed with a calibrator
  for (let k = 0; k < sampleOrder.length; k++) {
    const name = sampleOrder[k], fields = fieldsOf[k];
    for (let g = headGroup[k]; g >= 0; g = nextGroup[g]) slot[groupTarget[g]] = g + 1;
    let refOk = refs.length > 0;
    for (let j = 0; j < refs.length; j++) {
      const g = groupAt(refNo[j]);
      refGroup[j] = g;
      if (g < 0 || nUsed[g] === 0) refOk = false;
    }
    // refCq = mean of the references' mean Cqs; refLog2 = mean of -Cq_r·log2 E_r (summed in reference order).
    let refCq: number | null = null, refLog2: number | null = null;
    if (refOk) {
      let sumCq = 0, sumLog = 0;
      for (let j = 0; j < refs.length; j++) {
        const m = cqMean[refGroup[j]];
        sumCq += m;
        sumLog += -m * refLog2E[j];
      }
      refCq = sumCq / refs.length;
      refLog2 = sumLog / refs.length;
    }
    for (let j = 0; j < targets.length; j++) {
      const t = targets[j];
      const g = groupAt(targetNos[j]);
      if (g < 0) continue;
      const m = meanAt(g);
      const se: SampleExpression = { sample: name, fields, target: t, cqMean: m, cqSd: sdAt(g), nUsed: nUsed[g], nTotal: memberStart[g + 1] - memberStart[g], refCq, dcq: null, expression: null, wells: groupWells[g] };
      if (!refOk) {
        const missing = refs.filter((_, i) => refGroup[i] < 0 || nUsed[refGroup[i]] === 0);
        const first = groupFirst[g];
        diagnostics.push({ code: 'expr-no-reference', severity: 'warning', message: `${name}: no Cq for reference ${missing.join(', ') || '(none given)'}; ${t} cannot be normalised.`, file: fileOf(first), range: wellRange(sWell[first]) });
      } else if (m !== null) {
        se.dcq = m - (refCq as number);
        const l = -m * targetLog2E[j] - (refLog2 as number);
        if (opts.calibrator) log2rq.set(se, l);
        se.expression = Math.pow(2, l);
      }
      samples.push(se);
    }
    for (let j = 0; j < refs.length; j++) {
      const g = refGroup[j];
      if (g < 0) continue;
      samples.push({ sample: name, fields, target: refs[j], cqMean: meanAt(g), cqSd: sdAt(g), nUsed: nUsed[g], nTotal: memberStart[g + 1] - memberStart[g], refCq: null, dcq: null, expression: null, wells: groupWells[g], reference: true });
    }
    for (let g = headGroup[k]; g >= 0; g = nextGroup[g]) slot[groupTarget[g]] = 0;
  }

  // 8: calibrator.
  let calibrators: string[] | undefined;
  if (opts.calibrator) {
    const isCal = (s: SampleExpression) => opts.calibrator!(s.fields, s.sample);
    calibrators = sampleOrder.filter((n, k) => opts.calibrator!(fieldsOf[k], n));
    for (const t of targets) {
      const rows = samples.filter((s) => s.target === t);
      const cal = rows.filter((s) => isCal(s) && s.dcq !== null);
      if (cal.length === 0) {
        if (rows.length) diagnostics.push({ code: 'expr-no-calibrator', severity: 'error', message: `No calibrator sample with a dCq for ${t}: ddCq cannot be computed.`, file: firstFile, range: lineRange(0, 0, 1) });
        for (const s of rows) { s.ddcq = null; s.expression = null; }
        continue;
      }
      const calDcq = mean(cal.map((s) => s.dcq as number));
      const calLog = mean(cal.map((s) => log2rq.get(s) as number));
      for (const s of rows) {
        if (s.dcq === null) { s.ddcq = null; s.expression = null; continue; }
        s.ddcq = s.dcq - calDcq;
        s.expression = Math.pow(2, (log2rq.get(s) as number) - calLog);
      }
    }
  }

  const efficiencies = [...eff.values()].filter((e) => seenTargets.includes(e.target));
  const pfaffl = efficiencies.some((e) => e.value !== 2);
  const refText = refs.length > 1 ? `mean Cq of ${refs.join(', ')} (geometric mean of quantities)` : refs[0] ?? '(no reference)';
  const expressionText = pfaffl
    ? `efficiency-corrected relative quantity (Pfaffl) against ${refText}${opts.calibrator ? ', relative to the calibrator samples' : ''}`
    : `${opts.calibrator ? '2^-ddCq' : '2^-dCq'} against ${refText}${opts.calibrator ? ' (ddCq against the calibrator samples\' mean dCq)' : ''}`;
  if (opts.outliers.method === 'grubbs') notes.push(`replicate outliers: two-sided Grubbs test, alpha ${opts.outliers.alpha ?? 0.05}, n >= 3`);
  if (opts.outliers.method === 'distance') notes.push(`replicate outliers: farther than ${opts.outliers.distance ?? 0.5} cycles from the median of the other replicates`);
  notes.push('wells omitted by the instrument excluded; standards, NTC and other controls do not enter sample expression');
  const qcRec: Record<string, number> = { maxCq: qc.maxCq, replicateSd: qc.replicateSd, ntcMinCq: qc.ntcMinCq, minReplicates: qc.minReplicates };
  const methods: MethodsSummary = {
    references: refs,
    targets,
    expression: expressionText,
    efficiencies,
    nondetect: describeNondetect(nd, qc.maxCq),
    qc: qcRec,
    exclusions,
    notes,
  };
  if (calibrators) methods.calibrators = calibrators;
  const result: ExpressionResult = { samples, exclusions, efficiencies, standardCurves, diagnostics, methods };
  if (interRun) result.interRun = interRun;
  return result;
}
