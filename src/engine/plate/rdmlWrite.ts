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
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { concatBytes } from '../../shared/bytes';
import type { MethodsSummary } from '../../shared/report/types';
import type { Plate, Well, WellTask } from './model';
import { curveOf } from '../curves/store';

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

/**
 * Text for an XML text node or a double-quoted attribute: `& < > "` as the predefined entities (the apostrophe needs
 * none, and character references are avoided: the importer does not decode them), characters outside XML 1.0 as U+FFFD.
 */
export function xmlEscape(s: string): string {
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
  for (const p of plates) {
    for (const w of p.wells) {
      const q = finiteQty(w);
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

/** Per sample id: its RDML type per target and a standard's quantity. */
function sampleInfo(plates: readonly Plate[], idOfWell: (w: Well) => string): Map<string, { types: Map<string, string>; quantity?: number }> {
  const out = new Map<string, { types: Map<string, string>; quantity?: number }>();
  for (const p of plates) {
    for (const w of p.wells) {
      const id = idOfWell(w);
      let s = out.get(id);
      if (!s) { s = { types: new Map() }; out.set(id, s); }
      const t = idOf(w.target, 'unnamed');
      if (!s.types.has(t)) s.types.set(t, RDML_TYPE[w.task] ?? 'unkn');
      const q = finiteQty(w);
      if (s.quantity === undefined && w.task === 'standard' && q !== null) s.quantity = q;
    }
  }
  return out;
}

function samplesXml(plates: readonly Plate[], idOfWell: (w: Well) => string): string[] {
  const out: string[] = [];
  for (const [id, s] of sampleInfo(plates, idOfWell)) {
    const types = new Set(s.types.values());
    const typeXml = types.size <= 1
      ? [`<type>${[...types][0] ?? 'unkn'}</type>`]
      : [...s.types].map(([t, ty]) => `<type targetId="${xmlEscape(t)}">${ty}</type>`);
    const q = s.quantity !== undefined ? [`<quantity><value>${num(s.quantity)}</value><unit>other</unit></quantity>`] : [];
    out.push(`  <sample id="${xmlEscape(id)}">${[...typeXml, ...q].join('')}</sample>`);
  }
  return out;
}

function targetsXml(input: RdmlExportInput, dye: string): string[] {
  const seen: string[] = [];
  for (const p of input.plates) for (const w of p.wells) { const t = idOf(w.target, 'unnamed'); if (!seen.includes(t)) seen.push(t); }
  return seen.map((t) => {
    const e = input.efficiencies?.find((x) => x.target === t && !/^default/.test(x.source) && Number.isFinite(x.value));
    const eff = e ? [`<amplificationEfficiencyMethod>${xmlEscape(e.source)}</amplificationEfficiencyMethod>`, `<amplificationEfficiency>${num(e.value)}</amplificationEfficiency>`,
      ...(e.se !== undefined && e.se !== null && Number.isFinite(e.se) && e.se > 0 ? [`<amplificationEfficiencySE>${num(e.se)}</amplificationEfficiencySE>`] : [])] : [];
    const type = input.references.includes(t) ? 'ref' : 'toi';
    return `  <target id="${xmlEscape(t)}"><type>${type}</type>${eff.join('')}<dyeId id="${xmlEscape(dye)}"/></target>`;
  });
}

/** True when two wells of a plate would put the same target twice into one reaction (RDML allows one per target). */
function clashes(wells: readonly Well[], key: (w: Well) => string): boolean {
  const seen = new Set<string>();
  for (const w of wells) {
    const k = `${key(w)}\u0000${w.target}`;
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}

/**
 * Plate format and each well's react id: the plate grid when every well has a row and column (and no grid position
 * holds one target twice), else one row in file order, a reaction per position (per well when positions repeat a
 * target or are missing).
 */
function layout(p: Plate): { grid: boolean; rows: number; cols: number; labels: [string, string]; reactId: (w: Well) => number } {
  const gridded = p.wells.length > 0 && p.wells.every((w) => w.row !== null && w.col !== null) && !clashes(p.wells, (w) => `${w.row},${w.col}`);
  if (gridded) {
    let maxR = 0, maxC = 0; // a loop, not Math.max(...): plates can hold more wells than a call has arguments
    for (const w of p.wells) { maxR = Math.max(maxR, (w.row as number) + 1); maxC = Math.max(maxC, (w.col as number) + 1); }
    let rows = p.rows ?? 0, cols = p.cols ?? 0;
    if (rows < maxR || cols < maxC) [rows, cols] = maxR <= 8 && maxC <= 12 ? [8, 12] : maxR <= 16 && maxC <= 24 ? [16, 24] : [maxR, maxC];
    return { grid: true, rows, cols, labels: ['ABC', '123'], reactId: (w) => (w.row as number) * cols + (w.col as number) + 1 };
  }
  const byPosition = !clashes(p.wells, (w) => w.position ?? `\u0000${w.index}`);
  const order = new Map<string, number>();
  const ids = new Map<Well, number>();
  for (const w of p.wells) {
    const key = byPosition && w.position !== null ? w.position : `\u0000${w.index}`;
    if (!order.has(key)) order.set(key, order.size + 1);
    ids.set(w, order.get(key)!);
  }
  return { grid: false, rows: 1, cols: Math.max(1, order.size), labels: ['123', '123'], reactId: (w) => ids.get(w)! };
}

type Exclusion = MethodsSummary['exclusions'][number];
const exclKey = (file: string, line: number, well: string | null, sample: string, target: string) => [file, line, well ?? '', sample, target].join('\u0000');

/** The analysis's exclusions by well (file, line, position, sample, target). */
function exclusionIndex(excl: readonly Exclusion[]): Map<string, Exclusion[]> {
  const m = new Map<string, Exclusion[]>();
  for (const x of excl) {
    const k = exclKey(x.file, x.line, x.well, x.sample, x.target);
    const list = m.get(k);
    if (list) list.push(x); else m.set(k, [x]);
  }
  return m;
}

/** Why a well is excluded: the instrument's omit and the analysis's exclusions, `;`-separated (RDML's separator). */
function exclText(p: Plate, w: Well, index: Map<string, Exclusion[]>): string | null {
  const reasons: string[] = [];
  const own = index.get(exclKey(p.file, w.line, w.position, w.sample, w.target)) ?? [];
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

function* runXml(p: Plate, id: string, input: RdmlExportInput, idOfWell: (w: Well) => string, excluded: Map<string, Exclusion[]>): Generator<string> {
  const { grid, rows, cols, labels, reactId } = layout(p);
  const reacts = new Map<number, Well[]>();
  for (const w of p.wells) { const k = reactId(w); const list = reacts.get(k); if (list) list.push(w); else reacts.set(k, [w]); }
  yield `    <run id="${xmlEscape(id)}">`;
  yield `      <description>${xmlEscape(`Imported from ${baseName(p.file)} (${p.format})${curveNote(p)}`)}</description>`;
  if (p.instrument) yield `      <instrument>${xmlEscape(p.instrument)}</instrument>`;
  yield `      <dataCollectionSoftware><name>${xmlEscape(input.software.name)}</name><version>${xmlEscape(input.software.version)}</version></dataCollectionSoftware>`;
  yield `      <pcrFormat><rows>${rows}</rows><columns>${cols}</columns><rowLabel>${labels[0]}</rowLabel><columnLabel>${labels[1]}</columnLabel></pcrFormat>`;
  for (const [rid, ws] of [...reacts].sort((a, b) => a[0] - b[0])) {
    const data = ws.map((w) => {
      const ex = exclText(p, w, excluded);
      const cq = w.cq !== null && Number.isFinite(w.cq) ? num(w.cq) : '-1';
      // Off a lettered grid the react id cannot carry the file's position (a rotor slot, a BioMark chamber): a note.
      const note = w.position !== null && (!grid || !/^[A-Z]{1,2}\d+$/.test(w.position)) ? `<note>${xmlEscape(`position in the file: ${w.position}`)}</note>` : '';
      return `<data><tar id="${xmlEscape(idOf(w.target, 'unnamed'))}"/><cq>${cq}</cq>${ex !== null ? `<excl>${xmlEscape(ex)}</excl>` : ''}${note}${curvePointsXml(p, w)}</data>`;
    });
    yield `      <react id="${rid}"><sample id="${xmlEscape(idOfWell(ws[0]))}"/>${data.join('')}</react>`;
  }
  yield '    </run>';
}

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

/**
 * The lines of the RDML 1.3 document (rdml_data.xml), made as they are read: a biobank-sized document (10⁷ wells,
 * over a gigabyte of XML) is longer than a JavaScript string may be.
 */
function* rdmlLines(input: RdmlExportInput): Generator<string> {
  const dye = 'not stated';
  const study = idOf(input.study, 'qPCR Studio study');
  const ids = runIds(input);
  const idOfWell = rdmlSampleIds(input.plates);
  const excluded = exclusionIndex(input.exclusions ?? []);
  yield '<?xml version="1.0" encoding="UTF-8"?>';
  yield '<rdml xmlns="http://www.rdml.org" version="1.3">';
  if (input.date) yield `  <dateMade>${xmlEscape(input.date)}</dateMade>`;
  yield `  <id><publisher>${xmlEscape(`${input.software.name} ${input.software.version}`)}</publisher><serialNumber>${xmlEscape(study)}</serialNumber></id>`;
  yield `  <dye id="${dye}"><description>The imported plate files do not state the dye in a form qPCR Studio reads.</description></dye>`;
  yield* samplesXml(input.plates, idOfWell);
  yield* targetsXml(input, dye);
  yield `  <experiment id="${xmlEscape(study)}">`;
  yield `    <description>${xmlEscape(`${study}: Cq values as read from the plates, exclusions as applied by ${input.software.name}. ${input.plates.some((p) => p.curves) ? 'Amplification/melt curves as read from the plates that have them.' : 'Amplification curves are not included.'}`)}</description>`;
  for (let i = 0; i < input.plates.length; i++) yield* runXml(input.plates[i], ids[i], input, idOfWell, excluded);
  yield '  </experiment>';
  yield '</rdml>';
}

/** The RDML 1.3 document (rdml_data.xml) as one string (documents that fit in one). */
export function rdmlXml(input: RdmlExportInput): string {
  return [...rdmlLines(input)].join('\n') + '\n';
}

/** The .rdml file: a zip holding rdml_data.xml, deflated as its lines are made (1 MiB of text at a time). */
export function rdmlZip(input: RdmlExportInput): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => { if (err) throw err; parts.push(chunk); });
  const file = new ZipDeflate('rdml_data.xml', { level: 6 });
  file.mtime = new Date('2000-01-01T00:00:00Z');
  zip.add(file);
  let text = '';
  for (const line of rdmlLines(input)) {
    text += line + '\n';
    if (text.length >= 1 << 20) { file.push(strToU8(text)); text = ''; }
  }
  file.push(strToU8(text), true);
  zip.end();
  return concatBytes(parts);
}
