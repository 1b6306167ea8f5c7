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
import type { MethodsSummary } from '../report/types';
import { interRunCalibration, type IrcObservation } from './interrun';
import { detectOutliers, mean, sd } from './outliers';
import { globToRegExp } from './samples';
import { StringPairIndex } from '../plate/pairIndex';
import { plateStandardCurves, wellRange } from './standards';
import type { EfficiencyUsed, ExpressionOptions, ExpressionResult, SampleExpression, StandardCurve, WellRef } from './types';

type Exclusion = MethodsSummary['exclusions'][number];

interface WellState {
  plate: Plate;
  well: Well;
  /** 'ok' = amplified, Cq ≤ max-cq, not excluded. */
  status: 'ok' | 'nondetect' | 'excluded';
  /** Cq used (after inter-run correction), for 'ok'. */
  cq: number | null;
  late: boolean;
}

const SAMPLE_TASKS = new Set(['unknown', 'reference']);

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
  for (const p of plates) for (const w of p.wells) if (SAMPLE_TASKS.has(w.task) && !seenTargets.includes(w.target)) seenTargets.push(w.target);
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

  // 1–3: classify wells.
  const states: WellState[] = [];
  const exclude = (s: WellState, reason: string) => {
    s.status = 'excluded';
    exclusions.push({ file: s.plate.file, line: s.well.line, well: s.well.position, sample: s.well.sample, target: s.well.target, reason });
  };
  for (const p of plates) for (const w of p.wells) {
    if (!SAMPLE_TASKS.has(w.task) || !wanted.has(w.target)) continue;
    const s: WellState = { plate: p, well: w, status: 'ok', cq: w.cq, late: false };
    states.push(s);
    if (w.omitted) { exclude(s, 'omitted by the instrument'); continue; }
    if (w.cq === null || !Number.isFinite(w.cq)) { s.status = 'nondetect'; s.cq = null; continue; }
    if (w.cq > qc.maxCq) { s.status = 'nondetect'; s.late = true; s.cq = null; }
  }

  // 4: outliers per plate × sample × target.
  const key3 = (s: WellState) => `${s.plate.file}\u0000${s.well.sample}\u0000${s.well.target}`;
  if (opts.outliers.method !== 'none') {
    const groups = new Map<string, WellState[]>();
    for (const s of states) if (s.status === 'ok') { const k = key3(s); if (!groups.has(k)) groups.set(k, []); groups.get(k)!.push(s); }
    for (const g of groups.values()) {
      const out = detectOutliers(g.map((s) => s.cq as number), opts.outliers);
      for (const e of out.excluded) exclude(g[e.index], e.reason);
      if (out.warning) diagnostics.push({ code: 'expr-outlier-ambiguous', severity: 'warning', message: `${g[0].well.sample} / ${g[0].well.target}: ${out.warning}.`, file: g[0].plate.file, range: wellRange(g[0].well) });
    }
  }

  // 5: inter-run calibration.
  let interRun: ExpressionResult['interRun'];
  if (opts.interRunCalibrator) {
    const re = globToRegExp(opts.interRunCalibrator);
    const obs: IrcObservation[] = states.filter((s) => s.status === 'ok').map((s) => ({ file: s.plate.file, sample: s.well.sample, target: s.well.target, cq: s.cq as number }));
    const platesT = plates.map((p) => ({ file: p.file, targets: [...new Set(states.filter((s) => s.plate === p).map((s) => s.well.target))] }));
    const r = interRunCalibration(obs, (x) => re.test(x.trim()), platesT);
    diagnostics.push(...r.diagnostics);
    interRun = r.factors;
    const f = new Map(r.factors.map((x) => [`${x.file}\u0000${x.target}`, x.factor] as const));
    for (const s of states) if (s.status === 'ok') {
      const cf = f.get(`${s.plate.file}\u0000${s.well.target}`);
      if (typeof cf === 'number') s.cq = (s.cq as number) - cf;
    }
    notes.push(`inter-run calibration on samples matching "${opts.interRunCalibrator}" (plate factor subtracted from amplified Cqs)`);
  }

  // 6: replicate means per sample × target.
  const sampleOrder: string[] = [];
  const firstState = new Map<string, WellState>(); // sample name → its first well (order of appearance)
  // Groups by sample × target pair id (no key string per well), in order of first appearance.
  const groupIds = new StringPairIndex();
  const groups: WellState[][] = [];
  for (const s of states) {
    const name = s.well.sample;
    if (!firstState.has(name)) { firstState.set(name, s); sampleOrder.push(name); }
    const id = groupIds.id(name, s.well.target);
    if (id < groups.length) groups[id].push(s); else groups.push([s]);
  }
  const nd = opts.nondetect;
  if (nd.policy === 'value' && (nd.value === undefined || !Number.isFinite(nd.value))) {
    diagnostics.push({ code: 'nondetect-no-value', severity: 'error', message: 'Non-detect policy "value" needs a Cq value; max-cq is used instead.', file: firstFile, range: lineRange(0, 0, 1) });
  }
  const ndReason = (s: WellState, what: string) => `${s.late ? `late Cq ${fmt(s.well.cq as number)} > max-cq ${qc.maxCq}` : `no Cq (${s.well.cqText || 'empty'})`}: ${what}`;
  interface Agg { cqMean: number | null; cqSd: number | null; nUsed: number; nTotal: number; wells: WellRef[]; first: WellState }
  const agg: Agg[] = []; // by group id
  const aggOf = (sample: string, target: string): Agg | undefined => {
    const id = groupIds.find(sample, target);
    return id < 0 ? undefined : agg[id];
  };
  for (const g of groups) {
    const used: number[] = [];
    const detected = g.filter((s) => s.status === 'ok');
    const nondet = g.filter((s) => s.status === 'nondetect');
    for (const s of detected) used.push(s.cq as number);
    if (nondet.length) {
      switch (nd.policy) {
        case 'exclude':
          for (const s of nondet) exclude(s, ndReason(s, 'excluded (non-detect policy)'));
          break;
        case 'value':
        case 'max-cq': {
          const v = nd.policy === 'value' && nd.value !== undefined && Number.isFinite(nd.value) ? nd.value : qc.maxCq;
          for (const s of nondet) { s.cq = v; used.push(v); }
          break;
        }
        case 'impute':
          if (detected.length) for (const s of nondet) exclude(s, ndReason(s, 'dropped, the amplified replicates stand for it (impute policy)'));
          else { const v = nd.value ?? qc.maxCq; for (const s of nondet) { s.cq = v; used.push(v); } }
          break;
      }
    }
    const first = g[0];
    const a: Agg = {
      cqMean: used.length ? mean(used) : null,
      cqSd: used.length >= 2 ? sd(used) : null,
      nUsed: used.length, nTotal: g.length,
      wells: g.map((s) => ({ file: s.plate.file, index: s.well.index })),
      first,
    };
    agg.push(a);
    const range = wellRange(first.well);
    if (a.cqSd !== null && a.cqSd > qc.replicateSd) diagnostics.push({ code: 'expr-replicate-sd', severity: 'warning', message: `${first.well.sample} / ${first.well.target}: replicate SD ${fmt(a.cqSd, 3)} > ${qc.replicateSd} cycles.`, file: first.plate.file, range });
    if (a.nUsed < qc.minReplicates) diagnostics.push({ code: 'expr-min-replicates', severity: 'warning', message: `${first.well.sample} / ${first.well.target}: ${a.nUsed} usable replicate(s) of ${a.nTotal} (< ${qc.minReplicates}).`, file: first.plate.file, range });
  }

  // Sample fields.
  const fieldsOf = new Map<string, Record<string, string>>();
  for (const name of sampleOrder) {
    let f: Record<string, string> | null = {};
    if (opts.sampleFields) {
      f = opts.sampleFields(name);
      if (f === null) {
        const st = firstState.get(name)!;
        diagnostics.push({ code: 'sample-pattern', severity: 'warning', message: `Sample "${name}" does not match the sample pattern; it has no fields.`, file: st.plate.file, range: st.well.ranges.sample ?? wellRange(st.well) });
        f = {};
      }
    }
    fieldsOf.set(name, f);
  }

  // 7: reference and dCq.
  const samples: SampleExpression[] = [];
  const log2rq = new Map<SampleExpression, number>();
  for (const name of sampleOrder) {
    const refAgg = refs.map((r) => aggOf(name, r));
    const refOk = refs.length > 0 && refAgg.every((a) => a && a.cqMean !== null);
    const refCq = refOk ? mean(refAgg.map((a) => a!.cqMean as number)) : null;
    const refLog2 = refOk ? mean(refAgg.map((a, i) => -(a!.cqMean as number) * Math.log2(E(refs[i])))) : null;
    for (const t of targets) {
      const a = aggOf(name, t);
      if (!a) continue;
      const se: SampleExpression = { sample: name, fields: fieldsOf.get(name)!, target: t, cqMean: a.cqMean, cqSd: a.cqSd, nUsed: a.nUsed, nTotal: a.nTotal, refCq, dcq: null, expression: null, wells: a.wells };
      if (!refOk) {
        const missing = refs.filter((_, i) => !refAgg[i] || refAgg[i]!.cqMean === null);
        diagnostics.push({ code: 'expr-no-reference', severity: 'warning', message: `${name}: no Cq for reference ${missing.join(', ') || '(none given)'}; ${t} cannot be normalised.`, file: a.first.plate.file, range: wellRange(a.first.well) });
      } else if (a.cqMean !== null) {
        se.dcq = a.cqMean - (refCq as number);
        const l = -a.cqMean * Math.log2(E(t)) - (refLog2 as number);
        log2rq.set(se, l);
        se.expression = Math.pow(2, l);
      }
      samples.push(se);
    }
    for (const r of refs) {
      const a = aggOf(name, r);
      if (!a) continue;
      samples.push({ sample: name, fields: fieldsOf.get(name)!, target: r, cqMean: a.cqMean, cqSd: a.cqSd, nUsed: a.nUsed, nTotal: a.nTotal, refCq: null, dcq: null, expression: null, wells: a.wells, reference: true });
    }
  }

  // 8: calibrator.
  let calibrators: string[] | undefined;
  if (opts.calibrator) {
    const isCal = (s: SampleExpression) => opts.calibrator!(s.fields, s.sample);
    calibrators = sampleOrder.filter((n) => opts.calibrator!(fieldsOf.get(n)!, n));
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
