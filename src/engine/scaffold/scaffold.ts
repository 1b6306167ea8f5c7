/**
 * "New Study from Plates" (pure): from imported plates, and optionally a clinical table and a sample sheet, a commented
 * .qstudy that runs as is — plates, sample fields, clinical key, references, targets, calibrator, QC and a fold-change
 * analysis — with suggested analyses as comments. The host (src/host/newStudy.ts) and the CLI (`qpcr-studio new`)
 * read the files; this module only decides the text.
 */
import { loadTable, type LoadedTable } from '../expression/clinical';
import { plateFormat } from '../plate/formats';
import { DEFAULT_QC } from '../plate/model';
import { quoteName } from '../study/util';
import {
  bestKeyColumn, controlLevel, guessReferences, hasStandards, platePatterns, sampleNames, sampleTargets, splitNames,
  studyString, typicalReplicates, type ScaffoldPlate,
} from './detect';

export type { ScaffoldPlate } from './detect';

/** A table chosen by the user: its path relative to the study's folder and its bytes or text. */
export interface ScaffoldTable { path: string; data: string | Uint8Array }

export interface ScaffoldInput {
  plates: ScaffoldPlate[];
  clinical?: ScaffoldTable;
  sampleSheet?: ScaffoldTable;
  title?: string;
  /** Files in each plate folder (key: the folder as in the paths, '' for the study's own), to keep globs exact. */
  folderFiles?: Record<string, string[]>;
}

export interface Scaffold {
  text: string;
  references: string[];
  targets: string[];
  /** The suggested statements written commented out (each runs when uncommented). */
  suggestions: string[];
  /** The sample field the fold change is grouped by, if any. */
  by?: string;
}

/** How the samples get their fields and how they link to the clinical table. */
interface SampleDesign {
  lines: string[];
  /** The per-sample table (the sheet) the calibrator may come from, its key, and its columns not to use for it. */
  sheet?: LoadedTable;
  sheetKey?: string;
  sheetSkip: Set<string>;
  by?: string;
  /** The clinical table in use (the chosen one, or the sheet itself). */
  clinical?: LoadedTable;
  clinicalKey?: string;
  /** With a split of the names: the level field and its values. */
  levels?: { field: string; values: string[] };
}

/** A clinical column that can name a sample-pattern field (docs/study-language.md: letters, digits, `_`, `.`). */
const isFieldName = (name: string) => /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name);
const pad = (code: string, comment: string) => (comment ? `${code.padEnd(48)} # ${comment}` : code);
/** The fold-change analysis written lists at most this many targets (a BioMark chip has hundreds). */
const MAX_FOLD_TARGETS = 12;
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function scaffoldStudy(input: ScaffoldInput): Scaffold {
  if (!input.plates.length) throw new Error('No plate file to build a study from.');
  const plates = input.plates.map((p) => p.plate);
  const names = sampleNames(plates);
  const all = sampleTargets(plates);
  if (!all.length) throw new Error('The plates have no sample wells with a target: there is nothing to analyse.');
  if (all.length < 2) throw new Error(`The plates have one target (${all[0]}): relative expression needs a reference gene and a target.`);
  const design = sampleDesign(names, input);
  const { references, why } = guessReferences(plates, all);
  const targets = all.filter((t) => !references.includes(t));
  const L: string[] = [
    `# Written by qPCR Studio's "New Study from Plates" from ${plural(input.plates.length, 'plate file')}: ${plural(names.length, 'sample')}, ${plural(all.length, 'target')} (${all.slice(0, 8).join(', ')}${all.length > 8 ? ', ...' : ''}).`,
    '# Every line was inferred from the data: check each one (the comments say why), then add analyses (suggestions at the end).',
    `study ${studyString(input.title ?? 'New study')}`,
    ...platePatterns(input.plates, input.folderFiles).map((p) => pad(`plates ${studyString(p.pattern)} format ${p.format}`, `${plateFormat(p.format).display}, ${plural(p.files, 'file')}`)),
    ...design.lines,
    pad(`reference ${references.map(quoteName).join(', ')}`, why),
    ...wrapList('targets ', targets.map(quoteName)),
  ];
  const cal = design.sheet && design.sheetKey ? controlLevel(design.sheet, design.sheetSkip, design.sheetKey, new Set(names)) : null;
  if (cal) L.push(pad(`calibrator ${quoteName(cal.field)} == ${studyString(cal.level)}`, `2^-ddCq against the "${cal.level}" samples' mean dCq`));
  else if (design.levels) L.push(pad(`# calibrator ${design.levels.field} == ${studyString(design.levels.values[0])}`, 'optional: 2^-ddCq against these samples\' mean dCq'));
  if (hasStandards(plates)) L.push(pad('# efficiency from standards', 'the plates have standard curves: Pfaffl with their efficiencies'));
  if (plates.length && plates.every((p) => p.curves?.amplification)) {
    L.push(pad('# efficiency from linregpcr', 'the plates have amplification curves: LinRegPCR mean efficiency per target'));
    if (plates.every((p) => p.wells.every((w) => w.cq === null))) L.push(pad('cq from linregpcr', 'the files hold curves but no Cq: Cq from the curves (LinRegPCR)'));
  }
  const reps = Math.min(typicalReplicates(plates), DEFAULT_QC.minReplicates);
  L.push(pad(`qc max-cq ${DEFAULT_QC.maxCq}, replicate-sd ${DEFAULT_QC.replicateSd}, ntc-min-cq ${DEFAULT_QC.ntcMinCq}, min-replicates ${reps}`, 'the default thresholds' + (reps < DEFAULT_QC.minReplicates ? '; single wells per sample and target' : '')));
  const by = cal?.field ?? design.by;
  const shown = targets.slice(0, MAX_FOLD_TARGETS);
  L.push('', `# Relative quantities per sample (and group) with their propagated SE and 95% CI${shown.length < targets.length ? ` (the first ${shown.length} of ${targets.length} targets)` : ''}`);
  L.push(`fold: foldchange ${shown.map(quoteName).join(', ')}${by ? ` by ${quoteName(by)}` : ''}`);
  L.push('', '# Suggested analyses (remove the # to run one; see docs/study-language.md for the options)', ...columnComment(design));
  const more = suggestions(design, targets, by);
  L.push(...more.map((x) => `# ${x}`));
  return { text: L.join('\n') + '\n', references, targets, suggestions: more, ...(by ? { by } : {}) };
}

