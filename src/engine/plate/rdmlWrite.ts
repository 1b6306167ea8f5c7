/**
 * RDML 1.3 export of the plates a study read (issue 14 item 5): `qpcr-studio run --out DIR` writes DIR/report.rdml.
 * Pure: plates and the analysis facts in, the XML text (`rdmlXml`) or the zipped file (`rdmlZip`, a PKZIP archive
 * with one member `rdml_data.xml`, as the RDML file-format notes ask) out.
 *
 * Mapping: one `<sample>` per sample name (type from the wells' tasks: unkn, std, ntc, nrt, pos, nac; a sample whose
 * task differs between targets gets one `<type targetId>` per target; standards carry their quantity, unit `other`
 * as the plates do not state it); one `<target>` per target (type `ref` for the study's references, else `toi`;
 * amplification efficiency and its SE where stated or from a standard curve, never the default 2); one experiment
 * (the study) with one `<run>` per plate; one `<react>` per well position (id = row·columns + column + 1, RDML's
 * row-first numbering), one `<data>` per target with the Cq as read (-1, RDML's "not available", for no Cq) and
 * `<excl>` listing why the well was left out (instrument omit, the analysis's exclusions), reasons separated by ";".
 * Curves, when the plate has them (`Plate.curves`): each reaction's amplification points as `<adp><cyc/><fluor/></adp>`
 * (the table's primary readout: the RDML file's own fluorescence, QuantStudio's Rn) and melt points as
 * `<mdp><tmp/><fluor/></mdp>`, after the `<excl>`/`<note>` the schema puts first; every value is written as the
 * shortest decimal that reads back to the same float32, so an import of the export holds the same curves.
 * Every user string is XML-escaped; characters XML 1.0 cannot carry become U+FFFD.
 */
import { Zip } from 'fflate';
import { concatBytes } from '../../shared/bytes';
import { codecMember, fflateMember, type ZipCodec } from '../common/zipCodec';
import { IntSet } from '../common/intSet';
import type { MethodsSummary } from '../../shared/report/types';
import type { Plate, Well, WellTask } from './model';
import { curveOf } from '../curves/store';
import { FNV_OFFSET, firstOccurrences, firstOfStrings, fnvChars, fnvFinish, fnvStep } from '../../shared/pairIndex';
import { positionTargetHash } from './wellStore';
import { wellSource, type WellSource } from './wellSource';

