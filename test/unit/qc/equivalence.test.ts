/**
 * Safety net for the performance work on runQc and computeExpression: a seeded plate of a few thousand wells
 * (duplicates, omitted wells, NTC/NRT/standards, non-detects in several spellings, late Cq, mixed decimal marks,
 * instrument flags, wells outside the plate, a sample without the reference, a second plate for inter-run
 * calibration) is run through both functions under several option sets, and the JSON of every result is compared
 * with a digest recorded from the code before the optimisation. A mismatch means a result changed: run with
 * QC_PERF_DUMP=/some/dir (writes every output as JSON) before and after a change and diff the files. After an
 * intended change of results (a message, the importer's ranges), re-record the digests: QC_PERF_PRINT=1 prints them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { EngineDiagnostic } from '../../../src/engine/common/diagnostic';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPlate } from '../../../src/engine/plate';
import type { Plate, QcSettings } from '../../../src/engine/plate/model';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { runQc } from '../../../src/engine/qc';
import { computeExpression } from '../../../src/engine/expression';
import type { ExpressionOptions, ExpressionResult } from '../../../src/engine/expression/types';
import { mulberry32 } from '../../fuzz/studyFuzz';

/** The fuzzers' mulberry32 (the fingerprints below were recorded with this exact stream). */
const rng = mulberry32;

const ROWS = 'ABCDEFGHIJKLMNOP';
const NOCQ = ['Undetermined', 'Undetermined', 'Undetermined', 'undetermined', 'UNDET', 'NaN', 'N/A', '', 'No Ct'];

/** A semicolon-separated tidy table (so `,` decimals need no quoting). */
function tidyText(seed: number, nSamples: number, plateNo: number): string {
  const u = rng(seed);
  const targets = ['RNU6B', 'miR-21-5p', 'miR-122-5p', 'GAPDH'];
  const base = [22, 26, 29, 20];
  const lines = ['sample;target;well;cq;task;omit;quantity;HIGHSD'];
  let n = 0;
  const pos = () => {
    const slot = n % 384;
    return `${ROWS[slot % 16]}${Math.floor(slot / 16) + 1}`;
  };
  const cqText = (m: number) => {
    const x = u();
    if (x < 0.04) return NOCQ[Math.floor(u() * NOCQ.length)];
    if (x < 0.06) return (36 + u() * 4).toFixed(2); // late
    const v = (m + (u() < 0.05 ? (u() - 0.5) * 6 : (u() - 0.5) * 0.5)).toFixed(3);
    return u() < 0.01 ? v.replace('.', ',') : v;
  };
  for (let s = 0; s < nSamples; s++) {
    const sample = s % 97 === 5 ? '' : s % 13 === 0 ? `IRC-${plateNo}` : `S${String(s).padStart(4, '0')}-${s % 3 ? 'pre' : 'post'}`;
    const shift = (u() - 0.5) * 3;
    for (let t = 0; t < targets.length; t++) {
      if (t === 0 && s % 41 === 7) continue; // no reference for this sample
      if (t === 3 && s % 2) continue;
      const reps = 1 + Math.floor(u() * 4);
      for (let r = 0; r < reps; r++, n++) {
        let well = n % 211 === 3 ? `P${plateNo}-${ROWS[(n - 1) % 16]}${Math.floor(((n - 1) % 384) / 16) + 1}` : `P${plateNo}-${pos()}`;
        if (n % 503 === 9) well = 'Q30';
        else if (n % 211 === 3) well = `P${plateNo}-${pos()}`;
        if (n % 157 === 11) well = `P${plateNo}-A1`; // duplicate position
        const omit = u() < 0.03 ? 'true' : 'false';
        const flag = u() < 0.02 ? 'Y' : 'N';
        lines.push(`${sample};${targets[t]};${well};${cqText(base[t] + shift + (t ? (u() - 0.5) * 2 : 0))};unknown;${omit};;${flag}`);
      }
    }
    if (s % 50 === 0) {
      for (const t of targets.slice(0, 3)) {
        lines.push(`NTC;${t};P${plateNo}-P${24 - (s % 20)};${u() < 0.5 ? 'Undetermined' : (30 + u() * 10).toFixed(2)};ntc;false;;N`);
        lines.push(`NRT;${t};P${plateNo}-O${24 - (s % 20)};Undetermined;nrt;false;;N`);
      }
    }
  }
  for (const t of targets.slice(0, 3)) {
    for (let k = 0; k < 5; k++) for (let r = 0; r < 3; r++) {
      const q = 10 ** (6 - k);
      lines.push(`Std;${t};P${plateNo}-N${k * 3 + r + 1};${(15 + 3.33 * k + (u() - 0.5) * 0.3).toFixed(3)};standard;false;${q};N`);
    }
  }
  return lines.join(u() < 0.5 ? '\n' : '\r\n') + '\n';
}

function plates(): { plate: Plate; text: string }[] {
  const out: { plate: Plate; text: string }[] = [];
  for (const [seed, n, no] of [[11, 900, 1], [12, 300, 2]] as const) {
    const text = tidyText(seed, n, no);
    const r = importPlate(text, `plate${no}.csv`);
    assert.ok(r.plate, `import: ${r.diagnostics[0]?.message}`);
    out.push({ plate: r.plate!, text });
  }
  return out;
}

