#!/usr/bin/env node
// Generates the four SIMULATED example studies under examples/ (issue "Example studies").
//
//   node scripts/generate-examples.mjs                 # (re)write examples/*/plates, clinical.csv, samplesheet.csv
//   node scripts/generate-examples.mjs --out DIR       # write the same files under DIR instead of examples/
//   node scripts/generate-examples.mjs --check         # write nothing; print the planted effects recomputed
//                                                      # from the generated (rounded) Cq values and clinical rows
//
// Every number comes from one seeded PRNG per example: xoshiro128** (Blackman & Vigna 2018) with its state seeded by
// splitmix32 from the example's seed (0, 1, 2) -- the same algorithm as src/engine/stats/rng.ts. Normal deviates by
// Box-Muller (cosine branch only, no caching). Only 32-bit integer arithmetic, Math.log/cos/sqrt/exp and toFixed are
// used, so the output is byte-identical on every machine. No dependencies beyond node:*.
//
// The README.md and study.qstudy files of each example are written by hand and are NOT touched by this script.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');

// ------------------------------------------------------------------------------------------------ PRNG
class Rng {
  constructor(seed) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next(); this.s1 = next(); this.s2 = next(); this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }
  nextU32() {
    const rotl = (v, k) => ((v << k) | (v >>> (32 - k))) >>> 0;
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }
  /** Uniform in [0, 1) with 53 random bits. */
  uniform() {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
  /** Standard normal by Box-Muller. */
  normal(mu = 0, sd = 1) {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return mu + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  int(n) { return Math.floor(this.uniform() * n); }
  bernoulli(p) { return this.uniform() < p; }
  /** Pick from [[value, weight], ...]. */
  pick(pairs) {
    const total = pairs.reduce((s, p) => s + p[1], 0);
    let u = this.uniform() * total;
    for (const [v, w] of pairs) { if (u < w) return v; u -= w; }
    return pairs[pairs.length - 1][0];
  }
  shuffle(xs) {
    const a = xs.slice();
    for (let i = a.length - 1; i > 0; i--) { const j = this.int(i + 1); [a[i], a[j]] = [a[j], a[i]]; }
    return a;
  }
}

// ------------------------------------------------------------------------------------------------ helpers
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
const pad = (n, w) => String(n).padStart(w, '0');
const fix = (x, d) => (Object.is(x, -0) ? 0 : x).toFixed(d).replace(/^-(0\.0*)$/, '$1');
const num = (x, d) => Number(fix(x, d));
const ROWS = 'ABCDEFGHIJKLMNOP';
const csvLine = (cells) => cells.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',');
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sdev = (xs) => { const m = mean(xs); return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)); };
const median = (xs) => { const a = xs.slice().sort((p, q) => p - q); const n = a.length; return n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2; };

/** Wells of one 2-D plate, row-major: {row, col} for index i. */
const wellAt = (i, cols) => ({ row: Math.floor(i / cols), col: (i % cols) + 1 });