export interface RdmlExportInput {
  plates: readonly Plate[];
  /** The study's title (experiment id and description). */
  study: string;
  references: readonly string[];
  /** Amplification factors used (2 = 100 %), with their source; `default...` sources are not written. */
  efficiencies?: readonly { target: string; value: number; source: string; se?: number | null }[];
  /** The analysis's excluded wells (the expression step's list, with the plates' own `file`). */
  exclusions?: readonly Exclusion[];
  software: { name: string; version: string };
  /** ISO date-time of the export (dateMade). */
  date?: string;
  /** The run id of a plate (default: the file's base name). */
  runName?: (plate: Plate) => string;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
/** Any character `xmlEscape` changes (an entity, a control character, a surrogate, U+FFFE/U+FFFF). */
const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

/**
 * Text for an XML text node or a double-quoted attribute: `& < > "` as the predefined entities (the apostrophe needs
 * none, and character references are avoided: the importer does not decode them), characters outside XML 1.0 as U+FFFD.
 */
export function xmlEscape(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s; // most ids and numbers: no copy
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd').replace(/[&<>"]/g, (c) => XML_ESCAPES[c]);
}

export const RDML_TYPE: Record<WellTask, string> = { unknown: 'unkn', reference: 'unkn', standard: 'std', ntc: 'ntc', nrt: 'nrt', positive: 'pos', negative: 'nac' };

/** An id for an RDML element (ids need at least one character). */
const idOf = (s: string, empty: string) => (s.trim() === '' ? empty : s);
const num = (x: number) => String(x);
const baseName = (f: string) => f.split(/[\\/]/).pop() || f;

const finiteQty = (w: Well) => (w.quantity !== undefined && w.quantity !== null && Number.isFinite(w.quantity) ? w.quantity : null);

/**
 * Each well's RDML sample id: its sample name; an empty name becomes `unnamed <type>` (`unnamed std`); standards
 * sharing a name across several quantities (CFX leaves standards unnamed) get ` (<quantity>)` appended, since RDML
 * keeps dilutions as distinct samples.
 */
export function rdmlSampleIds(plates: readonly Plate[]): (w: Well) => string {
  const nameOf = (w: Well) => (w.sample.trim() === '' ? `unnamed ${RDML_TYPE[w.task] ?? 'unkn'}` : w.sample);
  const qtys = new Map<string, Set<number>>();
  for (const wells of plates.map(wellSource)) {
    for (let i = 0; i < wells.length; i++) {
      const w = wells.at(i), q = finiteQty(w);
      if (w.task !== 'standard' || q === null) continue;
      const set = qtys.get(nameOf(w)) ?? new Set<number>();
      set.add(q);
      qtys.set(nameOf(w), set);
    }
  }
  return (w) => {
    const name = nameOf(w), q = finiteQty(w);
    return w.task === 'standard' && q !== null && (qtys.get(name)?.size ?? 0) > 1 ? `${name} (${num(q)})` : name;
  };
}

/**
 * Per sample id (in order of first well): the RDML type of its first well, a standard's quantity, and, only for a
 * sample whose targets' first wells differ in type, the type per target. (A map per sample made a million maps on a
 * biobank plate.)
 */
function sampleInfo(plates: readonly Plate[], idOfWell: (w: Well) => string): Map<string, { type: string; types?: Map<string, string>; quantity?: number }> {
  const out = new Map<string, { type: string; types?: Map<string, string>; quantity?: number }>();
  let differ: Set<string> | undefined; // samples with wells of more than one type: typed per target below
  for (const wells of plates.map(wellSource)) {
    for (let i = 0; i < wells.length; i++) {
      const w = wells.at(i), id = idOfWell(w), type = RDML_TYPE[w.task] ?? 'unkn';
      let s = out.get(id);
      if (!s) out.set(id, (s = { type }));
      else if (type !== s.type) (differ ??= new Set()).add(id);
      const q = finiteQty(w);
      if (s.quantity === undefined && w.task === 'standard' && q !== null) s.quantity = q;
    }
  }
  if (differ) {
    for (const wells of plates.map(wellSource)) {
      for (let i = 0; i < wells.length; i++) {
        const w = wells.at(i), id = idOfWell(w);
        if (!differ.has(id)) continue;
        const s = out.get(id)!, t = idOf(w.target, 'unnamed');
        const types = (s.types ??= new Map());
        if (!types.has(t)) types.set(t, RDML_TYPE[w.task] ?? 'unkn');
      }
    }
  }
  return out;
}

function* samplesXml(plates: readonly Plate[], idOfWell: (w: Well) => string, out: XmlOut): Generator<void> {
  for (const [id, s] of sampleInfo(plates, idOfWell)) {
    out.put('  <sample id="'); out.put(xmlEscape(id)); out.put('">');
    const types = s.types && new Set(s.types.values()).size > 1 ? s.types : undefined;
    if (types) for (const [t, ty] of types) { out.put('<type targetId="'); out.put(xmlEscape(t)); out.put('">'); out.put(ty); out.put('</type>'); }
    else { out.put('<type>'); out.put(s.type); out.put('</type>'); }
    if (s.quantity !== undefined) { out.put('<quantity><value>'); out.put(num(s.quantity)); out.put('</value><unit>other</unit></quantity>'); }
    out.put('</sample>\n');
    yield;
  }
}

function targetsXml(input: RdmlExportInput, dye: string): string[] {
  const seen: string[] = [];
  for (const wells of input.plates.map(wellSource)) {
    for (let i = 0; i < wells.length; i++) { const t = idOf(wells.at(i).target, 'unnamed'); if (!seen.includes(t)) seen.push(t); }
  }
  return seen.map((t) => {
    const e = input.efficiencies?.find((x) => x.target === t && !/^default/.test(x.source) && Number.isFinite(x.value));
    const eff = e ? [`<amplificationEfficiencyMethod>${xmlEscape(e.source)}</amplificationEfficiencyMethod>`, `<amplificationEfficiency>${num(e.value)}</amplificationEfficiency>`,
      ...(e.se !== undefined && e.se !== null && Number.isFinite(e.se) && e.se > 0 ? [`<amplificationEfficiencySE>${num(e.se)}</amplificationEfficiencySE>`] : [])] : [];
    const type = input.references.includes(t) ? 'ref' : 'toi';
    return `  <target id="${xmlEscape(t)}"><type>${type}</type>${eff.join('')}<dyeId id="${xmlEscape(dye)}"/></target>`;
  });
}

/**
 * True when two of the `n` wells share a key and a target: `hash(i)` hashes well i's pair (null: no key, never a
 * clash), `same(i, j)` compares them. The grouping of ./pairIndex.ts over typed arrays: no string per well (a
 * 10⁷-well plate's keys in a Set took seconds).
 */
function hasDuplicate(n: number, hash: (i: number) => number | null, same: (i: number, j: number) => boolean): boolean {
  const h = new Int32Array(n), use = new Uint8Array(n);
  for (let i = 0; i < n; i++) { const x = hash(i); if (x !== null) { h[i] = x; use[i] = 1; } }
  const first = firstOccurrences(h, use, same);
  for (let i = 0; i < n; i++) if (first[i] >= 0 && first[i] !== i) return true;
  return false;
}

/** Whether `test` holds for every well. */
function everyWell(wells: WellSource, test: (w: Well) => boolean): boolean {
  for (let i = 0; i < wells.length; i++) if (!test(wells.at(i))) return false;
  return true;
}

/** The hash of a grid position (row, column) and a target. */
const gridHash = (row: number, col: number, target: string): number => fnvFinish(fnvChars(fnvStep(fnvStep(FNV_OFFSET, row), col), target));

/**
 * Plate format and each well's react id (`ids[i]` for `p.wells[i]`): the plate grid when every well has a row and
 * column (and no grid position holds one target twice), else one row in file order, a reaction per position (per
 * well when positions repeat a target or are missing).
 */
function layout(p: Plate): { grid: boolean; rows: number; cols: number; labels: [string, string]; ids: Int32Array } {
  const wells = wellSource(p), n = wells.length, ids = new Int32Array(n);
  const sameGrid = (a: Well, b: Well) => a.row === b.row && a.col === b.col && a.target === b.target;
  const gridded = n > 0 && everyWell(wells, (w) => w.row !== null && w.col !== null)
    && !hasDuplicate(n, (i) => { const w = wells.at(i); return gridHash(w.row as number, w.col as number, w.target); },
      (i, j) => sameGrid(wells.at(i), wells.at(j)));
  if (gridded) {
    let maxR = 0, maxC = 0; // a loop, not Math.max(...): plates can hold more wells than a call has arguments
    for (let i = 0; i < n; i++) { const w = wells.at(i); maxR = Math.max(maxR, (w.row as number) + 1); maxC = Math.max(maxC, (w.col as number) + 1); }
    let rows = p.rows ?? 0, cols = p.cols ?? 0;
    if (rows < maxR || cols < maxC) [rows, cols] = maxR <= 8 && maxC <= 12 ? [8, 12] : maxR <= 16 && maxC <= 24 ? [16, 24] : [maxR, maxC];
    for (let i = 0; i < n; i++) { const w = wells.at(i); ids[i] = (w.row as number) * cols + (w.col as number) + 1; }
    return { grid: true, rows, cols, labels: ['ABC', '123'], ids };
  }
  const samePosition = (a: Well, b: Well) => a.position === b.position && a.target === b.target;
  const byPosition = !hasDuplicate(n, (i) => positionTargetHash(wells.at(i)), (i, j) => samePosition(wells.at(i), wells.at(j)));
  // Reactions numbered in order of first appearance: one per position, or one per well.
  let count = 0;
  if (byPosition) {
    const pos: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) pos[i] = wells.at(i).position; // read once: a view builds the string on each read
    const first = firstOfStrings(n, (i) => pos[i]);
    for (let i = 0; i < n; i++) ids[i] = first[i] === i || first[i] < 0 ? ++count : ids[first[i]];
  } else {
    for (let i = 0; i < n; i++) ids[i] = ++count;
  }
  return { grid: false, rows: 1, cols: Math.max(1, count), labels: ['123', '123'], ids };
}

