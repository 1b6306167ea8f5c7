/**
 * Locations and problems reported by the engine. Plain data, no `vscode` types: the host adapts these
 * into `vscode.Diagnostic`s, the CLI prints them as `file:line:col: message`.
 */

/** A position in a text file. Both numbers are 0-based (VS Code's convention); print them 1-based. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range [start, end) in a text file. */
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** One problem found by the engine (import, QC, study language, pipeline). */
export interface EngineDiagnostic {
  /** Stable machine-readable code, e.g. `cq-unparseable`, `qc-replicate-sd`, `study-unknown-column`. */
  code: string;
  severity: Severity;
  message: string;
  /** The file the range refers to (path or URI string as given to the engine); omitted when it is "the" document. */
  file?: string;
  range: Range;
  /** Optional fixes that are certain: each is a list of text replacements in `file`. */
  fixes?: EngineFix[];
  /**
   * The wells (indices into `Plate.wells`) a plate finding is about, when known. The plate editor attaches the finding
   * to them; without it, to the wells on the finding's lines (a format without source lines, RDML, has none).
   */
  wells?: number[];
}

/** A certain quick fix: replacements applied together as one undoable edit. */
export interface EngineFix {
  title: string;
  edits: { range: Range; newText: string }[];
}

/** Builds a range on one line. */
export function lineRange(line: number, startCol: number, endCol: number): Range {
  return { start: { line, character: startCol }, end: { line, character: endCol } };
}

/** `file:line:col: severity: message` with 1-based line and column, as compilers print it. */
export function formatDiagnostic(d: EngineDiagnostic, fallbackFile = '<input>'): string {
  const f = d.file ?? fallbackFile;
  return `${f}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}