// ================================================================================================ seed 000
// Exosomal miR-122 / miR-21 before and ~7 days after TACE; LightCycler 480 Abs Quant/2nd Derivative Max exports.
function genTace() {
  const rng = new Rng(0);
  const n = 75, nCirr = 57;
  const cirrSet = new Set(rng.shuffle([...Array(n).keys()]).slice(0, nCirr));
  const cpPoints = (bil, alb, pt) => (bil < 2 ? 1 : bil <= 3 ? 2 : 3) + (alb > 3.5 ? 1 : alb >= 2.8 ? 2 : 3) + (pt > 70 ? 1 : pt >= 40 ? 2 : 3);
  const pts = [];
  for (let i = 0; i < n; i++) {
    const cirr = cirrSet.has(i);
    const age = Math.round(clamp(rng.normal(72, 8), 48, 89));
    const sex = rng.bernoulli(0.78) ? 'M' : 'F';
    const etiology = cirr ? rng.pick([['HCV', 45], ['HBV', 15], ['alcohol', 15], ['NBNC', 25]])
      : rng.pick([['HCV', 20], ['HBV', 25], ['alcohol', 10], ['NBNC', 45]]);
    const bclc = rng.pick([['A', 30], ['B', 60], ['C', 10]]);
    const diabetes = rng.bernoulli(0.3) ? 'yes' : 'no';
    const H = rng.normal(); // hepatocyte injury (latent)
    const ast = Math.round(Math.exp(Math.log(38) + 0.42 * (0.85 * H + 0.53 * rng.normal())));
    const alt = Math.round(Math.exp(Math.log(30) + 0.5 * H + 0.15 * rng.normal()));
    const Z = rng.normal() + (cirr ? 0.65 : -0.6); // liver dysfunction (latent)
    let alb, tbil, pt, score;
    for (;;) { // Child-Pugh from bilirubin, albumin, PT% and ascites; TACE candidates have score <= 9
      alb = num(3.7 - 0.4 * Z + rng.normal(0, 0.22), 1);
      tbil = num(Math.exp(Math.log(0.8) + 0.32 * Z + rng.normal(0, 0.22)), 1);
      pt = Math.round(88 - 9 * Z + rng.normal(0, 6));
      const ascites = Z + rng.normal(0, 0.7) > 1.2 ? 2 : 1;
      score = cpPoints(tbil, alb, pt) + ascites + 1;
      if (score <= 9) break;
    }
    const hba1c = num(diabetes === 'yes' ? rng.normal(7.0, 0.8) : rng.normal(5.7, 0.35), 1);
    const plt = num(Math.exp(Math.log(cirr ? 10 : 17) + rng.normal(0, 0.35)), 1);
    const afp = num(Math.exp(Math.log(12) + 1.6 * rng.normal()), 1);
    const dcp = Math.round(Math.exp(Math.log(60) + 1.5 * rng.normal()));
    const tumorDiameter = num(Math.exp(Math.log(2.6) + 0.45 * rng.normal()), 1);
    const tumorNumber = clamp(1 + Math.floor(Math.exp(rng.normal(0.2, 0.8))) - 1, 1, 10);
    // dCq = Cq(miR) - Cq(cel-miR-39); lower dCq = more miR. miR-122 is higher with ALT (H) and lower with dysfunction.
    const dcq122pre = 6.2 - 0.5 * H + 0.4 * (score - 6) + rng.normal(0, 1.0);
    const delta122 = rng.normal(0.07, 1.0); // dCq rises after TACE = miR-122 decreases
    const dcq21pre = 8.0 + rng.normal(0, 1.1);
    const delta21 = rng.normal(0.08, 0.9);
    pts.push({
      id: `P${pad(i + 1, 2)}`, cirr, age, sex, etiology, bclc, diabetes, ast, alt, hba1c, tbil, alb, pt, plt, score,
      grade: score <= 6 ? 'A' : 'B', afp, dcp, tumorDiameter, tumorNumber,
      dcq: { pre: { 'miR-122': dcq122pre, 'miR-21': dcq21pre }, post: { 'miR-122': dcq122pre + delta122, 'miR-21': dcq21pre + delta21 } },
    });
  }
  // Survival: low miR-122 ratio (true dCq post/pre <= median within cirrhosis) carries HR 2.7.
  const ratio = (p) => p.dcq.post['miR-122'] / p.dcq.pre['miR-122'];
  const medRatio = median(pts.filter((p) => p.cirr).map(ratio));
  const lambda0 = 0.003;
  for (const p of pts) {
    const eta = 0.35 * (p.grade === 'B') + 0.3 * (p.afp > 20) + 0.15 * (p.dcp > 40) + 0.3 * (p.tumorDiameter > 3) + Math.log(4.0) * (ratio(p) <= medRatio);
    const t = -Math.log(1 - rng.uniform()) / (lambda0 * Math.exp(eta));
    const c = 10 + 60 * rng.uniform();
    p.dss = Math.max(0.5, num(Math.min(t, c), 1));
    p.death = t <= c ? 1 : 0;
  }
  // Cq per sample and replicate. Run r holds patients 25(r-1)+1 .. 25r, one 384-well plate per target.
  const targets = ['miR-122', 'miR-21', 'cel-miR-39'];
  const files = {};
  const wells = []; // {run, target, sample, patient, level, cq|null, ntc}
  const runOf = (i) => Math.floor(i / 25) + 1;
  // planted defects (positions chosen by the PRNG, documented in the README)
  const undetPatient = 50 + rng.int(25), highSdPatient = rng.int(25);
  const spike = {};
  for (const p of pts) for (const lv of ['pre', 'post']) spike[`${p.id}-${lv}`] = rng.normal(22.0, 0.45);
  for (let run = 1; run <= 3; run++) {
    for (const target of targets) {
      const lines = [];
      const filter = 'FAM (465-510)';
      lines.push(`Experiment: TACE exosome ${target} run${run} Selected Filter: ${filter}\t\t\t\t\t\t\t`);
      lines.push(['Include', 'Color', 'Pos', 'Name', 'Cp', 'Concentration', 'Standard', 'Status'].join('\t'));
      let w = 0;
      const runPts = pts.filter((_, i) => runOf(i) === run);
      for (const p of runPts) {
        for (const lv of ['pre', 'post']) {
          const sample = `${p.id}-${lv}`;
          const base = spike[sample] + (target === 'cel-miR-39' ? 0 : p.dcq[lv][target]);
          const pi = pts.indexOf(p);
          const offs = [0, 1, 2].map(() => rng.normal(0, 0.12));
          if (pi === highSdPatient && lv === 'post' && target === 'miR-122') { offs[0] = -0.7; offs[1] = -0.35; offs[2] = 1.05; }
          for (let k = 0; k < 3; k++) {
            const { row, col } = wellAt(w++, 24);
            let cq = num(base + offs[k], 2);
            if (pi === undetPatient && lv === 'post' && target === 'miR-21' && k === 1) cq = null;
            wells.push({ run, target, sample, patient: p.id, level: lv, cq, ntc: false });
            lines.push(['True', '255', `${ROWS[row]}${col}`, sample, cq === null ? '' : fix(cq, 2), '', '0', ''].join('\t'));
          }
        }
      }
      for (const pos of ['P23', 'P24']) {
        let cp = '';
        if (run === 2 && target === 'miR-21' && pos === 'P24') cp = fix(rng.normal(37.5, 0.15), 2); // late NTC amplification
        wells.push({ run, target, sample: 'NTC', ntc: true, cq: cp === '' ? null : Number(cp) });
        lines.push(['True', '16711680', pos, 'NTC', cp, '', '0', ''].join('\t'));
      }
      files[`plates/run${run}/${target}.txt`] = lines.join('\r\n') + '\r\n';
    }
  }
  const header = ['patient', 'age', 'sex', 'cirrhosis', 'etiology', 'bclc', 'diabetes', 'ast', 'alt', 'hba1c', 't_bil', 'alb', 'pt', 'plt',
    'child_pugh_score', 'child_pugh_grade', 'afp', 'dcp', 'tumor_diameter', 'tumor_number', 'dss_months', 'dss_death'];
  const rows = pts.map((p) => [p.id, p.age, p.sex, p.cirr ? 'yes' : 'no', p.etiology, p.bclc, p.diabetes, p.ast, p.alt, fix(p.hba1c, 1),
    fix(p.tbil, 1), fix(p.alb, 1), p.pt, fix(p.plt, 1), p.score, p.grade, fix(p.afp, 1), p.dcp, fix(p.tumorDiameter, 1), p.tumorNumber,
    fix(p.dss, 1), p.death]);
  files['clinical.csv'] = [header, ...rows].map(csvLine).join('\n') + '\n';
  return { dir: 'tace-exosomal-mirna', files, pts, wells, defects: { undet: pts[undetPatient].id, highSd: pts[highSdPatient].id } };
}