/** A stable digest of a value's JSON (CellRanges serialise through toJSON). */
function digest(name: string, v: unknown): string {
  const json = JSON.stringify(v);
  const dir = process.env.QC_PERF_DUMP;
  if (dir) { mkdirSync(dir, { recursive: true }); writeFileSync(join(dir, `${name}.json`), json); }
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

const QC2: QcSettings = { maxCq: 33, replicateSd: 0.2, ntcMinCq: 36, minReplicates: 3, referenceTargets: ['RNU6B', 'GAPDH'] };

const EXPR: [string, Partial<ExpressionOptions>][] = [
  ['bench', {}],
  ['grubbs-value', { outliers: { method: 'grubbs' }, nondetect: { policy: 'value', value: 38 } }],
  ['distance-impute', { outliers: { method: 'distance', distance: 0.3 }, nondetect: { policy: 'impute' } }],
  ['maxcq-cal', {
    nondetect: { policy: 'max-cq' }, references: ['RNU6B', 'GAPDH'],
    sampleFields: (s) => { const m = /^S(\d+)-(pre|post)$/.exec(s); return m ? { id: m[1], time: m[2] } : null; },
    calibrator: (f) => f.time === 'pre',
  }],
  ['irc-standards', { interRunCalibrator: 'IRC-*', efficiency: 'standards', outliers: { method: 'grubbs', alpha: 0.1 } }],
  ['eff-targets', { efficiency: { 'miR-21-5p': 1.9, RNU6B: 2.05, GAPDH: 7 }, targets: ['miR-21-5p', 'nope'], nondetect: { policy: 'value' } }],
  ['no-ref', { references: ['missing'] }],
];

test('runQc and computeExpression give the recorded results on a generated plate', () => {
  const ps = plates();
  const got: Record<string, string> = {};
  // The findings' `wells` (which wells a finding is about, added after the recording) are left out of the digests;
  // test/unit/host/curveView.test.ts checks them against the line each finding is at.
  const qcOf = (ds: EngineDiagnostic[]) => ds.map(({ wells: _wells, ...d }) => d);
  ps.forEach(({ plate, text }, i) => {
    got[`qc${i}-text`] = digest(`qc${i}-text`, qcOf(runQc(plate, DEFAULT_QC, text)));
    got[`qc${i}-notext`] = digest(`qc${i}-notext`, qcOf(runQc(plate, QC2)));
  });
  // Geometry from the importer plus a well outside it.
  const p0 = ps[0].plate;
  got['qc0-geom'] = digest('qc0-geom', qcOf(runQc({ ...p0, rows: 8, cols: 12 }, DEFAULT_QC, ps[0].text)));
  // `sampleCount` (added after the recording) is left out of the digests and checked against the rows here.
  const exOf = (r: ExpressionResult) => {
    const { sampleCount, ...rest } = r;
    assert.equal(sampleCount, new Set(r.samples.map((x) => x.sample)).size);
    return rest;
  };
  for (const [name, o] of EXPR) {
    const opts: ExpressionOptions = { references: ['RNU6B'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' }, ...o };
    got[`ex-${name}`] = digest(`ex-${name}`, exOf(computeExpression(ps.map((p) => p.plate), opts)));
    got[`ex1-${name}`] = digest(`ex1-${name}`, exOf(computeExpression([p0], { ...opts, qc: QC2 })));
  }
  if (process.env.QC_PERF_PRINT) console.log(JSON.stringify(got, null, 2));
  assert.deepEqual(got, RECORDED);
});

// Recorded from the code before the optimisation (commit 7369213). The ex-* digests re-recorded when the results gained
// efficiencies[].se and exclusions[].code (issue 14): with those fields removed, the outputs hash to the previous digests.
const RECORDED: Record<string, string> = {
  'qc0-text': 'e35406e850154d49',
  'qc0-notext': 'bb80b2aa4346eb31',
  'qc1-text': '504d45129c44a182',
  'qc1-notext': 'bbba12496b447096',
  'qc0-geom': 'd510cae5c0639f3e',
  'ex-bench': '4c675c6585e2b95c',
  'ex1-bench': '72873a63d4a824ed',
  'ex-grubbs-value': '4d3f33e1f308b65a',
  'ex1-grubbs-value': 'c6a28fe51430f2d5',
  'ex-distance-impute': 'e030899970dd93b1',
  'ex1-distance-impute': 'efdeff8e85047ef2',
  'ex-maxcq-cal': '1939b5a68cdeec06',
  'ex1-maxcq-cal': 'b67ba3f14fe11081',
  'ex-irc-standards': '2a39650999c8458d',
  'ex1-irc-standards': '9aa3e842c5690acc',
  'ex-eff-targets': 'c5a036280c20e229',
  'ex1-eff-targets': '50136097976347cd',
  'ex-no-ref': 'd6ad1016b657b323',
  'ex1-no-ref': '9cdbf34039646eb7',
};
