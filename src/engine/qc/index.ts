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
import { StringPairIndex } from '../plate/pairIndex';

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

export function runQc(plate: Plate, settings: QcSettings, text?: string): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  const file = plate.file;
  // The document's lines are only needed to check a few fix ranges: split lazily (a 1M-line text otherwise
  // costs a second array of 1M strings).
  let split: string[] | null | undefined;
  const docLines = (): string[] | null => {
    if (split === undefined) split = text !== undefined ? text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/) : null;
    return split;
  };
  const push = (code: string, severity: Severity, message: string, range: Range | undefined, fixes?: EngineFix[]) => {
    const d: EngineDiagnostic = { code, severity, message, file, range: range ?? ZERO };
    if (fixes && fixes.length) d.fixes = fixes;
    out.push(d);
  };
  const wells = plate.wells;
  const cqRange = (w: Well) => w.ranges.cq ?? w.ranges.row;
  const posRange = (w: Well) => w.ranges.position ?? w.ranges.row;

  // well-duplicate: the same position and target twice (a multiplexed well has one row per target).
  // Pair ids (no key string per well, no 1M-entry Map); firstAt[id] = the first well of that position × target.
  const seen = new StringPairIndex(wells.length);
  const firstAt: Well[] = [];
  for (const w of wells) {
    if (w.position === null) continue;
    const id = seen.id(w.position, w.target);
    if (id < firstAt.length) {
      push('well-duplicate', 'warning', `Well ${w.position} / ${w.target} appears again (first at line ${firstAt[id].line + 1}).`, posRange(w));
    } else firstAt.push(w);
  }

  // well-outside-plate
  if (plate.rows !== null && plate.cols !== null) {
    for (const w of wells) {
      if (w.row === null || w.col === null) continue;
      if (w.row >= plate.rows || w.col >= plate.cols || w.row < 0 || w.col < 0) {
        push('well-outside-plate', 'error', `Well ${w.position} is outside the ${plate.rows * plate.cols}-well plate (${plate.rows}×${plate.cols}).`, posRange(w));
      }
    }
  }

  // late-cq and ntc-amplified
  for (const w of wells) {
    if (w.cq === null || w.omitted) continue;
    if (w.task === 'ntc') {
      if (w.cq < settings.ntcMinCq) {
        push('ntc-amplified', 'error', `NTC ${label(w)} (${w.target}) amplified at Cq ${fmt(w.cq)} (< ${settings.ntcMinCq}): possible contamination.`, cqRange(w));
      } else {
        push('ntc-amplified', 'warning', `NTC ${label(w)} (${w.target}) has a late Cq ${fmt(w.cq)} (≥ ${settings.ntcMinCq}).`, cqRange(w));
      }
      continue;
    }
    if (w.cq > settings.maxCq) {
      push('late-cq', 'warning', `Cq ${fmt(w.cq)} in ${label(w)} (${w.sample} / ${w.target}) is above ${settings.maxCq}: late amplification.`, cqRange(w));
    }
  }

  // replicate-sd and few-replicates over sample × target groups of usable (non-omitted, non-control) wells.
  // Groups by sample × target pair id, in order of first appearance.
  const groupIds = new StringPairIndex();
  const groups: Well[][] = [];
  for (const w of wells) {
    if (w.omitted || w.task === 'ntc' || w.task === 'nrt' || w.task === 'negative' || w.sample === '') continue;
    const id = groupIds.id(w.sample, w.target);
    if (id < groups.length) groups[id].push(w); else groups.push([w]);
  }
  for (const g of groups) {
    const vals = g.filter((w) => w.cq !== null);
    if (vals.length >= 2) {
      let mean = 0;
      for (const w of vals) mean += w.cq as number;
      mean /= vals.length;
      let ss = 0;
      for (const w of vals) ss += ((w.cq as number) - mean) ** 2;
      const sd = Math.sqrt(ss / (vals.length - 1));
      if (sd > settings.replicateSd) {
        const where = vals.map(label).join(', ');
        for (const w of vals) {
          push('replicate-sd', 'warning',
            `Replicates of ${w.sample} / ${w.target} (${where}) have SD ${sd.toFixed(3)} > ${settings.replicateSd} cycles (mean ${mean.toFixed(2)}).`, cqRange(w));
        }
      }
    }
    if (g.length >= 2 && vals.length < settings.minReplicates) {
      push('few-replicates', 'warning',
        `${g[0].sample} / ${g[0].target}: only ${vals.length} of ${g.length} replicates have a Cq (minimum ${settings.minReplicates}).`, cqRange(g[0]));
    }
  }

  // no-reference: a sample measured for some target but for none of the reference targets.
  const refs = settings.referenceTargets;
  if (refs && refs.length) {
    const refSet = new Set(refs);
    const bySample = new Map<string, Well[]>();
    for (const w of wells) {
      if (w.sample === '' || w.task === 'ntc' || w.task === 'nrt' || w.task === 'negative' || w.task === 'standard') continue;
      let g = bySample.get(w.sample);
      if (!g) { g = []; bySample.set(w.sample, g); }
      g.push(w);
    }
    for (const [sample, g] of bySample) {
      if (g.some((w) => refSet.has(w.target))) continue;
      const targets = [...new Set(g.map((w) => w.target))];
      push('no-reference', 'warning',
        `Sample ${sample} has ${targets.join(', ')} but none of the reference targets (${refs.join(', ')}).`, g[0].ranges.sample ?? g[0].ranges.row);
    }
  }

  // mixed-decimal: Cq cells written with both `.` and `,` decimals; the minority is reported.
  // Counted first; the (at most 200 reported) minority wells are collected only when both marks occur.
  let dots = 0, commas = 0;
  for (const w of wells) {
    if (w.cq === null) continue;
    if (w.cqText.includes(',')) commas++; else if (w.cqText.includes('.')) dots++;
  }
  if (dots && commas) {
    const commaMinor = commas <= dots;
    const major = commaMinor ? '.' : ',';
    const minority: Well[] = [];
    for (const w of wells) {
      if (minority.length >= 200) break;
      if (w.cq === null) continue;
      const isComma = w.cqText.includes(',');
      if (commaMinor ? isComma : !isComma && w.cqText.includes('.')) minority.push(w);
    }
    for (const w of minority) {
      push('mixed-decimal', 'warning', `Cq "${w.cqText.trim()}" uses a different decimal mark from the rest of the file ("${major}").`, cqRange(w));
    }
  }

  // instrument-flag, with an omit fix where the format has an Omit column.
  for (const w of wells) {
    if (!w.flags.length) continue;
    const fixes: EngineFix[] = [];
    if (!w.omitted) {
      const f = cellEdit(plate, w, 'omit');
      if (f && (text === undefined || textAt(docLines(), f.edits[0].range) !== null)) fixes.push({ ...f, title: `${f.title} (omit-flagged)` });
    }
    push('instrument-flag', w.omitted ? 'info' : 'warning',
      `The instrument flagged ${label(w)} (${w.sample} / ${w.target}): ${w.flags.join(', ')}${w.omitted ? ' (already omitted)' : ''}.`,
      w.ranges.row, fixes);
  }

  // nocq-variant: a "no Cq" word spelled differently from the file's dominant spelling of the same word.
  const byFamily = new Map<string, Map<string, number>>();
  const famOf = new Map<Well, { fam: string; spelling: string }>();
  for (const w of wells) {
    if (w.cq !== null) continue;
    const fam = noCqFamily(w.cqText);
    if (!fam) continue;
    const spelling = w.cqText;
    famOf.set(w, { fam, spelling });
    let m = byFamily.get(fam);
    if (!m) { m = new Map(); byFamily.set(fam, m); }
    m.set(spelling, (m.get(spelling) ?? 0) + 1);
  }
  for (const [w, { fam, spelling }] of famOf) {
    const m = byFamily.get(fam)!;
    if (m.size < 2) continue;
    let dominant = '', n = -1;
    for (const [s, c] of m) if (c > n || (c === n && s < dominant)) { dominant = s; n = c; }
    if (spelling === dominant) continue;
    const r = w.ranges.cq;
    const fixes: EngineFix[] = [];
    // Certain only when the range covers exactly this text (checked against the document when given).
    if (r && r.start.line === r.end.line && r.end.character - r.start.character === spelling.length
      && (text === undefined || textAt(docLines(), r) === spelling)) {
      fixes.push({ title: `Replace "${spelling}" with "${dominant}"`, edits: [{ range: r, newText: dominant }] });
    }
    push('nocq-variant', 'info', `"${spelling}" in ${label(w)} differs from this file's usual "${dominant}" (${n}×).`, r ?? w.ranges.row, fixes);
  }
  return out;
}