// ================================================================================================ seed 001
// Serum miR-221 (reference miR-16) before sorafenib and at two months; Bio-Rad CFX Maestro Quantification Cq Results.
function genSorafenib() {
  const rng = new Rng(1);
  const pts = [];
  const sizes = [40, 38];
  let id = 0;
  for (let c = 1; c <= 2; c++) {
    for (let i = 0; i < sizes[c - 1]; i++) {
      id++;
      const resp = rng.bernoulli(0.38);
      const age = Math.round(clamp(rng.normal(66, 9), 38, 88));
      const sex = rng.bernoulli(0.82) ? 'M' : 'F';
      const childPugh = rng.bernoulli(0.8) ? 'A' : 'B';
      const bclc = rng.bernoulli(0.3) ? 'B' : 'C';
      const afp = num(Math.exp(Math.log(80) + 1.9 * rng.normal()), 1);
      // dCq = Cq(miR-221) - Cq(miR-16): responders have higher dCq (lower miR-221) before, and it falls
      // (miR-221 rises) at 2 months.
      const pre = 7.0 + (resp ? 0.8 : 0) + rng.normal(0, 1.0);
      const m2 = pre + (resp ? rng.normal(-0.9, 0.7) : rng.normal(0.1, 0.7));
      const medPfs = resp ? 9.0 : 3.8;
      const t = -Math.log(1 - rng.uniform()) * medPfs / Math.LN2;
      const cens = 6 + 24 * rng.uniform();
      pts.push({ id: `S${pad(id, 3)}`, cohort: c, resp, age, sex, childPugh, bclc, afp, dcq: { pre, m2 },
        pfs: Math.max(0.3, num(Math.min(t, cens), 1)), prog: t <= cens ? 1 : 0 });
    }
  }
  const files = {};
  const wells = [];
  const header = ['', 'Well', 'Fluor', 'Target', 'Content', 'Sample', 'Biological Set Name', 'Cq', 'Cq Mean', 'Cq Std. Dev',
    'Starting Quantity (SQ)', 'Log Starting Quantity', 'SQ Mean', 'SQ Std. Dev', 'Set Point', 'Well Note'];
  const maestro = (x) => String(Number(x.toPrecision(15)));
  const nanPatient = rng.int(78);
  for (let c = 1; c <= 2; c++) {
    const cp = pts.filter((p) => p.cohort === c);
    for (let plate = 0; plate * 10 < cp.length; plate++) {
      const onPlate = cp.slice(plate * 10, plate * 10 + 10);
      const recs = []; // {well, target, content, sample, cq}
      let w = 0, k = 0;
      for (const p of onPlate) {
        for (const lv of ['pre', 'm2']) {
          k++;
          const sample = `${p.id}-${lv}`;
          const ref = rng.normal(24.5, 0.7);
          for (const target of ['miR-221', 'miR-16']) {
            const base = ref + (target === 'miR-221' ? p.dcq[lv] : 0);
            for (let r = 0; r < 2; r++) {
              let cq = base + rng.normal(0, 0.15);
              if (pts.indexOf(p) === nanPatient && lv === 'm2' && target === 'miR-221' && r === 0) cq = NaN;
              const { row, col } = wellAt(w++, 12);
              recs.push({ well: `${ROWS[row]}${pad(col, 2)}`, target, content: `Unkn-${pad(k, 2)}`, sample, patient: p.id, level: lv, cq });
            }
          }
        }
      }
      for (const target of ['miR-221', 'miR-16']) for (let r = 0; r < 2; r++) {
        const { row, col } = wellAt(w++, 12);
        recs.push({ well: `${ROWS[row]}${pad(col, 2)}`, target, content: 'NTC', sample: '', cq: NaN, ntc: true });
      }
      const lines = [csvLine(header)];
      for (const r of recs) {
        const grp = recs.filter((q) => q.target === r.target && q.content === r.content && q.sample === r.sample && !Number.isNaN(q.cq)).map((q) => q.cq);
        const any = grp.length > 0;
        const gm = any ? mean(grp) : 0;
        const gsd = grp.length > 1 ? sdev(grp) : 0;
        lines.push(csvLine(['', r.well, 'FAM', r.target, r.content, r.sample, '', Number.isNaN(r.cq) ? 'NaN' : maestro(r.cq),
          any ? maestro(gm) : '0', gsd === 0 ? '0' : maestro(gsd), 'NaN', 'NaN', any ? 'NaN' : '0', '0', '60', '']));
        wells.push({ ...r, cq: Number.isNaN(r.cq) ? null : Number(maestro(r.cq)), plate: `C${c}-plate${plate + 1}` });
      }
      files[`plates/C${c}-plate${plate + 1}_Quantification_Cq_Results.csv`] = lines.join('\n') + '\n';
    }
  }
  const cheader = ['patient', 'cohort', 'age', 'sex', 'child_pugh', 'bclc', 'afp', 'response', 'pfs_months', 'progression'];
  files['clinical.csv'] = [cheader, ...pts.map((p) => [p.id, p.cohort, p.age, p.sex, p.childPugh, p.bclc, fix(p.afp, 1),
    p.resp ? 'responder' : 'non-responder', fix(p.pfs, 1), p.prog])].map(csvLine).join('\n') + '\n';
  return { dir: 'sorafenib-mir221', files, pts, wells, defects: { nan: pts[nanPatient].id } };
}