type Exclusion = MethodsSummary['exclusions'][number];
const exclKey = (file: string, line: number, well: string | null, sample: string, target: string) => [file, line, well ?? '', sample, target].join('\u0000');

/** The analysis's exclusions by well (file, line, position, sample, target), and the lines that have one, per file. */
interface ExclusionIndex { byWell: Map<string, Exclusion[]>; lines: Map<string, IntSet> }

function exclusionIndex(excl: readonly Exclusion[]): ExclusionIndex {
  const byWell = new Map<string, Exclusion[]>(), lines = new Map<string, IntSet>();
  for (const x of excl) {
    const k = exclKey(x.file, x.line, x.well, x.sample, x.target);
    const list = byWell.get(k);
    if (list) list.push(x); else byWell.set(k, [x]);
    let ls = lines.get(x.file);
    if (!ls) lines.set(x.file, (ls = new IntSet()));
    ls.add(x.line);
  }
  return { byWell, lines };
}

/**
 * Why a well is excluded: the instrument's omit and the analysis's exclusions, `;`-separated (RDML's separator).
 * `lines`: the plate's lines with an exclusion (a well on no such line and not omitted has none: no key is made).
 */
function exclText(p: Plate, w: Well, index: ExclusionIndex, lines: IntSet | undefined): string | null {
  if (!w.omitted && !lines?.has(w.line)) return null;
  const reasons: string[] = [];
  const own = index.byWell.get(exclKey(p.file, w.line, w.position, w.sample, w.target)) ?? [];
  if (w.omitted && !own.some((x) => x.code === 'instrument-omit')) {
    const flags = w.flags.filter((f) => f.startsWith('EXCL:')).map((f) => f.slice(5).toLowerCase());
    reasons.push(flags.length ? flags.join('; ') : 'omitted in the instrument file');
  }
  for (const x of own) reasons.push(`${x.code ?? 'excluded'}: ${x.reason}`);
  return reasons.length ? reasons.map((r) => r.replace(/;/g, ',')).join('; ') : null;
}

