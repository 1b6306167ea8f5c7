/**
 * Seeded mutation fuzzing of the importers + QC + cellEdit over the real fixtures (byte flips, line deletions and
 * duplications, truncation, delimiter swaps, decimal swaps, BOM/CR insertion). A case fails if an exception escapes
 * or a diagnostic/well range is not a valid range inside the decoded text.
 *
 * `fuzzImport(cases, seed)` reads every file under the repository's test/fixtures (found by walking up from this
 * module); pass `corpus` to fuzz other inputs. A test harness (test/fuzz), used by the unit tests and `npm run bench`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineDiagnostic, Range } from '../../src/engine/common/diagnostic';
import { Rng } from '../../src/engine/stats/rng';
import { strFromU8, unzipSync } from 'fflate';
import { DEFAULT_QC, type Plate } from '../../src/engine/plate/model';
import type { CurveTable } from '../../src/engine/curves/store';
import { cellEdit, importPlate } from '../../src/engine/plate/index';
import { decodeText } from '../../src/engine/plate/text';
import { DEFAULT_MIN_CQ } from '../../src/engine/plate/table';
import { runQc } from '../../src/engine/qc/index';

export interface FuzzInput { name: string; data: Uint8Array }
export interface FuzzFailure { case: number; source: string; mutation: string; message: string }
export interface FuzzReport { cases: number; failures: FuzzFailure[]; diagnostics: number; plates: number; ms: number }

/** The test/fixtures folders holding instrument exports (other folders belong to other parts of the project). */
export const PLATE_FIXTURE_DIRS = ['allotropy', 'ddct', 'htqpcr', 'qs-design-analysis', 'rdml', 'rotor-gene', 'crafted'];

/** Loads the instrument files under test/fixtures/{PLATE_FIXTURE_DIRS} (Markdown notes are skipped). */
export function loadFixtureCorpus(): FuzzInput[] {
  let dir = __dirname;
  for (let i = 0; i < 8 && !fs.existsSync(path.join(dir, 'test', 'fixtures')); i++) dir = path.dirname(dir);
  const root = path.join(dir, 'test', 'fixtures');
  if (!fs.existsSync(root)) throw new Error(`fuzzImport: cannot find test/fixtures above ${__dirname}`);
  const out: FuzzInput[] = [];
  const mine = new Set(PLATE_FIXTURE_DIRS);
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (d !== root || mine.has(e.name)) walk(p); }
      else if (!/\.md$/i.test(e.name)) out.push({ name: path.relative(root, p), data: new Uint8Array(fs.readFileSync(p)) });
    }
  };
  walk(root);
  out.sort((a, b) => (a.name < b.name ? -1 : 1));
  return out;
}

const enc = new TextEncoder();

function lineSplit(b: Uint8Array): number[] {
  const ends: number[] = [];
  for (let i = 0; i < b.length; i++) if (b[i] === 10 || b[i] === 13) ends.push(i);
  return ends;
}