// ================================================================================================ seed 002
// Serum miR-21 / miR-122 (reference U6, 2^-ddCq against healthy controls) and capecitabine + TACE response in CRC liver
// metastases; QuantStudio 7 Flex classic [Results] exports, 384 wells, duplicates.
function genCrc() {
  const rng = new Rng(2);
  const n = 252;
  const pts = [];
  // log2 fold change (2^-ddCq) of the markers; Youden cut points planted at log2 2.0 = 1 and log2 0.5 = -1.
  for (let i = 0; i < n; i++) {
    const eff = rng.bernoulli(0.475);
    const e = eff ? 1 : 0;
    const u = rng.normal();
    const l21 = 0.55 + (eff ? 0.5 : -0.5) + 0.7 * u + 0.714 * rng.normal();
    const l122 = -1 + (eff ? -0.42 : 0.42) - 0.7 * u + 0.714 * rng.normal();
    const age = Math.round(clamp(rng.normal(61 - 4 * e, 9), 32, 85));
    const sex = rng.bernoulli(0.62) ? 'M' : 'F';
    const bmi = num(clamp(rng.normal(24.0 - 1.4 * e, 3.0), 16.5, 35), 1);
    const cea = num(clamp(rng.normal(9.5 - 2.2 * e - 1.6 * u, 4.0), 0.6, 30), 1);
    const ca199 = num(Math.exp(Math.log(45) - 0.25 * e + 1.0 * rng.normal()), 1);
    const tumorSize = num(clamp(rng.normal(4.7 - 1.2 * e - 0.5 * u, 1.5), 1.0, 10), 1);
    const tumorNumber = clamp(1 + Math.floor(Math.exp(rng.normal(0.3, 0.7))) - 1, 1, 8);
    const site = rng.bernoulli(0.6) ? 'colon' : 'rectum';
    const kras = rng.bernoulli(0.42) ? 'mutant' : 'wild-type';
    const response = eff ? (rng.bernoulli(0.12) ? 'CR' : 'PR') : (rng.bernoulli(0.55) ? 'SD' : 'PD');
    pts.push({ id: `P${pad(i + 1, 3)}`, eff: e, l21, l122, age, sex, bmi, cea, ca199, tumorSize, tumorNumber, site, kras, response });
  }
  // Sample accession numbers in order of collection, unrelated to the patient number.
  const order = rng.shuffle([...Array(n).keys()]);
  order.forEach((pi, k) => { pts[pi].sample = `LM${pad(k + 1, 4)}`; });
  const controls = [...Array(12).keys()].map((k) => ({ sample: `HC${pad(k + 1, 2)}`, control: true }));
  // true calibrator dCq (mean over healthy controls): miR-21 2.5, miR-122 3.5 cycles above U6
  const cal = { 'miR-21': 2.5, 'miR-122': 3.5 };
  const samples = [];
  for (const c of controls) samples.push({ ...c, dcq: { 'miR-21': cal['miR-21'] + rng.normal(0, 0.4), 'miR-122': cal['miR-122'] + rng.normal(0, 0.4) } });
  for (let k = 0; k < n; k++) {
    const p = pts[order[k]];
    samples.push({ sample: p.sample, patient: p.id, dcq: { 'miR-21': cal['miR-21'] - p.l21, 'miR-122': cal['miR-122'] - p.l122 } });
  }
  // 5 plates: controls 3,3,2,2,2; patients 51,51,50,50,50 in accession order.
  const hcPer = [3, 3, 2, 2, 2], ptPer = [51, 51, 50, 50, 50];
  const files = {}, wells = [];
  const targets = ['U6', 'miR-21', 'miR-122'];
  const tColor = { U6: '"RGB(176,23,31)"', 'miR-21': '"RGB(0,128,0)"', 'miR-122': '"RGB(0,0,255)"' };
  const thr = { U6: '0.201', 'miR-21': '0.154', 'miR-122': '0.128' };
  const header = ['Well', 'Well Position', 'Omit', 'Sample Name', 'Target Name', 'Task', 'Reporter', 'Quencher', 'CT', 'Ct Mean', 'Ct SD',
    'Quantity', 'Quantity Mean', 'Quantity SD', 'Automatic Ct Threshold', 'Ct Threshold', 'Automatic Baseline', 'Baseline Start',
    'Baseline End', 'Comments', 'Y-Intercept', 'R(superscript 2)', 'Slope', 'Efficiency', 'Amp Score', 'Cq Conf', 'Biogroup Color',
    'Biogroup Name', 'Sample Color', 'Target Color', 'Target Name', 'Task'];
  let hcI = 0, ptI = 12;
  const undetPlate = 1 + rng.int(5);
  for (let plate = 1; plate <= 5; plate++) {
    const onPlate = [];
    const hcs = samples.slice(hcI, hcI + hcPer[plate - 1]); hcI += hcPer[plate - 1];
    const pps = samples.slice(ptI, ptI + ptPer[plate - 1]); ptI += ptPer[plate - 1];
    // spread the controls through the plate
    const step = Math.floor(pps.length / hcs.length);
    for (let k = 0; k < pps.length; k++) { if (k % step === 0 && hcs[k / step]) onPlate.push(hcs[k / step]); onPlate.push(pps[k]); }
    const recs = [];
    let w = 0;
    const undetIdx = 5 + rng.int(40);
    onPlate.forEach((s, si) => {
      const u6 = rng.normal(25.5, 0.8);
      for (const t of targets) {
        const base = u6 + (t === 'U6' ? 0 : s.dcq[t]);
        for (let r = 0; r < 2; r++) {
          let ct = num(base + rng.normal(0, 0.13), 3);
          if (plate === undetPlate && si === undetIdx && t === 'miR-122' && r === 1) ct = null;
          recs.push({ w: w++, sample: s.sample, target: t, task: 'UNKNOWN', ct });
        }
      }
    });
    for (const t of targets) for (let r = 0; r < 2; r++) {
      let ct = null;
      if (plate === 3 && t === 'miR-21' && r === 0) ct = num(rng.normal(36.9, 0.2), 3); // late NTC amplification
      recs.push({ w: w++, sample: 'NTC', target: t, task: 'NTC', ct });
    }
    const lines = [
      '* Chemistry = TAQMAN',
      `* Date Created = 2023-03-${pad(6 + plate, 2)} 09:4${plate}:12 AM CST`,
      '* Experiment Barcode = ',
      '* Experiment Comment = ',
      `* Experiment File Name = D:\\Users\\Administrator\\Documents\\CRLM miRNA\\CRLM_miRNA_plate${plate}.eds`,
      `* Experiment Name = CRLM_miRNA_plate${plate}`,
      `* Experiment Run End Time = 2023-03-${pad(6 + plate, 2)} 11:3${plate}:50 AM CST`,
      '* Experiment Type = Standard Curve',
      '* Instrument Name = 278871036',
      '* Instrument Serial Number = 278871036',
      '* Instrument Type = QuantStudio(TM) 7 Flex System',
      '* Passive Reference = ROX',
      '* Quantification Cycle Method = Ct',
      '* Signal Smoothing On = true',
      '* Stage/ Cycle where Analysis is performed = Stage 2, Step 2',
      '* User Name = NA',
      '',
      '[Results]',
      header.join('\t'),
    ];
    for (const r of recs) {
      const { row, col } = wellAt(r.w, 24);
      const grp = recs.filter((q) => q.sample === r.sample && q.target === r.target && q.ct !== null).map((q) => q.ct);
      const und = r.ct === null;
      const ctMean = und || grp.length === 0 ? '' : fix(mean(grp), 3);
      const ctSd = und || grp.length < 2 ? '' : fix(sdev(grp), 3);
      const bEnd = und ? 39 : Math.max(5, Math.floor(r.ct) - 4);
      lines.push([r.w + 1, `${ROWS[row]}${col}`, 'false', r.sample, r.target, r.task, 'FAM', 'NFQ-MGB', und ? 'Undetermined' : fix(r.ct, 3),
        ctMean, ctSd, '', '', '', 'true', thr[r.target], 'true', 3, bEnd, '', '', '', '', '',
        und ? '0.000' : fix(rng.normal(1.232, 0.012), 3), und ? '0.000' : fix(clamp(rng.normal(0.972, 0.004), 0.9, 0.999), 3),
        '', '', '', tColor[r.target], r.target, r.task].join('\t'));
      wells.push({ plate, ...r, cq: r.ct });
    }
    files[`plates/CRLM_miRNA_plate${plate}.txt`] = lines.join('\n') + '\n';
  }
  const sheet = [['sample', 'patient', 'group']];
  for (const s of samples.slice().sort((a, b) => (a.sample < b.sample ? -1 : 1))) sheet.push([s.sample, s.patient ?? '', s.control ? 'control' : 'patient']);
  files['samplesheet.csv'] = sheet.map(csvLine).join('\n') + '\n';
  const cheader = ['patient', 'age', 'sex', 'bmi', 'cea', 'ca19_9', 'tumor_size', 'tumor_number', 'primary_site', 'kras', 'response', 'effective'];
  files['clinical.csv'] = [cheader, ...pts.map((p) => [p.id, p.age, p.sex, fix(p.bmi, 1), fix(p.cea, 1), fix(p.ca199, 1), fix(p.tumorSize, 1),
    p.tumorNumber, p.site, p.kras, p.response, p.eff])].map(csvLine).join('\n') + '\n';
  return { dir: 'crc-liver-mets-capecitabine', files, pts, wells, samples };
}