/** The `samples` and `clinical` lines: from the sheet, from a split of the names, or the names as clinical keys. */
function sampleDesign(names: string[], input: ScaffoldInput): SampleDesign {
  const clinical = input.clinical ? loadTable(input.clinical.data, input.clinical.path) : undefined;
  // A clinical table that links to no sample is written commented out: the study must run as written.
  const clinicalLine = (key: string, note: string, linked = true) => pad(`${linked ? '' : '# '}clinical ${studyString(input.clinical!.path)} key ${quoteName(key)}`, note);
  if (input.sampleSheet) {
    const design = sheetDesign(names, input.sampleSheet, clinical, clinicalLine);
    if (design) return design;
    const rest = sampleDesign(names, { ...input, sampleSheet: undefined });
    return { ...rest, lines: [`# samples ${studyString(input.sampleSheet.path)} key sample     # CHECK: no column of this sheet holds the sample names`, ...rest.lines] };
  }
  const split = splitNames(names);
  if (split) {
    const link = clinical ? bestKeyColumn(clinical, split.subjects, isFieldName) : null;
    const subject = link?.column ?? 'subject';
    const lines = [pad(`samples ${studyString(`{${subject}}${split.sep}{timepoint}`)}`, `${split.matched} of ${names.length} names split so: ${split.subjects.length} subjects × ${split.levels.join(', ')}`)];
    if (clinical) lines.push(link ? clinicalLine(subject, `${link.matched} of the ${split.subjects.length} subjects have a row`) : clinicalLine(clinical.columns[0]?.name ?? 'id', 'CHECK: no column holds the subjects of the sample names', false));
    return { lines, sheetSkip: new Set(), by: 'timepoint', ...(link ? { clinical, clinicalKey: link.column } : {}), levels: { field: 'timepoint', values: split.levels } };
  }
  const link = clinical ? bestKeyColumn(clinical, names, isFieldName) : null;
  if (link) return { lines: [pad(`samples ${studyString(`{${link.column}}`)}`, 'each sample name is a subject'), clinicalLine(link.column, `${link.matched} of ${names.length} sample names have a row`)], sheetSkip: new Set(), clinical, clinicalKey: link.column };
  const lines = ['# samples "{subject}-{timepoint}"                 # the sample names do not split into fields: name them here'];
  if (clinical) lines.push(clinicalLine(clinical.columns[0]?.name ?? 'id', 'CHECK: no column holds the sample names', false));
  return { lines, sheetSkip: new Set() };
}

/** The design from a sample sheet; null when no column of it holds the sample names. */
function sheetDesign(names: string[], sheetIn: ScaffoldTable, clinical: LoadedTable | undefined, clinicalLine: (key: string, note: string, linked?: boolean) => string): SampleDesign | null {
  const sheet = loadTable(sheetIn.data, sheetIn.path);
  const key = bestKeyColumn(sheet, names);
  if (!key) return null;
  const keyName = key.column;
  const lines = [pad(`samples ${studyString(sheetIn.path)} key ${quoteName(keyName)}`, `${key.matched} of ${names.length} sample names are in its "${keyName}" column`)];
  const fields = sheet.columns.map((c) => c.name).filter((c) => c !== keyName);
  const skip = new Set([keyName]);
  if (!clinical) {
    if (!fields.length) return { lines, sheet, sheetKey: keyName, sheetSkip: skip };
    lines.push(pad(`clinical ${studyString(sheetIn.path)} key ${quoteName(keyName)}`, 'the sample sheet is also the per-sample table'));
    return { lines, sheet, sheetKey: keyName, sheetSkip: skip, clinical: sheet, clinicalKey: keyName, by: firstGrouping(sheet, skip) };
  }
  // The sheet column linking a sample to its subject has the clinical key's name and holds its values.
  let link: { column: string; matched: number } | null = null;
  for (const f of fields) {
    const vals = [...new Set(sheet.rows.map((r) => r[f]).filter((v) => v !== null).map(String))];
    const m = bestKeyColumn(clinical, vals, (c) => c === f);
    if (m && (!link || m.matched > link.matched)) link = m;
  }
  if (link) skip.add(link.column);
  lines.push(link ? clinicalLine(link.column, `the sheet's "${link.column}" links ${link.matched} subjects`) : clinicalLine(clinical.columns[0]?.name ?? 'id', 'CHECK: no sheet column of the same name holds its keys', false));
  return { lines, sheet, sheetKey: keyName, sheetSkip: skip, ...(link ? { clinical, clinicalKey: link.column } : {}), by: firstGrouping(sheet, skip) };
}