/** The shortest decimal text that reads back (Number, then float32) as the float32 `v`. */
export function float32Text(v: number): string {
  for (let p = 1; p < 9; p++) {
    const t = Number(v.toPrecision(p));
    if (Math.fround(t) === v) return String(t);
  }
  return String(v);
}

/** A well's amplification and melt points as RDML `<adp>`/`<mdp>` elements ('' without curves). */
function curvePointsXml(p: Plate, w: Well): string {
  if (!p.curves) return '';
  const out: string[] = [];
  const amp = curveOf(p.curves?.amplification, w.index);
  const melt = curveOf(p.curves?.melt, w.index, 'fluor');
  for (let i = 0; amp && i < amp.x.length; i++) {
    if (Number.isFinite(amp.y[i])) out.push(`<adp><cyc>${float32Text(amp.x[i])}</cyc><fluor>${float32Text(amp.y[i])}</fluor></adp>`);
  }
  for (let i = 0; melt && i < melt.x.length; i++) {
    if (Number.isFinite(melt.y[i])) out.push(`<mdp><tmp>${float32Text(melt.x[i])}</tmp><fluor>${float32Text(melt.y[i])}</fluor></mdp>`);
  }
  return out.join('');
}

/** What the run's curves are, for its description ('' without curves). */
function curveNote(p: Plate): string {
  const parts: string[] = [];
  const amp = p.curves?.amplification;
  if (amp) parts.push(`amplification points: ${amp.readouts[0] === 'rn' ? 'Rn (normalised reporter)' : amp.readouts[0] === 'deltaRn' ? 'delta Rn' : 'fluorescence as in the file'}`);
  if (p.curves?.melt?.y.fluor) parts.push('melt points: fluorescence');
  return parts.length ? `; ${parts.join(', ')}` : '';
}