// ================================================================================================ checks
// Small statistics for --check only (not the engine's; good enough to see the planted effects).
function lgamma(x) {
  // eslint-disable-next-line no-loss-of-precision -- Numerical Recipes' gammln coefficients, kept as published
  const c = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
  let y = x; const t = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let s = 1.000000000190015; for (const ci of c) s += ci / ++y;
  // eslint-disable-next-line no-loss-of-precision -- as above (sqrt(2 pi) as published)
  return -t + Math.log(2.5066282746310005 * s / x);
}
function betacf(a, b, x) {
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - qab * x / qap; d = 1 / d; let h = d;
  for (let m = 1; m <= 200; m++) {
    const m2 = 2 * m; let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d; c = 1 + aa / c; d = 1 / d; h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d; c = 1 + aa / c; d = 1 / d; const del = d * c; h *= del;
    if (Math.abs(del - 1) < 1e-12) break;
  }
  return h;
}
function betai(a, b, x) {
  if (x <= 0) return 0; if (x >= 1) return 1;
  const bt = Math.exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? bt * betacf(a, b, x) / a : 1 - bt * betacf(b, a, 1 - x) / b;
}
const tP = (t, df) => betai(df / 2, 0.5, df / (df + t * t)); // two-sided
const chi1P = (x) => tP(Math.sqrt(x), 1e7); // chi-square(1) = z^2, t with huge df ~ normal
function pearson(x, y) {
  const mx = mean(x), my = mean(y); let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2; }
  const r = sxy / Math.sqrt(sxx * syy), n = x.length;
  return { r, n, p: tP(r * Math.sqrt((n - 2) / (1 - r * r)), n - 2) };
}
function pairedT(a, b) { const d = a.map((v, i) => v - b[i]); const t = mean(d) / (sdev(d) / Math.sqrt(d.length)); return { meanDiff: mean(d), t, df: d.length - 1, p: tP(t, d.length - 1) }; }
/** AUC (higher score = case) and Youden cut point at midpoints. */
function roc(score, y) {
  const pos = score.filter((_, i) => y[i]), neg = score.filter((_, i) => !y[i]);
  let u = 0; for (const p of pos) for (const q of neg) u += p > q ? 1 : p === q ? 0.5 : 0;
  const auc = u / (pos.length * neg.length);
  const s = [...new Set(score)].sort((p, q) => p - q);
  let best = { j: -1 };
  const dir = auc >= 0.5 ? 1 : -1;
  for (let i = 0; i + 1 < s.length; i++) {
    const c = (s[i] + s[i + 1]) / 2;
    const se = pos.filter((v) => dir * v > dir * c).length / pos.length, sp = neg.filter((v) => dir * v <= dir * c).length / neg.length;
    if (se + sp - 1 > best.j) best = { j: se + sp - 1, cutoff: c, se, sp };
  }
  return { auc: Math.max(auc, 1 - auc), direction: dir > 0 ? 'higher in cases' : 'lower in cases', ...best };
}
function kmMedian(time, event) {
  const idx = time.map((_, i) => i).sort((a, b) => time[a] - time[b]);
  let s = 1, atRisk = time.length;
  for (let k = 0; k < idx.length;) {
    const t = time[idx[k]]; let d = 0, m = 0;
    while (k < idx.length && time[idx[k]] === t) { d += event[idx[k]]; m++; k++; }
    s *= 1 - d / atRisk; atRisk -= m;
    if (s <= 0.5) return t;
  }
  return NaN;
}
function logrank(time, event, g) {
  const times = [...new Set(time.filter((_, i) => event[i]))].sort((a, b) => a - b);
  let o1 = 0, e1 = 0, v = 0, o0 = 0, e0 = 0;
  for (const t of times) {
    const r1 = time.filter((x, i) => x >= t && g[i]).length, r0 = time.filter((x, i) => x >= t && !g[i]).length;
    const d1 = time.filter((x, i) => x === t && event[i] && g[i]).length, d0 = time.filter((x, i) => x === t && event[i] && !g[i]).length;
    const r = r1 + r0, d = d1 + d0;
    o1 += d1; o0 += d0; e1 += d * r1 / r; e0 += d * r0 / r;
    if (r > 1) v += d * (r1 / r) * (1 - r1 / r) * (r - d) / (r - 1);
  }
  const chisq = (o1 - e1) ** 2 / v;
  return { events: o1 + o0, o1, e1, hrOE: (o1 / e1) / (o0 / e0), chisq, p: chi1P(chisq) };
}
/** Logistic regression by IRLS (columns of X without intercept); returns coefficients incl. intercept and C-index. */
function logistic(X, y) {
  const n = y.length, k = X[0].length + 1;
  const Z = X.map((r) => [1, ...r]);
  let b = new Array(k).fill(0);
  for (let it = 0; it < 50; it++) {
    const H = Array.from({ length: k }, () => new Array(k).fill(0)), g = new Array(k).fill(0);
    for (let i = 0; i < n; i++) {
      const eta = Z[i].reduce((s, z, j) => s + z * b[j], 0), p = 1 / (1 + Math.exp(-eta)), w = p * (1 - p);
      for (let j = 0; j < k; j++) { g[j] += Z[i][j] * (y[i] - p); for (let l = 0; l < k; l++) H[j][l] += w * Z[i][j] * Z[i][l]; }
    }
    // solve H d = g (Gaussian elimination with partial pivoting)
    const A = H.map((r, j) => [...r, g[j]]);
    for (let c = 0; c < k; c++) {
      let piv = c; for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
      [A[c], A[piv]] = [A[piv], A[c]];
      for (let r = 0; r < k; r++) if (r !== c) { const f = A[r][c] / A[c][c]; for (let l = c; l <= k; l++) A[r][l] -= f * A[c][l]; }
    }
    const d = A.map((r, j) => r[k] / r[j]);
    b = b.map((v, j) => v + d[j]);
    if (Math.max(...d.map(Math.abs)) < 1e-10) break;
  }
  const lp = Z.map((z) => z.reduce((s, v, j) => s + v * b[j], 0));
  return { coef: b, cindex: roc(lp, y).auc };
}

