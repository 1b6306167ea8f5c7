/**
 * QuantStudio/ViiA 7 classic text exports: the `[Amplification Data]` section (Well, Cycle, Target Name, Rn,
 * Delta Rn) and the `[Melt Curve Raw Data]` section (Well, Well Position, Reading, Temperature, Fluorescence,
 * Derivative) into the curve store.
 *
 * Rows are matched to the plate's reactions by the `Well` number of the [Results] row each reaction was read from
 * (the file's own numbering, no geometry needed) and the target name; a melt row without a Target Name column belongs
 * to every reaction of its well. Rows without any value (empty wells) are passed over. Read-only: the text is not
 * changed. Unparseable cells and rows naming a well that is not in [Results] are skipped with located warnings (the
 * first few one by one, then a count).
 */
import { CurveBuilder, type AmpReadout, type MeltReadout, type PlateCurves } from '../curves/store';
import { diag, findCol, headerNames, isBlankLine, rng, type ImportContext } from './table';
import { parseLocaleNumber, splitCells } from './text';

const MAX_WARNINGS = 5;

/** The sections of the file (name as written, trimmed, and line) that hold curves. */
export interface CurveSections { amplification?: number; melt?: number }

/** Section line → curve kind, for the section scan of the QuantStudio importer. */
export function curveSection(name: string): keyof CurveSections | null {
  const n = name.toLowerCase();
  return n === '[amplification data]' ? 'amplification' : n === '[melt curve raw data]' ? 'melt' : null;
}

/** Reaction indexes by `Well` number of their [Results] row and target. */
function reactionIndex(ctx: ImportContext, wellNoCol: number): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (let i = 0; i < ctx.wells.length; i++) {
    const w = ctx.wells.at(i);
    const v = splitCells(ctx.lines.line(w.line), ctx.delim).values[wellNoCol];
    const n = v === undefined ? NaN : parseLocaleNumber(v, '.');
    if (!Number.isInteger(n)) continue;
    for (const k of [`${n}`, `${n}\u0000${w.target}`]) {
      const list = m.get(k);
      if (list) list.push(w.index); else m.set(k, [w.index]);
    }
  }
  return m;
}

interface SectionSpec<R extends string> {
  kind: 'amplification' | 'melt';
  x: string[];
  /** Header names of each readout, in the table's readout order (a readout whose column is absent is left out). */
  y: [R, string[]][];
}

const AMP: SectionSpec<AmpReadout> = { kind: 'amplification', x: ['cycle'], y: [['rn', ['rn']], ['deltaRn', ['delta rn', '\u0394rn', 'drn']]] };
const MELT: SectionSpec<MeltReadout> = { kind: 'melt', x: ['temperature'], y: [['fluor', ['fluorescence']], ['derivative', ['derivative']]] };

/** Reads one section into the builder; returns the number of rows skipped. */
function readSection<R extends string>(
  ctx: ImportContext, at: number, spec: SectionSpec<R>, add: (readouts: R[]) => { add(w: number, x: number, ys: number[]): void },
  reactions: Map<string, number[]>, warn: (line: number, s: number, e: number, msg: string) => void,
): void {
  const { lines } = ctx;
  let h = at + 1;
  while (h < lines.length && lines.line(h).trim() === '') h++;
  if (h >= lines.length || lines.line(h).charCodeAt(0) === 91) return; // header-less, empty section
  const norm = headerNames(splitCells(lines.line(h), '\t'));
  const well = findCol(norm, ['well']), x = findCol(norm, spec.x), target = findCol(norm, ['target name', 'target']);
  const ys = spec.y.map(([r, names]) => [r, findCol(norm, names)] as const).filter((p): p is readonly [R, number] => p[1] !== undefined);
  if (well === undefined || x === undefined || ys.length === 0) {
    warn(h, 0, lines.line(h).length, `The ${lines.line(at).trim()} header lacks a Well, ${spec.x[0]} or value column; the section was not read.`);
    return;
  }
  const table = add(ys.map((p) => p[0]));
  for (let i = h + 1; i < lines.length; i++) {
    const l = lines.line(i);
    if (l.charCodeAt(0) === 91) break;
    if (isBlankLine(l, '\t')) continue;
    const c = splitCells(l, '\t');
    const num = (k: number) => parseLocaleNumber(c.values[k] ?? '', ctx.decimal);
    if (ys.every((p) => (c.values[p[1]] ?? '').trim() === '')) continue; // an empty well: no values written
    const wn = num(well);
    const key = target !== undefined ? `${wn}\u0000${(c.values[target] ?? '').trim()}` : `${wn}`;
    const into = reactions.get(key);
    if (!into) {
      warn(i, c.starts[well] ?? 0, c.ends[target ?? well] ?? l.length, `${spec.kind === 'melt' ? 'Melt' : 'Amplification'} row for well ${(c.values[well] ?? '').trim()}${target !== undefined ? `, target ${(c.values[target] ?? '').trim()}` : ''}: no such reaction in [Results]; skipped.`);
      continue;
    }
    const xv = num(x), yv = ys.map((p) => num(p[1]));
    const badCol = !Number.isFinite(xv) ? x : ys.find((p, j) => !Number.isFinite(yv[j]) && (c.values[p[1]] ?? '').trim() !== '')?.[1];
    if (badCol !== undefined || yv.every((v) => !Number.isFinite(v))) {
      const k = badCol ?? ys[0][1];
      warn(i, c.starts[k] ?? 0, c.ends[k] ?? l.length, `"${(c.values[k] ?? '').trim().slice(0, 40)}" in column ${norm[k] ?? k + 1} is not a number; the ${spec.kind} point was skipped.`);
      continue;
    }
    for (const w of into) table.add(w, xv, yv);
  }
}

/** The curves of a QuantStudio export whose wells were read from [Results] with `Well` numbers in column `wellNoCol`. */
export function quantStudioCurves(ctx: ImportContext, sections: CurveSections, wellNoCol: number | undefined): PlateCurves | undefined {
  if (sections.amplification === undefined && sections.melt === undefined) return undefined;
  if (wellNoCol === undefined) {
    const at = (sections.amplification ?? sections.melt)!;
    diag(ctx, 'curves-unmatched', 'warning', 'The [Results] table has no Well column, so the amplification/melt rows cannot be matched to its reactions; they were not read.', rng(at, 0, ctx.lines.line(at).length));
    return undefined;
  }
  const reactions = reactionIndex(ctx, wellNoCol);
  const b = new CurveBuilder();
  let warnings = 0, firstSkipped = -1;
  const warn = (line: number, s: number, e: number, msg: string) => {
    if (++warnings <= MAX_WARNINGS) diag(ctx, 'curve-row', 'warning', msg, rng(line, s, e));
    else if (firstSkipped < 0) firstSkipped = line;
  };
  if (sections.amplification !== undefined) readSection(ctx, sections.amplification, AMP, (r) => b.amplification(r), reactions, warn);
  if (sections.melt !== undefined) readSection(ctx, sections.melt, MELT, (r) => b.melt(r), reactions, warn);
  if (warnings > MAX_WARNINGS) {
    diag(ctx, 'curve-row', 'warning', `${warnings - MAX_WARNINGS} more amplification/melt rows were skipped (from this line on).`, rng(firstSkipped, 0, ctx.lines.line(firstSkipped).length));
  }
  return b.build();
}
