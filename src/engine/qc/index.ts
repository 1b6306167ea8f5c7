/**
 * Plate QC: pure rules over an imported Plate. Every finding has a stable code, a severity and an exact range
 * (the Cq cell, the position cell, or the row). Import problems (`row-ragged`, `cq-unparseable`) are reported by
 * the importer and are not repeated here.
 *
 * Codes: well-duplicate, well-outside-plate, replicate-sd, few-replicates, late-cq, ntc-amplified, no-reference,
 * mixed-decimal, instrument-flag (with an `omit-flagged` fix where the format has an Omit column), nocq-variant
 * (with a certain fix normalising the spelling to the file's dominant one).
 */
import type { EngineDiagnostic, EngineFix, Range, Severity } from '../common/diagnostic';
import type { Plate, QcSettings, Well } from '../plate/model';
import { cellEdit } from '../plate';
import { firstOccurrences, pairHash } from '../plate/pairIndex';

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function label(w: Well): string {
  return w.position ?? `line ${w.line + 1}`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

/** Slice of `text` covered by a single-line range, or null if it cannot be checked. */
function textAt(lines: string[] | null, r: Range): string | null {
  if (!lines || r.start.line !== r.end.line || r.start.line >= lines.length) return null;
  return lines[r.start.line].slice(r.start.character, r.end.character);
}

/** Normalised "no Cq" word family for variant detection: all spellings of "undetermined" are one family. */
function noCqFamily(t: string): string | null {
  const l = t.trim().toLowerCase().replace(/\s+/g, ' ');
  if (l === '') return null;
  if (l === 'undetermined' || l === 'undet.' || l === 'undet' || l === 'no ct' || l === 'no cq' || l === 'noct' || l === 'no cp') return 'undetermined';
  if (l === 'nan') return 'nan';
  if (l === 'n/a' || l === 'na' || l === '#n/a' || l === 'n.a.') return 'na';
  return null;
}

/** Appends `src` to `dst` (no `push(...src)`: that overflows the stack for very long lists). */
function append<T>(dst: T[], src: T[]): void {
  for (const x of src) dst.push(x);
}

/**
 * Runs every rule over the plate. Diagnostics come rule by rule (in the order of the rules below), each rule's in
 * well order.
 *
 * Performance (a 1M-well plate): the wells are read in ONE pass. Reading a well's fields is the main cost (every
 * well is a separate heap object, its Cq a boxed number, its strings elsewhere again), so every rule takes what it
 * needs from that pass into its own list of diagnostics (or into a few per-well typed arrays) and the lists are
 * concatenated in rule order at the end; later steps run over those arrays or over the few wells that are reported.
 * The typed arrays are kept few and small (about 25 bytes per well): see `firstOccurrences` on external memory.
 */
export function runQc(plate: Plate, settings: QcSettings, text?: string): EngineDiagnostic[] {
  const file = plate.file;
  // The document's lines are only needed to check a few fix ranges: split lazily (a 1M-line text otherwise
  // costs a second array of 1M strings).
  let split: string[] | null | undefined;
  const docLines = (): string[] | null => {
    if (split === undefined) split = text !== undefined ? text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/) : null;
    return split;
  };
  const diag = (code: string, severity: Severity, message: string, range: Range | undefined, fixes?: EngineFix[]): EngineDiagnostic => {
    const d: EngineDiagnostic = { code, severity, message, file, range: range ?? ZERO };
    if (fixes && fixes.length) d.fixes = fixes;
    return d;
  };
  const wells = plate.wells;
  const n = wells.length;
  const cqRange = (w: Well) => w.ranges.cq ?? w.ranges.row;
  const posRange = (w: Well) => w.ranges.position ?? w.ranges.row;

  // Per-rule diagnostics, filled during the pass over the wells.
  const duplicates: EngineDiagnostic[] = [];
  const outside: EngineDiagnostic[] = [];
  const lateOrNtc: EngineDiagnostic[] = [];
  const flagged: EngineDiagnostic[] = [];

  // well-duplicate: the same position and target twice (a multiplexed well has one row per target). The pass
  // hashes each well's position × target; `firstOccurrences` then finds each well's first well with the same pair.
  const posHash = new Int32Array(n); // becomes: index of the first well with the same position × target
  const hasPos = new Uint8Array(n);
  const hasGeometry = plate.rows !== null && plate.cols !== null;

  // replicate-sd and few-replicates over sample × target groups of usable (non-omitted, non-control) wells, in
  // order of first appearance. The pass hashes each usable well's sample × target (marking a well with the same
  // pair as the previous usable well instead) and keeps its Cq in cq[i] (read only where hasCq[i] = 1); groups,
  // counts and sums are then computed over these typed arrays, not over the wells.
  const grpHash = new Int32Array(n); // becomes: the well's group id
  const usable = new Uint8Array(n);
  const cq = new Float64Array(n);
  const hasCq = new Uint8Array(n);
  let lastSample: string | undefined, lastTarget: string | undefined; // the previous usable well's (replicates are adjacent rows)

  // no-reference (only with reference targets): per sample, in order of first appearance, its first well, whether a
  // reference was seen and its targets in order of first appearance (kept only until a reference shows up).
  const refs = settings.referenceTargets;
  const refSet = refs && refs.length ? new Set(refs) : null;
  const bySample = new Map<string, { first: Well; hasRef: boolean; targets: Set<string> }>();

  // mixed-decimal: counts of Cq cells written with `,` and with `.`.
  let dots = 0, commas = 0;

  // nocq-variant: the "no Cq" wells of each word family, and per family the count of each spelling.
  const byFamily = new Map<string, Map<string, number>>();
  const noCqWells: { w: Well; fam: string }[] = [];

  for (let i = 0; i < n; i++) {
    const w = wells[i];
    const wcq = w.cq;
    const task = w.task;

    // well-duplicate
    if (w.position !== null) { posHash[i] = pairHash(w.position, w.target); hasPos[i] = 1; }

    // well-outside-plate
    if (hasGeometry && w.row !== null && w.col !== null) {
      if (w.row >= plate.rows! || w.col >= plate.cols! || w.row < 0 || w.col < 0) {
        outside.push(diag('well-outside-plate', 'error', `Well ${w.position} is outside the ${plate.rows! * plate.cols!}-well plate (${plate.rows}×${plate.cols}).`, posRange(w)));
      }
    }

    // late-cq and ntc-amplified
    if (wcq !== null && !w.omitted) {
      if (task === 'ntc') {
        if (wcq < settings.ntcMinCq) {
          lateOrNtc.push(diag('ntc-amplified', 'error', `NTC ${label(w)} (${w.target}) amplified at Cq ${fmt(wcq)} (< ${settings.ntcMinCq}): possible contamination.`, cqRange(w)));
        } else {
          lateOrNtc.push(diag('ntc-amplified', 'warning', `NTC ${label(w)} (${w.target}) has a late Cq ${fmt(wcq)} (≥ ${settings.ntcMinCq}).`, cqRange(w)));
        }
      } else if (wcq > settings.maxCq) {
        lateOrNtc.push(diag('late-cq', 'warning', `Cq ${fmt(wcq)} in ${label(w)} (${w.sample} / ${w.target}) is above ${settings.maxCq}: late amplification.`, cqRange(w)));
      }
    }

    // replicate groups
    if (!(w.omitted || task === 'ntc' || task === 'nrt' || task === 'negative' || w.sample === '')) {
      if (w.sample === lastSample && w.target === lastTarget) usable[i] = 2; // same group as the previous one
      else { lastSample = w.sample; lastTarget = w.target; grpHash[i] = pairHash(w.sample, w.target); usable[i] = 1; }
      if (wcq !== null) { cq[i] = wcq; hasCq[i] = 1; }
    }

    // no-reference
    if (refSet && !(w.sample === '' || task === 'ntc' || task === 'nrt' || task === 'negative' || task === 'standard')) {
      let s = bySample.get(w.sample);
      if (!s) { s = { first: w, hasRef: false, targets: new Set() }; bySample.set(w.sample, s); }
      if (!s.hasRef) {
        if (refSet.has(w.target)) { s.hasRef = true; s.targets.clear(); } else s.targets.add(w.target);
      }
    }

    if (wcq !== null) {
      // mixed-decimal
      if (w.cqText.includes(',')) commas++; else if (w.cqText.includes('.')) dots++;
    } else {
      // nocq-variant
      const fam = noCqFamily(w.cqText);
      if (fam) {
        noCqWells.push({ w, fam });
        let m = byFamily.get(fam);
        if (!m) { m = new Map(); byFamily.set(fam, m); }
        m.set(w.cqText, (m.get(w.cqText) ?? 0) + 1);
      }
    }

    // instrument-flag, with an omit fix where the format has an Omit column.
    if (w.flags.length) {
      const fixes: EngineFix[] = [];
      if (!w.omitted) {
        const f = cellEdit(plate, w, 'omit');
        if (f && (text === undefined || textAt(docLines(), f.edits[0].range) !== null)) fixes.push({ ...f, title: `${f.title} (omit-flagged)` });
      }
      flagged.push(diag('instrument-flag', w.omitted ? 'info' : 'warning',
        `The instrument flagged ${label(w)} (${w.sample} / ${w.target}): ${w.flags.join(', ')}${w.omitted ? ' (already omitted)' : ''}.`,
        w.ranges.row, fixes));
    }
  }

  // well-duplicate: every well after the first of its position × target, in well order.
  const firstPos = firstOccurrences(posHash, hasPos, (a, b) => wells[a].position === wells[b].position && wells[a].target === wells[b].target);
  for (let i = 0; i < n; i++) {
    const f = firstPos[i];
    if (f < 0 || f === i) continue;
    const w = wells[i];
    duplicates.push(diag('well-duplicate', 'warning', `Well ${w.position} / ${w.target} appears again (first at line ${wells[f].line + 1}).`, posRange(w)));
  }

  const out: EngineDiagnostic[] = [];
  append(out, duplicates);
  append(out, outside);
  append(out, lateOrNtc);

  // replicate-sd and few-replicates: group ids in order of first appearance, then per group: wells, wells with a
  // Cq, the first well, the sum of the Cqs. The sums run over the wells in file order, the same order as over each
  // group's list of wells, so mean and SD are bit-identical to summing each group's list.
  // group[i]: well i's group id, -1 = in no group (computed in place over the first-occurrence indexes: the first
  // well of i's group comes at or before i, so its entry already holds the group id).
  const group = firstOccurrences(grpHash, usable, (a, b) => wells[a].sample === wells[b].sample && wells[a].target === wells[b].target);
  let nGroups = 0;
  for (let i = 0; i < n; i++) if (group[i] === i) nGroups++;
  const size = new Int32Array(nGroups), nCq = new Int32Array(nGroups), first = new Int32Array(nGroups);
  const sum = new Float64Array(nGroups);
  for (let i = 0, next = 0; i < n; i++) {
    const f = group[i];
    if (f < 0) continue;
    let g: number;
    if (f === i) { g = next++; first[g] = i; } else g = group[f];
    group[i] = g;
    size[g]++;
    if (hasCq[i]) { nCq[g]++; sum[g] += cq[i]; }
  }
  const mean = sum; // in place
  for (let g = 0; g < nGroups; g++) if (nCq[g] >= 2) mean[g] = sum[g] / nCq[g];
  const ss = new Float64Array(nGroups);
  for (let i = 0; i < n; i++) {
    const g = group[i];
    if (hasCq[i] && nCq[g] >= 2) ss[g] += (cq[i] - mean[g]) ** 2;
  }
  const sdOf = (g: number) => Math.sqrt(ss[g] / (nCq[g] - 1));
  // The wells of the groups whose SD is too high are listed in their messages: collected in one pass over the
  // wells when the first such group is met (a clean plate builds no per-group lists at all).
  let listOf: Int32Array | null = null; // group id → index in `lists`, -1 = not reported
  const lists: Well[][] = [];
  const withCq = (g: number): Well[] => {
    if (!listOf) {
      listOf = new Int32Array(nGroups).fill(-1);
      for (let h = 0; h < nGroups; h++) {
        if (nCq[h] >= 2 && sdOf(h) > settings.replicateSd) { listOf[h] = lists.length; lists.push([]); }
      }
      for (let i = 0; i < n; i++) {
        const h = group[i];
        if (hasCq[i] && listOf[h] >= 0) lists[listOf[h]].push(wells[i]);
      }
    }
    return lists[listOf[g]];
  };
  for (let g = 0; g < nGroups; g++) {
    const k = nCq[g];
    if (k >= 2) {
      const sd = sdOf(g);
      if (sd > settings.replicateSd) {
        const vals = withCq(g);
        const where = vals.map(label).join(', ');
        for (const w of vals) {
          out.push(diag('replicate-sd', 'warning',
            `Replicates of ${w.sample} / ${w.target} (${where}) have SD ${sd.toFixed(3)} > ${settings.replicateSd} cycles (mean ${mean[g].toFixed(2)}).`, cqRange(w)));
        }
      }
    }
    if (size[g] >= 2 && k < settings.minReplicates) {
      const w0 = wells[first[g]];
      out.push(diag('few-replicates', 'warning',
        `${w0.sample} / ${w0.target}: only ${k} of ${size[g]} replicates have a Cq (minimum ${settings.minReplicates}).`, cqRange(w0)));
    }
  }

  // no-reference: a sample measured for some target but for none of the reference targets.
  if (refSet) {
    for (const [sample, s] of bySample) {
      if (s.hasRef) continue;
      out.push(diag('no-reference', 'warning',
        `Sample ${sample} has ${[...s.targets].join(', ')} but none of the reference targets (${refs!.join(', ')}).`, s.first.ranges.sample ?? s.first.ranges.row));
    }
  }

  // mixed-decimal: Cq cells written with both `.` and `,` decimals; the minority is reported (at most 200 wells,
  // collected only when both marks occur).
  if (dots && commas) {
    const commaMinor = commas <= dots;
    const major = commaMinor ? '.' : ',';
    let reported = 0;
    for (const w of wells) {
      if (reported >= 200) break;
      if (w.cq === null) continue;
      const isComma = w.cqText.includes(',');
      if (commaMinor ? isComma : !isComma && w.cqText.includes('.')) {
        reported++;
        out.push(diag('mixed-decimal', 'warning', `Cq "${w.cqText.trim()}" uses a different decimal mark from the rest of the file ("${major}").`, cqRange(w)));
      }
    }
  }

  // instrument-flag
  append(out, flagged);

  // nocq-variant: a "no Cq" word spelled differently from the file's dominant spelling of the same word.
  for (const { w, fam } of noCqWells) {
    const m = byFamily.get(fam)!;
    if (m.size < 2) continue;
    const spelling = w.cqText;
    let dominant = '', k = -1;
    for (const [s, c] of m) if (c > k || (c === k && s < dominant)) { dominant = s; k = c; }
    if (spelling === dominant) continue;
    const r = w.ranges.cq;
    const fixes: EngineFix[] = [];
    // Certain only when the range covers exactly this text (checked against the document when given).
    if (r && r.start.line === r.end.line && r.end.character - r.start.character === spelling.length
      && (text === undefined || textAt(docLines(), r) === spelling)) {
      fixes.push({ title: `Replace "${spelling}" with "${dominant}"`, edits: [{ range: r, newText: dominant }] });
    }
    out.push(diag('nocq-variant', 'info', `"${spelling}" in ${label(w)} differs from this file's usual "${dominant}" (${k}×).`, r ?? w.ranges.row, fixes));
  }
  return out;
}