function replicateMeans(wells, key) {
  const m = new Map();
  for (const w of wells) { if (w.ntc || w.cq === null || w.cq === undefined) continue; const k = key(w); if (!m.has(k)) m.set(k, []); m.get(k).push(w.cq); }
  return new Map([...m].map(([k, v]) => [k, mean(v)]));
}
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
const fp = (p) => (p < 1e-4 ? p.toExponential(2) : p.toFixed(4));

function checkTace(ex) {
  const cq = replicateMeans(ex.wells, (w) => `${w.sample}|${w.target}`);
  const dcq = (s, t) => cq.get(`${s}|${t}`) - cq.get(`${s}|cel-miR-39`);
  const P = ex.pts;
  const l122 = P.map((p) => Math.log10(2 ** -dcq(`${p.id}-pre`, 'miR-122')));
  const l122post = P.map((p) => Math.log10(2 ** -dcq(`${p.id}-post`, 'miR-122')));
  const l21 = P.map((p) => Math.log10(2 ** -dcq(`${p.id}-pre`, 'miR-21')));
  const l21post = P.map((p) => Math.log10(2 ** -dcq(`${p.id}-post`, 'miR-21')));
  const out = [`# ${ex.dir} (seed 000) -- recomputed from the written Cq values (replicate means, NTC excluded)`];
  const dAll = P.flatMap((p) => ['pre', 'post'].flatMap((lv) => ['miR-122', 'miR-21'].map((t) => dcq(`${p.id}-${lv}`, t))));
  out.push(`mean Cq: cel-miR-39 ${f3(mean([...cq].filter(([k]) => k.endsWith('cel-miR-39')).map(([, v]) => v)))}, miR-122 ${f3(mean([...cq].filter(([k]) => k.endsWith('|miR-122')).map(([, v]) => v)))}, miR-21 ${f3(mean([...cq].filter(([k]) => k.endsWith('|miR-21')).map(([, v]) => v)))}; min dCq ${f3(Math.min(...dAll))}`);
  for (const [name, col] of [['alt', 'alt'], ['ast', 'ast'], ['child_pugh_score', 'score'], ['alb', 'alb'], ['t_bil', 'tbil'], ['age', 'age']]) {
    const r = pearson(l122, P.map((p) => p[col]));
    out.push(`pearson log10 miR-122@pre ~ ${name}: r = ${f3(r.r)}, n = ${r.n}, p = ${fp(r.p)}`);
  }
  out.push(`pearson log10 miR-21@pre ~ alt: r = ${f3(pearson(l21, P.map((p) => p.alt)).r)}`);
  const t122 = pairedT(l122post, l122), t21 = pairedT(l21post, l21);
  out.push(`paired t log10 miR-122 post - pre: mean ${f3(t122.meanDiff)}, t = ${f3(t122.t)}, df ${t122.df}, p = ${fp(t122.p)}`);
  out.push(`paired t log10 miR-21  post - pre: mean ${f3(t21.meanDiff)}, t = ${f3(t21.t)}, df ${t21.df}, p = ${fp(t21.p)}`);
  const ga = l122.filter((_, i) => P[i].grade === 'A'), gb = l122.filter((_, i) => P[i].grade === 'B');
  out.push(`log10 miR-122@pre by Child-Pugh grade: A mean ${f3(mean(ga))} (n ${ga.length}), B mean ${f3(mean(gb))} (n ${gb.length})`);
  out.push(`DSS: events ${P.reduce((s, p) => s + p.death, 0)}/75, KM median ${f3(kmMedian(P.map((p) => p.dss), P.map((p) => p.death)))} months`);
  const lc = P.filter((p) => p.cirr);
  const ratio = lc.map((p) => dcq(`${p.id}-post`, 'miR-122') / dcq(`${p.id}-pre`, 'miR-122'));
  const med = median(ratio);
  const low = ratio.map((r) => r <= med);
  const lr = logrank(lc.map((p) => p.dss), lc.map((p) => p.death), low);
  out.push(`cirrhosis n ${lc.length}: miR-122 ratio median ${f3(med)}; low ratio (<= median) n ${low.filter(Boolean).length}; events ${lr.events} (low ${lr.o1}); log-rank chisq ${f3(lr.chisq)}, p = ${fp(lr.p)}; HR (O/E) low vs high ${f3(lr.hrOE)}`);
  const gA = lc.filter((_, i) => low[i]), gB = lc.filter((_, i) => !low[i]);
  out.push(`  KM median DSS low ${f3(kmMedian(gA.map((p) => p.dss), gA.map((p) => p.death)))}, high ${f3(kmMedian(gB.map((p) => p.dss), gB.map((p) => p.death)))}`);
  out.push(`planted defects: Undetermined replicate ${ex.defects.undet}-post miR-21 (run3); SD~0.9 triplicate ${ex.defects.highSd}-post miR-122 (run1); NTC Cp ~37.5 run2/miR-21.txt P24`);
  return out;
}