/** The wells' indices grouped by react id (ascending; file order within a reaction): a counting sort of `ids`. */
function byReact(ids: Int32Array): { start: Int32Array; order: Int32Array } {
  let max = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i] > max) max = ids[i];
  const start = new Int32Array(max + 2);
  for (let i = 0; i < ids.length; i++) start[ids[i] + 1]++;
  for (let r = 1; r < start.length; r++) start[r] += start[r - 1];
  const fill = start.slice(), order = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) order[fill[ids[i]]++] = i;
  return { start, order };
}

function* runXml(p: Plate, id: string, input: RdmlExportInput, idOfWell: (w: Well) => string, excluded: ExclusionIndex, out: XmlOut): Generator<void> {
  const { grid, rows, cols, labels, ids } = layout(p), wells = wellSource(p);
  const { start, order } = byReact(ids);
  const exLines = excluded.lines.get(p.file);
  line(out, `    <run id="${xmlEscape(id)}">`);
  line(out, `      <description>${xmlEscape(`Imported from ${baseName(p.file)} (${p.format})${curveNote(p)}`)}</description>`);
  if (p.instrument) line(out, `      <instrument>${xmlEscape(p.instrument)}</instrument>`);
  line(out, `      <dataCollectionSoftware><name>${xmlEscape(input.software.name)}</name><version>${xmlEscape(input.software.version)}</version></dataCollectionSoftware>`);
  line(out, `      <pcrFormat><rows>${rows}</rows><columns>${cols}</columns><rowLabel>${labels[0]}</rowLabel><columnLabel>${labels[1]}</columnLabel></pcrFormat>`);
  yield;
  // Each target's <tar/> and each Cq's text made once (a biobank plate has a few targets and some 10⁴ distinct Cqs);
  // the react's pieces go to `out` one by one (no string per react).
  const tarOf = new Map<string, string>(), cqTextOf = new Map<number, string>();
  for (let rid = 1; rid < start.length - 1; rid++) {
    if (start[rid] === start[rid + 1]) continue;
    out.put('      <react id="'); out.put(String(rid)); out.put('"><sample id="');
    out.put(xmlEscape(idOfWell(wells.at(order[start[rid]])))); out.put('"/>');
    for (let k = start[rid]; k < start[rid + 1]; k++) {
      const w = wells.at(order[k]);
      let tar = tarOf.get(w.target);
      if (tar === undefined) tarOf.set(w.target, (tar = `<data><tar id="${xmlEscape(idOf(w.target, 'unnamed'))}"/><cq>`));
      out.put(tar);
      if (w.cq !== null && Number.isFinite(w.cq)) {
        let cq = cqTextOf.get(w.cq);
        if (cq === undefined) {
          cq = num(w.cq);
          if (cqTextOf.size < CQ_TEXTS) cqTextOf.set(w.cq, cq);
        }
        out.put(cq);
      } else out.put('-1');
      out.put('</cq>');
      const ex = exclText(p, w, excluded, exLines);
      if (ex !== null) { out.put('<excl>'); out.put(xmlEscape(ex)); out.put('</excl>'); }
      // Off a lettered grid the react id cannot carry the file's position (a rotor slot, a BioMark chamber): a note.
      const position = w.position; // a view makes the string on each read
      if (position !== null && (!grid || !/^[A-Z]{1,2}\d+$/.test(position))) { out.put('<note>'); out.put(xmlEscape(`position in the file: ${position}`)); out.put('</note>'); }
      if (p.curves) out.put(curvePointsXml(p, w));
      out.put('</data>');
    }
    out.put('</react>\n');
    yield;
  }
  line(out, '    </run>');
}

