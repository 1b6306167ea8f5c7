/**
 * The QC rule interface. A rule sees every well once, in order, during runQc's single pass over the plate (`visit`:
 * take what the rule needs into its own lists or typed arrays), then appends its findings in well order (`finish`).
 * runQc concatenates the rules' findings in the order of QC_RULES. To add a rule: one file in ./rules exporting a class
 * (`QcRuleClass`), listed in QC_RULES (./index.ts). Classes, not closures: their methods are compiled once and
 * stay optimised across calls.
 *
 * The pass hands the wells to the rules in blocks (wells from, from + 1, ..., consecutive, in order): every rule reads
 * a block while it is still in the CPU cache, so the plate is read from memory once, and each rule's loop is its own
 * code (one call per rule and block, not per well). A block's wells are read from the plate's `WellSource`
 * (plate/wellSource.ts): a text import's are views made for the block, so a rule compares wells by `index`, never by
 * identity, and reads other wells through `ctx.wells`.
 */
import type { EngineDiagnostic, EngineFix, Range, Severity } from '../common/diagnostic';
import type { Plate, QcSettings, Well } from '../plate/model';
import { Lines } from '../plate/text';
import { wellSource, type WellSource } from '../plate/wellSource';

export interface QcRule {
  /** Called for consecutive blocks of wells, in order: `block[j]` is well `from + j`. */
  visit(block: readonly Well[], from: number): void;
  /** Appends the rule's findings (after the pass). */
  finish(out: EngineDiagnostic[]): void;
}

/** What a rule gets: the plate, the settings, and helpers shared by the rules. */
export interface QcContext {
  plate: Plate;
  /** The plate's wells (`wellSource(plate)`): read them here, not through `plate.wells` (which makes them all). */
  wells: WellSource;
  settings: QcSettings;
  /** The document's text, when given: fixes are offered only where their range checks against it. */
  text: string | undefined;
  /** A finding in this plate's file, about `wells` when given. */
  diag(code: string, severity: Severity, message: string, range: Range | undefined, fixes?: EngineFix[], wells?: readonly Well[]): EngineDiagnostic;
  /** Slice of the document covered by a single-line range; null when it cannot be checked (no text, several lines). */
  textAt(r: Range): string | null;
}

/** A rule module exports a class: one instance per runQc call (its fields are that call's state). */
export type QcRuleClass = new (ctx: QcContext) => QcRule;

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function makeContext(plate: Plate, settings: QcSettings, text: string | undefined): QcContext {
  // The document's lines are only needed to check a few fix ranges: found lazily, as offsets (a 1M-line text
  // otherwise costs an array of 1M strings).
  let split: Lines | null | undefined;
  const docLines = (): Lines | null => {
    if (split === undefined) split = text !== undefined ? Lines.of(text.replace(/^\uFEFF/, '')) : null;
    return split;
  };
  const file = plate.file;
  return {
    plate,
    wells: wellSource(plate),
    settings,
    text,
    diag(code, severity, message, range, fixes, wells) {
      const d: EngineDiagnostic = { code, severity, message, file, range: range ?? ZERO };
      if (fixes && fixes.length) d.fixes = fixes;
      if (wells && wells.length) d.wells = wells.map((w) => w.index);
      return d;
    },
    textAt(r) {
      const lines = docLines();
      if (!lines || r.start.line !== r.end.line || r.start.line >= lines.length) return null;
      return lines.line(r.start.line).slice(r.start.character, r.end.character);
    },
  };
}

/** How a finding names a well: its position, else its line. */
export function label(w: Well): string {
  return w.position ?? `line ${w.line + 1}`;
}

/** A Cq or threshold in a message: integers as they are, others with 2 decimals. */
export function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

export const cqRange = (w: Well): Range | undefined => w.ranges.cq ?? w.ranges.row;
export const posRange = (w: Well): Range | undefined => w.ranges.position ?? w.ranges.row;

export { append } from '../../shared/append';
