/**
 * What "New Study from Plates" reads off imported plates and tables (pure): the plate globs, the sample names and how
 * they split, the likely reference genes, the sample sheet's and the clinical table's keys and a calibrator level.
 */
import type { Plate } from '../plate/model';
import type { LoadedTable } from '../expression/clinical';
import { computeExpression } from '../expression/expression';
import { genorm, quantityMatrix } from '../expression/stability';
import { DEFAULT_QC } from '../plate/model';

/** A plate file as chosen by the user: its path relative to the new study's folder ('/' separators). */
export interface ScaffoldPlate { path: string; plate: Plate }

const isSampleWell = (t: string) => t === 'unknown' || t === 'reference';

/** A study string literal. */
export function studyString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function splitPath(p: string): { dir: string; ext: string } {
  const slash = p.lastIndexOf('/');
  const base = p.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  return { dir: slash < 0 ? '' : p.slice(0, slash + 1), ext: dot > 0 ? base.slice(dot) : '' };
}

/**
 * The `plates` patterns: one `DIR/*.EXT` per folder, extension and format holding several chosen files when no chosen
 * file of another format shares that folder and extension (and, with `folderFiles`, the glob would match exactly the
 * chosen files), otherwise one line per file.
 */
export function platePatterns(plates: readonly ScaffoldPlate[], folderFiles?: Record<string, string[]>): { pattern: string; format: Plate['format']; files: number }[] {
  const groups = new Map<string, ScaffoldPlate[]>();
  for (const p of plates) {
    const { dir, ext } = splitPath(p.path);
    const k = `${dir}\u0000${ext}\u0000${p.plate.format}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  const perFolder = new Map<string, number>(); // chosen files per folder and extension, whatever their format
  for (const p of plates) { const { dir, ext } = splitPath(p.path); perFolder.set(dir + '\u0000' + ext, (perFolder.get(dir + '\u0000' + ext) ?? 0) + 1); }
  const out: { pattern: string; format: Plate['format']; files: number }[] = [];
  for (const g of groups.values()) {
    const { dir, ext } = splitPath(g[0].path);
    const chosen = new Set(g.map((p) => p.path));
    const listed = folderFiles?.[dir.replace(/\/$/, '')]?.filter((f) => splitPath(f).ext === ext && splitPath(f).dir === dir);
    const exact = perFolder.get(dir + '\u0000' + ext) === g.length && (!listed || (listed.length === chosen.size && listed.every((f) => chosen.has(f))));
    const globSafe = !/[*?[\]{}]/.test(dir + ext);
    if (g.length > 1 && exact && ext && globSafe) out.push({ pattern: `${dir}*${ext}`, format: g[0].plate.format, files: g.length });
    else for (const p of g) out.push({ pattern: p.path, format: p.plate.format, files: 1 });
  }
  return out;
}

/** The distinct sample names of sample wells (unknowns and file-marked references), in order of appearance. */
export function sampleNames(plates: readonly Plate[]): string[] {
  const seen = new Set<string>();
  for (const p of plates) for (const w of p.wells) if (isSampleWell(w.task) && w.sample.trim()) seen.add(w.sample.trim());
  return [...seen];
}

/** The targets of sample wells, in order of appearance. */
export function sampleTargets(plates: readonly Plate[]): string[] {
  const seen = new Set<string>();
  for (const p of plates) for (const w of p.wells) if (isSampleWell(w.task) && w.target) seen.add(w.target);
  return [...seen];
}

/** The median number of sample wells per plate × sample × target (the technical replicates). */
export function typicalReplicates(plates: readonly Plate[]): number {
  const n = new Map<string, number>();
  for (const p of plates) for (const w of p.wells) if (isSampleWell(w.task)) {
    const k = `${p.file}\u0000${w.sample}\u0000${w.target}`;
    n.set(k, (n.get(k) ?? 0) + 1);
  }
  const c = [...n.values()].sort((a, b) => a - b);
  return c.length ? c[Math.floor(c.length / 2)] : 1;
}

/** Standard wells with a quantity: the plates carry standard curves. */
export function hasStandards(plates: readonly Plate[]): boolean {
  return plates.some((p) => p.wells.some((w) => w.task === 'standard' && typeof w.quantity === 'number'));
}

/**
 * Names that split at their last `-`, `_` or `.` into a subject part and a level part with few values (2 to 8, and
 * at most half as many as the subjects), for at least 90% of the names.
 */
export function splitNames(names: readonly string[]): { sep: string; subjects: string[]; levels: string[]; matched: number } | null {
  for (const sep of ['-', '_', '.']) {
    const parts = names.map((n) => { const i = n.lastIndexOf(sep); return i > 0 && i < n.length - 1 ? [n.slice(0, i), n.slice(i + 1)] : null; });
    const ok = parts.filter((p): p is string[] => p !== null);
    if (ok.length < 4 || ok.length < 0.9 * names.length) continue;
    const subjects = [...new Set(ok.map((p) => p[0]))], levels = [...new Set(ok.map((p) => p[1]))];
    if (levels.length >= 2 && levels.length <= 8 && subjects.length >= 2 * levels.length) return { sep, subjects, levels, matched: ok.length };
  }
  return null;
}

const SPIKE_IN = /^(cel|ath|osa)-?mir-?\d+/i;
const SMALL_RNA_REFERENCE = /^(hsa-)?(u6|rnu6-?\d*b?|rnu44|rnu48|rnu43|snord\d+|5s( rrna)?|mir-16(-5p)?|mir-103a?(-3p)?|mir-191(-5p)?)$/i;
const MRNA_REFERENCE = /^(gapdh|actb|b2m|18s( rrna)?|rplp0|hprt1?|tbp|ppia|ywhaz|ubc|sdha|hmbs|gusb|rpl13a|pgk1|tubb)$/i;

export interface ReferenceGuess { references: string[]; why: string }

/** The likely reference genes: marked by the file, a spike-in, known normalisers, else the most stable by geNorm. */
export function guessReferences(plates: readonly Plate[], targets: readonly string[]): ReferenceGuess {
  const marked = targets.filter((t) => plates.some((p) => p.wells.some((w) => w.task === 'reference' && w.target === t)));
  if (marked.length && marked.length < targets.length) return { references: marked, why: 'marked as endogenous control in the file' };
  const spike = targets.filter((t) => SPIKE_IN.test(t));
  if (spike.length && spike.length < targets.length) return { references: spike.slice(0, 1), why: 'a synthetic spike-in (cel-miR-39 style): normalises extraction and RT' };
  const known = targets.filter((t) => SMALL_RNA_REFERENCE.test(t) || MRNA_REFERENCE.test(t));
  if (known.length && known.length < targets.length) {
    if (known.length < 3) return { references: known, why: known.length > 1 ? 'commonly used reference genes (their mean Cq)' : 'a commonly used reference gene' };
    const best = genormBest(plates, known);
    if (best) return { references: best.pair, why: `the most stable pair of the usual reference genes by geNorm (M ${best.m.toFixed(3)})` };
    return { references: known, why: 'commonly used reference genes (their mean Cq)' };
  }
  if (targets.length >= 3) {
    const best = genormBest(plates, targets);
    if (best) return { references: [best.single], why: `no usual reference gene among the targets: the most stable target by geNorm (M ${best.singleM.toFixed(3)} of ${targets.length}); a guess, check it` };
  }
  return { references: targets.slice(0, 1), why: 'no usual reference gene among the targets: the first target, a placeholder to replace' };
}

/** geNorm on the samples' mean Cqs: the final pair, and of it the gene with the lower M among all candidates. */
function genormBest(plates: readonly Plate[], genes: readonly string[]): { pair: string[]; m: number; single: string; singleM: number } | null {
  const expr = computeExpression([...plates], { references: [], targets: [...genes], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' } });
  const { matrix } = quantityMatrix(expr.samples, [...genes]);
  if (matrix.samples.length < 3) return null;
  try {
    const g = genorm(matrix);
    if (!g.lastPair) return null;
    const pair = [...g.lastPair.targets];
    const ms = g.m.filter((x) => pair.includes(x.target));
    return { pair, m: g.lastPair.m, single: ms[0].target, singleM: ms[0].m };
  } catch {
    return null;
  }
}

/** The column of `table` holding the most of `values` (at least half of them), with the count. */
export function bestKeyColumn(table: LoadedTable, values: readonly string[], only?: (name: string) => boolean): { column: string; matched: number } | null {
  let best: { column: string; matched: number } | null = null;
  for (const c of table.columns) {
    if (only && !only(c.name)) continue;
    const cells = new Set(table.rows.map((r) => r[c.name]).filter((v) => v !== null).map(String));
    const matched = values.filter((v) => cells.has(v)).length;
    if (matched > 0 && (!best || matched > best.matched)) best = { column: c.name, matched };
  }
  return best && best.matched * 2 >= values.length ? best : null;
}

const CONTROL_LEVEL = /^(control|controls|ctrl|healthy|healthy control|normal|untreated|vehicle|mock|calibrator|reference)$/i;

/**
 * A categorical column of the sample sheet with a control-like level (`group == "control"`, `treatment ==
 * "untreated"`) held by samples on the plates (`key` column values in `samples`).
 */
export function controlLevel(table: LoadedTable, skip: ReadonlySet<string>, key: string, samples: ReadonlySet<string>): { field: string; level: string } | null {
  const onPlates = table.rows.filter((r) => r[key] !== null && samples.has(String(r[key])));
  for (const c of table.columns) {
    if (skip.has(c.name) || c.type !== 'categorical') continue;
    const level = (c.levels ?? []).find((l) => CONTROL_LEVEL.test(l) && onPlates.some((r) => r[c.name] === l));
    if (level) return { field: c.name, level };
  }
  return null;
}
