/**
 * RDML importer: a PKZIP container (fflate) whose XML member is normally `rdml_data.xml` but may be named
 * otherwise (Bio-Rad writes `BioRad_qPCR_melt.xml`), or bare RDML XML. Parsed with fast-xml-parser, namespace
 * prefixes removed (LightCycler 96 and re-saved files mix `rdml:` prefixes).
 *
 * Lines: for bare XML text each well's `line` is the line of its `<react>` element and `ranges.row` spans that
 * element's opening tag; for a zip (binary to the editor) every line is 0 and no cell ranges exist.
 * No-call conventions: cq -1 (spec), 100 and 999 become `noCq: 'sentinel'` silently (not plausible Cqs); a cq of
 * exactly 40 is a plausible Cq *and* the StepOne/LightCycler 96 no-call convention, so it becomes a sentinel with a
 * `cq-sentinel-plausible` warning.
 */
import { strFromU8 } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import type { Plate, Well, WellTask } from './model';
import { DEFAULT_MIN_CQ, implausibleCq, normTask } from './table';
import { parseDecimal } from './text';
import { inflateMember, zipEntries, type ZipEntry } from './zip';
import { rdmlCurves } from './rdmlCurves';

type X = Record<string, unknown>;

/**
 * Elements always read as arrays: every element the RDML 1.3 schema allows more than once (maxOccurs="unbounded")
 * plus `excl` and `note` (repeated by some writers). `type` is single in a `<target>` but repeatable (one per
 * `targetId`) in a `<sample>`, so it is always an array and a target's type is its first element.
 */
const ARRAYS = new Set([
  'dye', 'sample', 'target', 'experiment', 'run', 'react', 'data', 'adp', 'mdp', 'excl', 'note',
  'type', 'quantity', 'id', 'experimenter', 'documentation', 'xRef', 'annotation', 'thermalCyclingConditions', 'step',
]);

function arr(v: unknown): X[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as X[];
}
function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') {
    const t = (v as X)['#text'];
    return t === undefined ? '' : String(t);
  }
  return String(v);
}
const zero: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function rdmlTask(type: string): WellTask {
  switch (type.trim().toLowerCase()) {
    case 'unkn': case 'opt': return 'unknown';
    case 'ntc': case 'ntp': return 'ntc';
    case 'nac': return 'negative';
    case 'std': return 'standard';
    case 'nrt': return 'nrt';
    case 'pos': return 'positive';
    default: return normTask(type);
  }
}

/**
 * fast-xml-parser settings. Entities: only the five predefined XML ones are decoded by the parser; character
 * references are decoded before parsing (decodeCharRefs); DOCTYPE-declared entities are refused before parsing (see
 * importRdml), external ones are never fetched (the parser does not support them), and the expansion limits are set
 * low as a second line of defence.
 */
export const XML_OPTIONS = {
  ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false,
  parseAttributeValue: false, trimValues: true,
  isArray: (name: string, _jPath: unknown, _leaf: boolean, isAttribute: boolean) => isAttribute !== true && ARRAYS.has(name),
  htmlEntities: false,
  processEntities: { enabled: true, maxEntityCount: 1, maxEntitySize: 64, maxExpansionDepth: 1, maxExpandedLength: 1024 },
};

/** A character reference's replacement: markup characters as predefined entities (decoded by the parser). */
const MARKUP_REF: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
/** The character a reference's code stands for: an XML 1.0 Char (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]), anything else (NaN included) U+FFFD. */
export function xmlCharOf(code: number): string {
  const ok = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff)
    || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
  return ok ? String.fromCodePoint(code) : '\ufffd';
}

function charRef(hex: string | undefined, dec: string | undefined): string {
  const c = xmlCharOf(hex !== undefined ? parseInt(hex, 16) : parseInt(dec ?? '', 10));
  return MARKUP_REF[c] ?? c;
}