function checkSorafenib(ex) {
  const cq = replicateMeans(ex.wells, (w) => `${w.sample}|${w.target}`);
  const expr = (s) => 2 ** -(cq.get(`${s}|miR-221`) - cq.get(`${s}|miR-16`));
  const P = ex.pts;
  const out = [`# ${ex.dir} (seed 001)`];
  for (const c of [1, 2]) {
    const cp = P.filter((p) => p.cohort === c);
    const r = roc(cp.map((p) => expr(`${p.id}-pre`)), cp.map((p) => p.resp));
    out.push(`cohort ${c}: n ${cp.length}, responders ${cp.filter((p) => p.resp).length}; median miR-221@pre responders ${f3(median(cp.filter((p) => p.resp).map((p) => expr(`${p.id}-pre`))))} vs non ${f3(median(cp.filter((p) => !p.resp).map((p) => expr(`${p.id}-pre`))))}; Mann-Whitney AUC ${f3(r.auc)} (${r.direction})`);
  }
  const R = P.filter((p) => p.resp);
  const ch = R.map((p) => Math.log2(expr(`${p.id}-m2`) / expr(`${p.id}-pre`)));
  out.push(`responders (n ${R.length}): log2 change m2/pre median ${f3(median(ch))}, increased in ${ch.filter((x) => x > 0).length}/${R.length}`);
  const N = P.filter((p) => !p.resp);
  out.push(`non-responders (n ${N.length}): log2 change m2/pre median ${f3(median(N.map((p) => Math.log2(expr(`${p.id}-m2`) / expr(`${p.id}-pre`)))))}`);
  const r = roc(P.map((p) => expr(`${p.id}-pre`)), P.map((p) => p.resp));
  out.push(`ROC miR-221@pre predicts responder (all 78): AUC ${f3(r.auc)} (${r.direction}), Youden cutoff ${f3(r.cutoff)}, se ${f3(r.se)}, sp ${f3(r.sp)}`);
  const pre = P.map((p) => expr(`${p.id}-pre`)), med = median(pre), high = pre.map((x) => x > med);
  const lr = logrank(P.map((p) => p.pfs), P.map((p) => p.prog), high);
  const hi = P.filter((_, i) => high[i]), lo = P.filter((_, i) => !high[i]);
  out.push(`PFS by miR-221@pre > median: median high ${f3(kmMedian(hi.map((p) => p.pfs), hi.map((p) => p.prog)))} vs low ${f3(kmMedian(lo.map((p) => p.pfs), lo.map((p) => p.prog)))} months; events ${lr.events}; log-rank p = ${fp(lr.p)}; HR (O/E) ${f3(lr.hrOE)}`);
  out.push(`planted defect: one NaN replicate ${ex.defects.nan}-m2 miR-221`);
  return out;
}

function checkCrc(ex) {
  const cq = replicateMeans(ex.wells, (w) => `${w.sample}|${w.target}`);
  const dcq = (s, t) => cq.get(`${s}|${t}`) - cq.get(`${s}|U6`);
  const hc = ex.samples.filter((s) => s.control).map((s) => s.sample);
  const calib = { 'miR-21': mean(hc.map((s) => dcq(s, 'miR-21'))), 'miR-122': mean(hc.map((s) => dcq(s, 'miR-122'))) };
  const rq = (s, t) => 2 ** -(dcq(s, t) - calib[t]);
  const P = ex.pts, y = P.map((p) => p.eff);
  const m21 = P.map((p) => rq(p.sample, 'miR-21')), m122 = P.map((p) => rq(p.sample, 'miR-122'));
  const out = [`# ${ex.dir} (seed 002) -- whole cohort (the engine's 70/30 split is not reproduced here)`];
  out.push(`calibrator mean dCq (12 HC): miR-21 ${f3(calib['miR-21'])}, miR-122 ${f3(calib['miR-122'])}; effective ${y.filter(Boolean).length}/${y.length}`);
  out.push(`2^-ddCq miR-21 median ${f3(median(m21))}, > 2.0 in ${m21.filter((v) => v > 2).length}; miR-122 median ${f3(median(m122))}, < 0.5 in ${m122.filter((v) => v < 0.5).length}`);
  for (const [name, v] of [['miR-21', m21], ['miR-122', m122]]) {
    const r = roc(v, y);
    out.push(`ROC ${name} predicts effective: AUC ${f3(r.auc)} (${r.direction}), Youden cutoff ${f3(r.cutoff)}, se ${f3(r.se)}, sp ${f3(r.sp)}`);
  }
  for (const col of ['cea', 'tumorSize', 'bmi', 'age']) {
    out.push(`mean ${col}: effective ${f3(mean(P.filter((p) => p.eff).map((p) => p[col])))} vs ineffective ${f3(mean(P.filter((p) => !p.eff).map((p) => p[col])))}`);
  }
  const crude = (flag) => {
    const a = P.filter((p, i) => flag[i] && p.eff).length, b = P.filter((p, i) => flag[i] && !p.eff).length;
    const c = P.filter((p, i) => !flag[i] && p.eff).length, d = P.filter((p, i) => !flag[i] && !p.eff).length;
    return (a * d) / (b * c);
  };
  out.push(`crude OR effective: miR-21 > 2.0 ${f3(crude(m21.map((v) => v > 2)))}, miR-122 < 0.5 ${f3(crude(m122.map((v) => v < 0.5)))}`);
  const X = P.map((p, i) => [p.cea, m21[i] > 2 ? 1 : 0, m122[i] < 0.5 ? 1 : 0, p.tumorSize, p.bmi, p.age]);
  const fit = logistic(X, y);
  const names = ['cea', 'miR-21 > 2.0', 'miR-122 < 0.5', 'tumor_size', 'bmi', 'age'];
  out.push(`logistic (all 252) ORs: ${names.map((nm, j) => `${nm} ${f3(Math.exp(fit.coef[j + 1]))}`).join(', ')}; C-index ${f3(fit.cindex)}`);
  out.push('paper ORs: cea 0.84, miR-21 high 2.35, miR-122 low 3.02, tumor_size 0.555, bmi 0.764, age 0.942; C-index 0.809 (training)');
  return out;
}

