/**
 * Folding of a plate's findings for the Problems panel: a high-throughput file (BioMark 48.48/96.96, OpenArray)
 * can give one warning per well (1,670 on a 2,304-reaction BioMark export), which no one reads one by one. When the
 * foldable findings of one code exceed `threshold` in a document, they are published one per replicate group
 * (sample × target), at the group's first finding, naming the other wells; when even the groups of that code exceed
 * the threshold, one per code at its first finding, with the count. Errors are never folded. Pure (no `vscode`).
 */
import type { EngineDiagnostic } from '../common/diagnostic';

/** What folding needs of a well: the line its row is on, its replicate group and how findings name it. */
export interface FoldWell {
  line: number;
  sample: string;
  target: string;
  position: string | null;
}

export interface FoldOptions {
  /** Findings of one code (then groups of one code) above this number are folded. */
  threshold?: number;
  /** Wells named in a group's message (the rest are counted). */
  maxListed?: number;
}

export const FOLD_THRESHOLD = 50;
const MAX_LISTED = 10;

const isFoldable = (d: EngineDiagnostic): boolean => d.severity !== 'error';
const count = (n: number): string => n.toLocaleString('en-US');

/** Wells read by index: an array, or a plate's `wellSource` (both have `length` and `at`). */
export interface FoldWells { readonly length: number; at(i: number): FoldWell | undefined }

/** The findings with those of the crowded codes folded; order kept (a folded finding sits where its first was). */
export function foldDiagnostics(diags: readonly EngineDiagnostic[], wells: FoldWells, options: FoldOptions = {}): EngineDiagnostic[] {
  const threshold = options.threshold ?? FOLD_THRESHOLD;
  const perCode = new Map<string, number>();
  for (const d of diags) if (isFoldable(d)) perCode.set(d.code, (perCode.get(d.code) ?? 0) + 1);
  const crowded = new Set([...perCode].filter(([, n]) => n > threshold).map(([code]) => code));
  if (crowded.size === 0) return [...diags];

  // The wells are read only here, when something is folded (a plate's `wellSource`: no view per well otherwise).
  const byLine = new Map<number, FoldWell>();
  for (let i = 0; i < wells.length; i++) { const w = wells.at(i)!; if (!byLine.has(w.line)) byLine.set(w.line, w); }
  // The key of each crowded finding: its code and replicate group (a finding on no well is a group of its own).
  const keyOf = new Map<EngineDiagnostic, string>();
  const groups = new Map<string, EngineDiagnostic[]>();
  diags.forEach((d, i) => {
    if (!isFoldable(d) || !crowded.has(d.code)) return;
    const w = byLine.get(d.range.start.line);
    const key = w ? `${d.code}\u0000${w.sample}\u0000${w.target}` : `${d.code}\u0000#${i}`;
    keyOf.set(d, key);
    const list = groups.get(key);
    if (list) list.push(d); else groups.set(key, [d]);
  });
  const groupsPerCode = new Map<string, number>();
  for (const key of groups.keys()) {
    const code = key.slice(0, key.indexOf('\u0000'));
    groupsPerCode.set(code, (groupsPerCode.get(code) ?? 0) + 1);
  }

  const out: EngineDiagnostic[] = [];
  const emitted = new Set<string>();
  for (const d of diags) {
    const key = keyOf.get(d);
    if (key === undefined) { out.push(d); continue; }
    const perCodeFold = (groupsPerCode.get(d.code) ?? 0) > threshold;
    const outKey = perCodeFold ? d.code : key;
    if (emitted.has(outKey)) continue;
    emitted.add(outKey);
    if (perCodeFold) out.push(foldCode(d, perCode.get(d.code) ?? 1));
    else out.push(foldGroup(groups.get(key) ?? [d], byLine, options.maxListed ?? MAX_LISTED));
  }
  return out;
}

/** The first finding's fixes survive folding only when there is exactly one (certain, unambiguous) fix. */
function withFirstFix(first: EngineDiagnostic, message: string): EngineDiagnostic {
  const { fixes, ...rest } = first;
  return fixes && fixes.length === 1 ? { ...rest, message, fixes } : { ...rest, message };
}

function foldGroup(list: readonly EngineDiagnostic[], byLine: ReadonlyMap<number, FoldWell>, maxListed: number): EngineDiagnostic {
  const [first, ...others] = list;
  if (others.length === 0) return first;
  const names = others.slice(0, maxListed).map((d) => wellName(d, byLine));
  const more = others.length > maxListed ? ', ...' : '';
  const wellsWord = others.length === 1 ? 'well' : 'wells';
  return withFirstFix(first, `${first.message} (and ${count(others.length)} more ${wellsWord} in this group: ${names.join(', ')}${more})`);
}

function foldCode(first: EngineDiagnostic, n: number): EngineDiagnostic {
  return withFirstFix(first, `${count(n)} wells [${first.code}], the first: ${first.message} See the plate editor's table for all of them.`);
}

function wellName(d: EngineDiagnostic, byLine: ReadonlyMap<number, FoldWell>): string {
  const w = byLine.get(d.range.start.line);
  return w?.position ?? `line ${d.range.start.line + 1}`;
}