/**
 * The XML with its decimal and hex character references (`&#39;`, `&#x3C;`) replaced by the characters they stand
 * for, before parsing (after it, `&amp;#39;` would be indistinguishable from `&#39;`). A reference to a markup
 * character becomes the predefined entity (`&#60;` → `&lt;`) so the markup is unchanged; an invalid one (out of
 * range, surrogate, control character) becomes U+FFFD. CDATA sections and comments are left as they are; the scan is
 * linear (an unterminated section ends it, the parser then reports the error).
 */
export function decodeCharRefs(xml: string): string {
  if (xml.indexOf('&#') < 0) return xml;
  const re = /&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));|<!\[CDATA\[|<!--/g;
  const out: string[] = [];
  let copied = 0;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    if (m[0].startsWith('<!')) {
      const end = xml.indexOf(m[0] === '<!--' ? '-->' : ']]>', re.lastIndex);
      if (end < 0) break;
      re.lastIndex = end + 3;
      continue;
    }
    out.push(xml.slice(copied, m.index), charRef(m[1], m[2]));
    copied = re.lastIndex;
  }
  out.push(xml.slice(copied));
  return out.join('');
}

const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** End of the `\w+` run starting at `i`. */
function wordEnd(s: string, i: number): number {
  while (i < s.length && isWordCode(s.charCodeAt(i))) i++;
  return i;
}

/** An amplification (`adp`) or melt (`mdp`) point element cut out of the XML, with the `<data>` element it is in. */
export interface CurveSegment {
  name: 'adp' | 'mdp';
  /** Offsets of the element's content in the XML (between its open and close tags). */
  start: number;
  end: number;
  /** 0-based count of `<data>` elements opened before it: the reaction (well) it belongs to, in document order. */
  data: number;
}

/** What `stripCurves` cut out, and how many `<data>` elements the XML has. */
export interface CurveScan { segments: CurveSegment[]; dataCount: number }

/**
 * The XML without its amplification/melt curve points (`<adp>...</adp>`, `<mdp>...</mdp>`, any namespace prefix):
 * they are not needed for Cq import and dropping them makes parsing ~5× faster. A linear scan: every close tag is
 * searched for from the current position on, and a tag whose close is missing is not searched for again.
 * With `found`, the cut-out elements are listed there (with the `<data>` element they are in) for the curve store.
 */
export function stripCurves(xml: string, found?: CurveScan): string {
  const out: string[] = [];
  const nextClose = new Map<string, number>(); // close tag → its next index (-1: none further on)
  let copied = 0, data = -1;
  for (let i = xml.indexOf('<'); i >= 0; i = xml.indexOf('<', i + 1)) {
    let a = i + 1, b = wordEnd(xml, a);
    if (xml.charCodeAt(b) === 58 /* : */ && b > a) { a = b + 1; b = wordEnd(xml, a); }
    const name = xml.slice(a, b);
    if (found && name === 'data' && /[\s>/]/.test(xml.charAt(b))) { data++; continue; }
    if ((name !== 'adp' && name !== 'mdp') || xml.charCodeAt(b) !== 62 /* > */) continue;
    const close = `</${xml.slice(i + 1, b)}>`;
    let c = nextClose.get(close);
    if (c === undefined || (c >= 0 && c < b)) { c = xml.indexOf(close, b); nextClose.set(close, c); }
    if (c < 0) continue;
    found?.segments.push({ name, start: b + 1, end: c, data });
    out.push(xml.slice(copied, i));
    copied = c + close.length;
    i = copied - 1;
  }
  out.push(xml.slice(copied));
  if (found) found.dataCount = data + 1;
  return out.join('');
}

/** Largest RDML XML member read (inflated bytes): far above any real export (curves included), bounds memory. */
export const MAX_RDML_XML_BYTES = 256 * 1024 * 1024;
/** Bytes inflated from one RDML archive in all (the XML member plus the heads of other candidate members). */
export const MAX_RDML_INFLATED_BYTES = MAX_RDML_XML_BYTES + 16 * 1024 * 1024;
/** How much of a candidate `.xml` member is inflated to see whether it is RDML. */
const HEAD = 4096;