// ================================================================================================ seed 003
// A cell line treated with a drug at three doses (and untreated): 4 groups x 3 biological replicates (independent
// wells of cells, RNA extracted separately), each measured in technical triplicate for two reference genes (GAPDH,
// ACTB) and two targets (CDKN1A up with dose, MKI67 down). Tidy CSV export of one 384-well plate.
function genInvitro() {
  const rng = new Rng(3);
  const groups = [['untreated', '0 nM'], ['low', '10 nM'], ['mid', '100 nM'], ['high', '1000 nM']]; // dose labels sort in dose order
  const log2fc = { CDKN1A: [0, 0.35, 1.1, 2.0], MKI67: [0, -0.2, -0.7, -1.5] }; // planted log2 fold changes
  const baseCq = { GAPDH: 17.8, ACTB: 18.6, CDKN1A: 25.4, MKI67: 24.1 };
  const targets = ['GAPDH', 'ACTB', 'CDKN1A', 'MKI67'];
  const samples = [];
  groups.forEach(([g, dose], gi) => {
    for (let r = 1; r <= 3; r++) {
      const input = rng.normal(0, 0.35); // RNA input / RT yield: shifts every gene of the sample
      const bio = { CDKN1A: rng.normal(0, 0.22), MKI67: rng.normal(0, 0.2) };
      samples.push({ sample: `${g}-${r}`, treatment: g, dose, rep: r, cq: Object.fromEntries(targets.map((t) =>
        [t, baseCq[t] + input + (t in log2fc ? -(log2fc[t][gi] + bio[t]) : rng.normal(0, 0.08))])) });
    }
  });
  const lines = [csvLine(['well', 'sample', 'target', 'task', 'cq'])];
  const wells = [];
  let w = 0;
  for (const t of targets) {
    for (const s of samples) for (let k = 0; k < 3; k++) {
      const { row, col } = wellAt(w++, 24);
      const v = fix(s.cq[t] + rng.normal(0, 0.1), 2);
      wells.push({ sample: s.sample, target: t, cq: Number(v), ntc: false });
      lines.push(csvLine([`${ROWS[row]}${col}`, s.sample, t, 'UNKNOWN', v]));
    }
    for (let k = 0; k < 2; k++) { const { row, col } = wellAt(w++, 24); lines.push(csvLine([`${ROWS[row]}${col}`, 'NTC', t, 'NTC', ''])); }
  }
  const sheet = [csvLine(['sample', 'treatment', 'dose', 'bio_rep']), ...samples.map((s) => csvLine([s.sample, s.treatment, s.dose, s.rep]))];
  return { dir: 'invitro-cell-line', files: { 'plates/plate1.csv': lines.join('\n') + '\n', 'samplesheet.csv': sheet.join('\n') + '\n' }, samples, wells };
}

function checkInvitro(ex) {
  const out = ['seed 003 (invitro-cell-line): log2 fold change vs untreated from the generated Cq (triplicate means, mean of GAPDH and ACTB)'];
  const cq = replicateMeans(ex.wells, (w) => `${w.sample}|${w.target}`);
  const dcq = (s, t) => cq.get(`${s.sample}|${t}`) - (cq.get(`${s.sample}|GAPDH`) + cq.get(`${s.sample}|ACTB`)) / 2;
  for (const t of ['CDKN1A', 'MKI67']) {
    const byGroup = (g) => mean(ex.samples.filter((s) => s.treatment === g).map((s) => dcq(s, t)));
    const ref = byGroup('untreated');
    out.push(`  ${t}: ${['untreated', 'low', 'mid', 'high'].map((g) => `${g} ${fix(ref - byGroup(g), 2)}`).join(', ')}`);
  }
  return out;
}

// ================================================================================================ main
function main() {
  const argv = process.argv.slice(2);
  const check = argv.includes('--check');
  const oi = argv.indexOf('--out');
  const outDir = oi >= 0 ? path.resolve(argv[oi + 1] ?? '') : path.join(repoRoot, 'examples');
  if (oi >= 0 && !argv[oi + 1]) { console.error('usage: generate-examples.mjs [--out DIR] [--check]'); process.exit(2); }
  const exs = [genTace(), genSorafenib(), genCrc(), genInvitro()];
  if (check) {
    const lines = [...checkTace(exs[0]), '', ...checkSorafenib(exs[1]), '', ...checkCrc(exs[2]), '', ...checkInvitro(exs[3])];
    console.log(lines.join('\n'));
    return;
  }
  for (const ex of exs) {
    const root = path.join(outDir, ex.dir);
    fs.rmSync(path.join(root, 'plates'), { recursive: true, force: true }); // no stale plate files
    for (const [rel, text] of Object.entries(ex.files)) {
      const f = path.join(root, rel);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, text);
    }
    console.log(`${ex.dir}: ${Object.keys(ex.files).length} files`);
  }
}

main();