/** One random mutation of `src`. Large files are cut to a random window first so 100k cases stay fast. */
export function mutate(src: Uint8Array, r: Rng): { data: Uint8Array; mutation: string } {
  let b = src;
  const kind = r.int(10);
  const pick = (n: number) => r.int(Math.max(1, n));
  switch (kind) {
    case 0: { // byte flips
      b = b.slice();
      const n = 1 + r.int(8);
      for (let k = 0; k < n && b.length; k++) b[pick(b.length)] ^= 1 << r.int(8);
      return { data: b, mutation: `flip ${n} bits` };
    }
    case 1: { // random bytes overwritten (incl. delimiters, quotes, CR, NUL, high bytes)
      b = b.slice();
      const alphabet = [0, 9, 10, 13, 34, 44, 59, 46, 0x2c, 0xc3, 0xff, 0xef, 0xbb, 0xbf, 0x22];
      const n = 1 + r.int(6);
      for (let k = 0; k < n && b.length; k++) b[pick(b.length)] = alphabet[r.int(alphabet.length)];
      return { data: b, mutation: `overwrite ${n} bytes` };
    }
    case 2: { // delete lines
      const ends = lineSplit(b);
      if (ends.length < 2) return { data: b.subarray(0, pick(b.length)), mutation: 'truncate' };
      const i = pick(ends.length - 1);
      const n = 1 + r.int(3);
      const s = ends[i] + 1, e = ends[Math.min(ends.length - 1, i + n)] + 1;
      const out = new Uint8Array(b.length - (e - s));
      out.set(b.subarray(0, s)); out.set(b.subarray(e), s);
      return { data: out, mutation: `delete lines after byte ${s}` };
    }
    case 3: // truncation
      return { data: b.subarray(0, pick(b.length)), mutation: 'truncate' };
    case 4: { // delimiter swap everywhere or in one line
      const from = [9, 44, 59][r.int(3)], to = [9, 44, 59, 32][r.int(4)];
      b = b.slice();
      for (let i = 0; i < b.length; i++) if (b[i] === from && r.uniform() < 0.7) b[i] = to;
      return { data: b, mutation: `delimiter ${from}->${to}` };
    }
    case 5: { // decimal swap
      b = b.slice();
      for (let i = 0; i < b.length; i++) if (b[i] === 46 && r.uniform() < 0.5) b[i] = 44;
      return { data: b, mutation: 'decimal . -> ,' };
    }
    case 6: { // duplicate a line
      const ends = lineSplit(b);
      if (ends.length < 2) return { data: b, mutation: 'none' };
      const i = pick(ends.length - 1);
      const s = ends[i] + 1, e = ends[i + 1] + 1;
      const out = new Uint8Array(b.length + (e - s));
      out.set(b.subarray(0, e)); out.set(b.subarray(s, e), e); out.set(b.subarray(e), e + (e - s));
      return { data: out, mutation: 'duplicate line' };
    }
    case 7: { // line endings: all LF → CR, or insert a BOM
      if (r.uniform() < 0.5) {
        const out = new Uint8Array(b.length + 3); out.set([0xef, 0xbb, 0xbf]); out.set(b, 3);
        return { data: out, mutation: 'add BOM' };
      }
      b = b.slice();
      for (let i = 0; i < b.length; i++) if (b[i] === 10) b[i] = 13;
      return { data: b, mutation: 'LF -> CR' };
    }
    case 9: { // hostile: a long run of blanks, digits, delimiters, quotes, line breaks or '<' (backtracking bait)
      const unit = [' ', '1', ',', '\t', '"', '\n', '<adp>', '* a =', '#'][r.int(9)];
      const junk = enc.encode(unit.repeat(1000 + r.int(4000)) + 'x');
      const at = pick(b.length);
      const out = new Uint8Array(b.length + junk.length);
      out.set(b.subarray(0, at)); out.set(junk, at); out.set(b.subarray(at), at + junk.length);
      return { data: out, mutation: `insert a run of ${JSON.stringify(unit)}` };
    }
    default: { // insert a junk token into a random spot (silent-wrong-value bait included)
      const tokens = ['Undetermined', 'NaN', '999', '"', '\t\t', ';', ',', '\r\n', '1e400', '-', '[Results]', 'Well',
        '-5', '0', '.5', '1e-400', '0x10', '0b11', 'Infinity', '__proto__', 'constructor', '</adp>', '<data>', '<mdp><tmp>', '[Melt Curve Raw Data]'];
      const junk = enc.encode(tokens[r.int(tokens.length)]);
      const at = pick(b.length);
      const out = new Uint8Array(b.length + junk.length);
      out.set(b.subarray(0, at)); out.set(junk, at); out.set(b.subarray(at), at + junk.length);
      return { data: out, mutation: 'insert junk' };
    }
  }
}

/** What is wrong with a plate's curve store, or null: curves of existing wells, ascending, offsets in bounds, finite x. */
export function curveProblem(plate: Plate): string | null {
  const c = plate.curves;
  if (!c) return null;
  for (const [kind, t] of [['amplification', c.amplification as CurveTable<string> | undefined], ['melt', c.melt as CurveTable<string> | undefined]] as const) {
    if (!t) continue;
    if (t.offsets.length !== t.wells.length + 1 || t.offsets[t.wells.length] !== t.x.length) return `${kind}: offsets do not cover the points`;
    for (let k = 0; k < t.wells.length; k++) {
      if (t.wells[k] < 0 || t.wells[k] >= plate.wells.length || (k > 0 && t.wells[k] <= t.wells[k - 1])) return `${kind}: curve ${k} has well ${t.wells[k]}`;
      if (t.offsets[k + 1] < t.offsets[k]) return `${kind}: offsets decrease at ${k}`;
    }
    for (let i = 0; i < t.x.length; i++) if (!Number.isFinite(t.x[i])) return `${kind}: x[${i}] = ${t.x[i]}`;
    for (const r of t.readouts) if (t.y[r]?.length !== t.x.length) return `${kind}: readout ${r} has ${t.y[r]?.length} values`;
  }
  return null;
}

/**
 * Small curve-bearing inputs for fuzzing the curve sections: each RDML fixture as bare XML cut to its first `reacts`
 * reactions (so mutations hit adp/mdp points, not only the zip container), and the QuantStudio exports with an
 * [Amplification Data] section.
 */