/** Most Cq texts a run keeps for reuse (distinct values past it are written without the cache). */
const CQ_TEXTS = 1 << 16;

/** Distinct run ids (a second plate with the same base name gets " (2)"). */
function runIds(input: RdmlExportInput): string[] {
  const used = new Set<string>();
  return input.plates.map((p) => {
    const base = idOf(input.runName ? input.runName(p) : baseName(p.file), 'plate');
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base} (${k})`;
    used.add(id);
    return id;
  });
}

/** Where the document's text goes, piece by piece: a line is the pieces up to its `\n`. */
interface XmlOut { put(piece: string): void }

const line = (out: XmlOut, text: string): void => { out.put(text); out.put('\n'); };

/**
 * Writes the RDML 1.3 document (rdml_data.xml) to `out` piece by piece, pausing (a yield) after each line or reaction
 * so that a writer can pass the text on: a biobank-sized document (10⁷ wells, over a gigabyte of XML) is longer than
 * a JavaScript string may be.
 */
function* rdmlParts(input: RdmlExportInput, out: XmlOut): Generator<void> {
  const dye = 'not stated';
  const study = idOf(input.study, 'qPCR Studio study');
  const ids = runIds(input);
  const idOfWell = rdmlSampleIds(input.plates);
  const excluded = exclusionIndex(input.exclusions ?? []);
  line(out, '<?xml version="1.0" encoding="UTF-8"?>');
  line(out, '<rdml xmlns="http://www.rdml.org" version="1.3">');
  if (input.date) line(out, `  <dateMade>${xmlEscape(input.date)}</dateMade>`);
  line(out, `  <id><publisher>${xmlEscape(`${input.software.name} ${input.software.version}`)}</publisher><serialNumber>${xmlEscape(study)}</serialNumber></id>`);
  line(out, `  <dye id="${dye}"><description>The imported plate files do not state the dye in a form qPCR Studio reads.</description></dye>`);
  yield* samplesXml(input.plates, idOfWell, out);
  for (const t of targetsXml(input, dye)) line(out, t);
  line(out, `  <experiment id="${xmlEscape(study)}">`);
  line(out, `    <description>${xmlEscape(`${study}: Cq values as read from the plates, exclusions as applied by ${input.software.name}. ${input.plates.some((p) => p.curves) ? 'Amplification/melt curves as read from the plates that have them.' : 'Amplification curves are not included.'}`)}</description>`);
  for (let i = 0; i < input.plates.length; i++) yield* runXml(input.plates[i], ids[i], input, idOfWell, excluded, out);
  line(out, '  </experiment>');
  line(out, '</rdml>');
}

/** The RDML 1.3 document (rdml_data.xml) as one string (documents that fit in one). */
export function rdmlXml(input: RdmlExportInput): string {
  const pieces: string[] = [];
  const out: XmlOut = { put: (piece) => { pieces.push(piece); } };
  for (const _ of rdmlParts(input, out)) { /* every piece is kept */ }
  return pieces.join('');
}

/**
 * The .rdml file: a zip holding rdml_data.xml, deflated (level 6) as it is written, its pieces put straight into the
 * member's buffers as UTF-8 and passed on about 1 MiB at a time, by `codec` (default fflate's: common/zipCodec.ts;
 * node's deflates on its thread pool while the next text is made). No string is made per line: the RDML of a
 * 10⁶-well study took 3.4–3.8 s when each reaction was a string, and 2.1–2.3 s this way.
 */
export async function rdmlZip(input: RdmlExportInput, codec?: ZipCodec): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => { if (err) throw err; parts.push(chunk); });
  const mtime = new Date('2000-01-01T00:00:00Z');
  const file = codec ? codecMember('rdml_data.xml', codec, 6, mtime) : fflateMember('rdml_data.xml', 6, mtime);
  zip.add(file);
  for (const _ of rdmlParts(input, file)) if (file.buffered() >= 1 << 20) await file.flush();
  await file.flush(true);
  zip.end();
  return concatBytes(parts);
}