/** A categorical column with 2 to 12 levels, to group by. */
function firstGrouping(t: LoadedTable, skip: ReadonlySet<string>): string | undefined {
  return t.columns.find((c) => !skip.has(c.name) && c.type === 'categorical' && (c.levels?.length ?? 0) >= 2 && (c.levels?.length ?? 0) <= 12)?.name;
}

/** Analyses to start from (written commented out): a comparison, Table 1, ROC and survival over the clinical columns. */
function suggestions(d: SampleDesign, targets: string[], by: string | undefined): string[] {
  const t = quoteName(targets[0]);
  const out: string[] = [];
  if (d.levels) out.push(`change: compare ${t}@${quoteName(d.levels.values[1])} vs ${t}@${quoteName(d.levels.values[0])} paired`);
  else if (by && d.clinical?.columns.some((x) => x.name === by)) out.push(`by_${by.replace(/\W/g, '_')}: compare ${t} by ${quoteName(by)}`);
  const c = d.clinical;
  if (!c) return out;
  const cols = c.columns.filter((x) => x.name !== d.clinicalKey && !d.sheetSkip.has(x.name));
  const tv = d.levels ? `${t}@${quoteName(d.levels.values[0])}` : t;
  const time = cols.find((x) => x.type === 'numeric' && /[_.-](days?|weeks?|months?|years?)$/i.test(x.name));
  const event = cols.find((x) => x.type === 'numeric' && EVENT.test(x.name) && isZeroOne(c, x.name));
  const binary = cols.find((x) => x !== event && x.type === 'numeric' && isZeroOne(c, x.name))
    ?? cols.find((x) => x.type === 'categorical' && x.levels?.length === 2 && !/^(sex|gender)$/i.test(x.name));
  const vars = cols.filter((x) => x !== binary && x !== time && x !== event).slice(0, 8).map((x) => quoteName(x.name));
  if (vars.length) out.push(`table1: describe ${vars.join(', ')}${binary ? ` by ${quoteName(binary.name)}` : ''}`);
  if (binary) out.push(`roc_marker: roc ${tv} predicts ${binary.type === 'numeric' ? quoteName(binary.name) : `${quoteName(binary.name)} == ${studyString(binary.levels![1])}`}`);
  if (time && event) out.push(`outcome surv = time ${quoteName(time.name)} event ${quoteName(event.name)}`, `let marker_high = ${tv} > median(${tv})`, 'km_surv: km surv by marker_high');
  return out;
}

const EVENT = /(death|dead|event|status|progression|relapse|recurrence)/i;
const isZeroOne = (t: LoadedTable, col: string) => t.rows.every((r) => r[col] === null || r[col] === 0 || r[col] === 1);

/** The clinical table's columns and their types, as comment lines. */
function columnComment(d: SampleDesign): string[] {
  const c = d.clinical;
  if (!c) return [];
  const cols = c.columns.filter((x) => x.name !== d.clinicalKey && !d.sheetSkip.has(x.name));
  const levels = (x: LoadedTable['columns'][number]) => (x.levels ?? []).slice(0, 4).join('/') + ((x.levels?.length ?? 0) > 4 ? '/...' : '');
  return wrapComment('Per-subject columns', cols.map((x) => `${x.name} (${x.type === 'numeric' ? 'numeric' : levels(x)})`));
}

/** `prefix` and the items, continued on indented lines after a trailing comma (a study line continues after `,`). */
function wrapList(prefix: string, items: string[]): string[] {
  const lines: string[] = [];
  let cur = prefix;
  for (const it of items) {
    if (cur !== prefix && cur.length + it.length > 116) { lines.push(cur + ','); cur = '  '; }
    cur += `${cur === prefix || cur === '  ' ? '' : ', '}${it}`;
  }
  return [...lines, cur];
}

function wrapComment(title: string, items: string[]): string[] {
  const lines: string[] = [];
  let cur = `# ${title}:`;
  for (const it of items) {
    if (cur.length + it.length > 116) { lines.push(cur + ','); cur = '#'; }
    cur += `${cur.endsWith(':') || cur === '#' ? ' ' : ', '}${it}`;
  }
  return [...lines, cur];
}