export function curveCorpus(inputs: FuzzInput[], reacts = 2): FuzzInput[] {
  const out: FuzzInput[] = [];
  for (const f of inputs) {
    if (f.name.endsWith('.rdml') && f.data[0] === 0x50) {
      const xml = strFromU8(unzipSync(f.data)['rdml_data.xml'] ?? new Uint8Array());
      let end = -1;
      for (let k = 0; k < reacts; k++) { const e = xml.indexOf('</react>', end + 1); if (e < 0) break; end = e; }
      if (end > 0) out.push({ name: `${f.name}.xml`, data: enc.encode(`${xml.slice(0, end + 8)}</run></experiment></rdml>`) });
    } else if (/\[Amplification Data\]/.test(strFromU8(f.data.subarray(0, 200_000), true))) out.push(f);
  }
  return out;
}

/** Is `r` a well-formed range inside `lines` (when the lines are known)? */
export function rangeProblem(r: Range | undefined, lines: string[] | null): string | null {
  if (!r || !r.start || !r.end) return 'missing range';
  const nums = [r.start.line, r.start.character, r.end.line, r.end.character];
  if (!nums.every((x) => Number.isInteger(x) && x >= 0)) return `non-integer/negative range ${JSON.stringify(r)}`;
  if (r.end.line < r.start.line || (r.end.line === r.start.line && r.end.character < r.start.character)) return `reversed range ${JSON.stringify(r)}`;
  if (lines) {
    if (r.end.line >= lines.length) return `range line ${r.end.line} beyond ${lines.length} lines`;
    if (r.start.character > lines[r.start.line].length || r.end.character > lines[r.end.line].length) return `range ${JSON.stringify(r)} beyond line length`;
  }
  return null;
}

export function fuzzImport(cases: number, seed: number, corpus?: FuzzInput[]): FuzzReport {
  const inputs = corpus ?? loadFixtureCorpus();
  const r = new Rng(seed);
  const failures: FuzzFailure[] = [];
  let diagnostics = 0, plates = 0;
  const t0 = Date.now();
  const MAX = 64 * 1024;
  for (let c = 0; c < cases; c++) {
    const src = inputs[r.int(inputs.length)];
    let base = src.data;
    // Keep the head of large files (fingerprints live there) but bound the cost per case.
    if (base.length > MAX && !(base[0] === 0x50 && base[1] === 0x4b)) base = base.subarray(0, MAX + r.int(MAX));
    const { data, mutation } = mutate(base, r);
    const fail = (message: string) => failures.push({ case: c, source: src.name, mutation, message });
    try {
      const res = importPlate(data, src.name);
      const isZip = data.length >= 2 && data[0] === 0x50 && data[1] === 0x4b;
      const decoded = isZip ? undefined : decodeText(data).text;
      const lines = decoded === undefined ? null : decoded.split(/\r\n|\r|\n/);
      const check = (ds: EngineDiagnostic[]) => {
        for (const d of ds) {
          const p = rangeProblem(d.range, res.plate?.format === 'rdml' ? null : lines);
          if (p) fail(`${d.code}: ${p}`);
          for (const f of d.fixes ?? []) for (const e of f.edits) { const q = rangeProblem(e.range, lines); if (q) fail(`fix of ${d.code}: ${q}`); }
        }
        diagnostics += ds.length;
      };
      check(res.diagnostics);
      if (!res.plate && !res.diagnostics.some((d) => d.severity === 'error')) fail('no plate and no error diagnostic');
      if (res.plate) {
        plates++;
        check(runQc(res.plate, DEFAULT_QC, decoded));
        const cp = curveProblem(res.plate);
        if (cp) fail(`curves: ${cp}`);
        const textLines = res.plate.format === 'rdml' ? null : lines;
        for (const w of res.plate.wells) {
          for (const k of ['row', 'cq', 'position', 'sample', 'target', 'omit'] as const) {
            const rr = w.ranges[k];
            if (rr) { const p = rangeProblem(rr, textLines); if (p) { fail(`well ${w.index} ${k}: ${p}`); break; } }
          }
          if (w.cq !== null && !Number.isFinite(w.cq)) fail(`well ${w.index}: non-finite cq ${w.cq}`);
          if (w.cq !== null && w.cq < DEFAULT_MIN_CQ && w.noCq === undefined) fail(`well ${w.index}: implausible cq ${w.cq} read as a value`);
        }
        const w = res.plate.wells[r.int(res.plate.wells.length)];
        if (w) { cellEdit(res.plate, w, 'omit'); cellEdit(res.plate, w, 'cq', '12.5'); }
      }
    } catch (e) {
      fail(`exception: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
    if (failures.length > 50) break;
  }
  return { cases, failures, diagnostics, plates, ms: Date.now() - t0 };
}