/** A member name for a message (names are up to 64 KiB). */
const nm = (s: string) => (s.length > 80 ? `${s.slice(0, 80)}...` : s);
const MiB = (n: number) => `${Math.round((n / 1048576) * 10) / 10} MiB`;

/** A head of bytes as text (a split multi-byte character at the end is harmless here). */
function headOf(zip: Uint8Array, e: ZipEntry, budget: { left: number }): string {
  const parts: Uint8Array[] = [];
  const r = inflateMember(zip, e, Math.min(HEAD, budget.left), (c) => parts.push(c.slice()));
  budget.left -= r.bytes;
  let n = 0;
  const all = new Uint8Array(r.bytes);
  for (const c of parts) { all.set(c, n); n += c.length; }
  return strFromU8(all, false);
}

const RDML_ROOT = /<(\w+:)?rdml[\s>]/;

/**
 * Returns the XML text of an RDML zip, or an error message. Only `rdml_data.xml` (else the first `.xml` member
 * whose head holds an `<rdml>` root) is inflated, lazily and never past MAX_RDML_XML_BYTES / MAX_RDML_INFLATED_BYTES.
 */
function unzipRdml(bytes: Uint8Array): { xml: string; member: string } | { error: string; code?: string } {
  try {
    const entries = zipEntries(bytes);
    const budget = { left: MAX_RDML_INFLATED_BYTES };
    let pick = entries.find((e) => e.name === 'rdml_data.xml');
    if (pick && !/^\s*</.test(headOf(bytes, pick, budget).replace(/^\uFEFF/, ''))) {
      return { error: 'its member rdml_data.xml is not XML', code: 'rdml-container' };
    }
    for (let k = 0; !pick && k < entries.length && budget.left > 0; k++) {
      const e = entries[k];
      if (/\.xml$/i.test(e.name) && RDML_ROOT.test(headOf(bytes, e, budget))) pick = e;
    }
    if (!pick) {
      const names = entries.slice(0, 20).map((e) => nm(e.name)).join(', ') + (entries.length > 20 ? ', ...' : '');
      return { error: `the archive has no RDML XML member (members: ${names || 'none'})` };
    }
    // Never more than the declared size (checked against the cap first): a member that inflates past its
    // declared size is refused at that point, so a lying header costs no more than an honest one.
    const cap = Math.min(MAX_RDML_XML_BYTES, budget.left);
    if (pick.size > cap) {
      return { code: 'rdml-too-large', error: `its XML member "${nm(pick.name)}" is ${MiB(pick.size)} uncompressed, more than the ${MiB(cap)} read from one RDML file; it was not read` };
    }
    const buf = new Uint8Array(pick.size);
    let at = 0;
    const r = inflateMember(bytes, pick, pick.size, (c) => { buf.set(c, at); at += c.length; });
    if (!r.complete) {
      return { code: 'rdml-too-large', error: `its XML member "${nm(pick.name)}" inflates to more than its declared ${pick.size} bytes (a corrupt or hostile archive); it was not read` };
    }
    return { xml: new TextDecoder('utf-8').decode(buf.subarray(0, at)), member: pick.name };
  } catch (e) {
    return { error: `not a readable zip archive (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Values of a sample's repeatable per-target elements (`<type targetId>`, `<quantity targetId>`). */
interface PerTarget<T> { all?: T; by: Map<string, T> }
interface SampleInfo { type: PerTarget<WellTask>; quantity: PerTarget<number> }

/** The value for a target: its own entry, else the entry without targetId (valid for all targets). */
const forTarget = <T>(p: PerTarget<T>, target: string): T | undefined => p.by.get(target) ?? p.all;

function perTarget<T>(els: unknown[], read: (e: unknown) => T | undefined): PerTarget<T> {
  const out: PerTarget<T> = { by: new Map() };
  for (const e of els) {
    const v = read(e);
    if (v === undefined) continue;
    const t = e !== null && typeof e === 'object' ? (e as X)['@_targetId'] : undefined;
    if (t === undefined) out.all ??= v;
    else if (!out.by.has(str(t))) out.by.set(str(t), v);
  }
  return out;
}

function sampleInfo(s: X): SampleInfo {
  return {
    type: perTarget(arr(s['type']), (e) => rdmlTask(str(e))),
    quantity: perTarget(arr(s['quantity']), (e) => {
      const v = Number(str((e as X)['value']));
      return Number.isFinite(v) ? v : undefined;
    }),
  };
}

export function importRdml(
  data: string | Uint8Array, file: string, opts: { target?: string; minCq?: number },
): { plate: Plate | null; diagnostics: EngineDiagnostic[] } {
  const diagnostics: EngineDiagnostic[] = [];
  const err = (code: string, message: string) => diagnostics.push({ code, severity: 'error', message, file, range: zero });
  const meta: Record<string, string> = Object.create(null) as Record<string, string>;
  const text = rdmlText(data, file, meta, diagnostics, err);
  if (!text) return { plate: null, diagnostics };
  const { xml, bare } = text;
  let doc: X;
  const scan: CurveScan = { segments: [], dataCount: 0 };
  try {
    const parser = new XMLParser(XML_OPTIONS);
    if (xml.indexOf('<!ENTITY') >= 0) throw new Error('the document declares entities (<!ENTITY>), which are not expanded; RDML needs none');
    doc = parser.parse(decodeCharRefs(stripCurves(xml, scan))) as X;
  } catch (e) {
    err('rdml-xml', `RDML XML is not well-formed: ${e instanceof Error ? e.message : String(e)}`);
    return { plate: null, diagnostics };
  }
  const root = doc['rdml'] as X | undefined;
  if (!root || typeof root !== 'object') { err('rdml-xml', 'No <rdml> root element.'); return { plate: null, diagnostics }; }
  if (root['@_version']) meta['RDML version'] = str(root['@_version']);

  const read = rdmlWells(root, bare ? reactLinesOf(xml) : [], meta, { file, target: opts.target, minCq: opts.minCq ?? DEFAULT_MIN_CQ, diagnostics });
  const { wells, rows, cols, noCqCount, runCount } = read;
  if (wells.length === 0) {
    err('rdml-empty', 'The RDML file contains no reactions with data (experiment › run › react › data).');
    return { plate: null, diagnostics };
  }
  if (noCqCount > 0) {
    diagnostics.push({ code: 'rdml-no-cq', severity: noCqCount === wells.length ? 'warning' : 'info', file, range: zero,
      message: noCqCount === wells.length
        ? `None of the ${wells.length} reactions has a <cq> value (fluorescence only, e.g. a CFX Maestro RDML export); a study can call the Cqs from the amplification curves ("cq from linregpcr" or "cq from threshold T").`
        : `${noCqCount} of ${wells.length} reactions have no <cq> value.` });
  }
  if (runCount > 1) meta['Runs'] = String(runCount);
  const plate: Plate = {
    file, format: 'rdml', rows, cols, wells, meta,
    conventions: { delimiter: '', decimal: '.', lineEnding: '\n', bom: false },
  };
  if (meta['Instrument']) plate.instrument = meta['Instrument'];
  const curves = rdmlCurves(xml, scan, wells.length, bare, file, diagnostics);
  if (curves) plate.curves = curves;
  return { plate, diagnostics };
}

/** The XML text of RDML bytes or text (a zip's member, else the bare XML, `bare`), or null after an error. */
function rdmlText(data: string | Uint8Array, file: string, meta: Record<string, string>, diagnostics: EngineDiagnostic[], err: (code: string, message: string) => void): { xml: string; bare: boolean } | null {
  if (typeof data === 'string') {
    if (data.startsWith('PK\u0003\u0004')) { err('rdml-binary-as-text', 'This RDML file is a zip archive but was passed as text; pass its bytes.'); return null; }
    return { xml: data.replace(/^\uFEFF/, ''), bare: true };
  }
  if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) {
    const z = unzipRdml(data);
    if ('error' in z) { err(z.code ?? 'rdml-container', `Cannot read RDML: ${z.error}.`); return null; }
    meta['RDML member'] = z.member;
    if (z.member !== 'rdml_data.xml') diagnostics.push({ code: 'rdml-member-name', severity: 'info', message: `RDML XML read from "${z.member}" (the standard name is rdml_data.xml).`, file, range: zero });
    return { xml: z.xml, bare: false };
  }
  return { xml: new TextDecoder('utf-8').decode(data).replace(/^\uFEFF/, ''), bare: true };
}

/** The line and columns of the k-th `<react ...>` opening tag in bare XML (document order = parser order). */
function reactLinesOf(xml: string): { line: number; start: number; end: number }[] {
  const reactLines: { line: number; start: number; end: number }[] = [];
  const re = /<(?:\w+:)?react[\s>/]/g;
  let line = 0, lineStart = 0, scanned = 0;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    for (let i = scanned; i < m.index; i++) {
      const c = xml.charCodeAt(i);
      if (c === 10 || (c === 13 && xml.charCodeAt(i + 1) !== 10)) { line++; lineStart = i + 1; }
    }
    scanned = m.index;
    const close = xml.indexOf('>', m.index);
    const nl = xml.slice(m.index, close < 0 ? xml.length : close + 1).search(/[\r\n]/);
    const len = nl >= 0 ? nl : (close < 0 ? xml.length : close + 1) - m.index;
    reactLines.push({ line, start: m.index - lineStart, end: m.index - lineStart + len });
  }
  return reactLines;
}

/** A react's position from its id: a number on the run's pcrFormat (with its row and column labels), or `A1` style. */
function reactPosition(id: string, pc: number, rowLabel: string, colLabel: string): { position: string | null; row: number | null; col: number | null } {
  const n = Number(id);
  if (Number.isInteger(n) && n > 0 && Number.isInteger(pc) && pc > 0) {
    const row = Math.floor((n - 1) / pc), col = (n - 1) % pc;
    const letter = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26), 65 + (i % 26)));
    return { position: (rowLabel === '123' ? String(row + 1) : letter(row)) + (colLabel === 'ABC' ? letter(col) : String(col + 1)), row, col };
  }
  const m = /^([A-Za-z]{1,2})0*(\d{1,3})$/.exec(id);
  if (m) return { position: m[1].toUpperCase() + m[2], row: m[1].toUpperCase().charCodeAt(0) - 65, col: Number(m[2]) - 1 };
  return { position: id || null, row: null, col: null };
}

interface RdmlReadContext { file: string; target: string | undefined; minCq: number; diagnostics: EngineDiagnostic[] }

/** A `<cq>` text read: the Cq, or how "no Cq" was written; unreadable or implausible values are located errors. */
function rdmlCq(cqText: string, what: string, range: Range, c: RdmlReadContext): { cq: number | null; noCq?: Well['noCq'] } {
  const { file, diagnostics } = c;
  if (cqText === '') return { cq: null, noCq: 'empty' };
  // xs:double in decimal notation only: 0x10, 0b11, 0o17, Infinity, 19,5 are not read as numbers.
  const v = cqText.indexOf(',') < 0 ? parseDecimal(cqText) : NaN;
  const bad = Number.isFinite(v) && v !== -1 ? implausibleCq(v, cqText, c.minCq) : null;
  if (!Number.isFinite(v)) {
    if (cqText.toLowerCase() === 'nan') return { cq: null, noCq: 'nan' };
    diagnostics.push({ code: 'cq-unparseable', severity: 'error', message: `${what}: <cq>${cqText}</cq> is not a decimal number.`, file, range });
    return { cq: null };
  }
  if (v === -1 || v === 100 || v === 999) return { cq: null, noCq: 'sentinel' };
  if (bad) {
    diagnostics.push({ code: 'cq-implausible', severity: 'error', message: `${what}: <cq>${cqText}</cq> ${bad}.`, file, range });
    return { cq: null };
  }
  if (v === 40) {
    diagnostics.push({ code: 'cq-sentinel-plausible', severity: 'warning', file, range,
      message: `${what}: <cq>${cqText}</cq> read as "no Cq" (StepOne/LightCycler 96 write 40 for no call), although 40 is also a possible Cq.` });
    return { cq: null, noCq: 'sentinel' };
  }
  return { cq: v };
}

/** The wells of every experiment › run › react › data, the plate's geometry (the last run's), and counts. */
function rdmlWells(root: X, reactLines: readonly { line: number; start: number; end: number }[], meta: Record<string, string>, c: RdmlReadContext) {
  const samples = new Map<string, SampleInfo>();
  for (const s of arr(root['sample'])) samples.set(str(s['@_id']), sampleInfo(s));
  const targets = new Map<string, string>();
  for (const t of arr(root['target'])) targets.set(str(t['@_id']), str(arr(t['type'])[0]));
  const wells: Well[] = [];
  let rows: number | null = null, cols: number | null = null;
  let reactIndex = 0, noCqCount = 0, runCount = 0;
  for (const exp of arr(root['experiment'])) {
    for (const run of arr(exp['run'])) {
      runCount++;
      const pf = run['pcrFormat'] as X | undefined;
      const pr = pf ? Number(str(pf['rows'])) : NaN, pc = pf ? Number(str(pf['columns'])) : NaN;
      const rowLabel = pf ? str(pf['rowLabel']) : 'ABC';
      const colLabel = pf ? str(pf['columnLabel']) : '123';
      if (Number.isInteger(pr) && Number.isInteger(pc) && pr > 0 && pc > 0) { rows = pr; cols = pc; }
      if (runCount === 1) { meta['Experiment'] = str(exp['@_id']); meta['Run'] = str(run['@_id']); if (run['instrument']) meta['Instrument'] = str(run['instrument']); }
      for (const react of arr(run['react'])) {
        const loc = reactLines[reactIndex++];
        const id = str(react['@_id']).trim();
        const { position, row, col } = reactPosition(id, pc, rowLabel, colLabel);
        const sampleId = str((react['sample'] as X[] | undefined)?.[0]?.['@_id']);
        const sInfo = samples.get(sampleId) ?? sampleInfo({});
        for (const d of arr(react['data'])) {
          const tarId = str((d['tar'] as X | undefined)?.['@_id']);
          const cqText = d['cq'] === undefined ? '' : str(d['cq']).trim();
          const range = loc ? { start: { line: loc.line, character: loc.start }, end: { line: loc.line, character: loc.end } } : zero;
          const { cq, noCq } = rdmlCq(cqText, `Reaction ${id}, target ${tarId}`, range, c);
          if (cqText === '') noCqCount++;
          const excl = arr(d['excl']).map(str).filter((s) => s !== '');
          const quantity = forTarget(sInfo.quantity, tarId);
          let task: WellTask = forTarget(sInfo.type, tarId) ?? rdmlTask('');
          if (task === 'unknown' && targets.get(tarId) === 'ref') task = 'reference';
          const well: Well = {
            index: wells.length, position, row, col, sample: sampleId, target: c.target ?? tarId, task, cq, cqText,
            omitted: d['excl'] !== undefined, flags: excl.map((e) => `EXCL:${e.toUpperCase()}`), line: loc ? loc.line : 0,
            ranges: loc ? { row: range } : {},
          };
          if (cq === null && noCq) well.noCq = noCq;
          if (quantity !== undefined) well.quantity = quantity;
          wells.push(well);
        }
      }
    }
  }
  return { wells, rows, cols, noCqCount, runCount };
}
