/** The only place where engine plain data (0-based ranges, EngineDiagnostic, EngineFix) becomes `vscode` types. */
import * as vscode from 'vscode';
import type { EngineDiagnostic, EngineFix, Range, Severity } from '../engine/common/diagnostic';

export const DIAGNOSTIC_SOURCE = 'qPCR';

export function toVsRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toVsSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'info': return vscode.DiagnosticSeverity.Information;
    case 'hint': return vscode.DiagnosticSeverity.Hint;
  }
}

/** An engine diagnostic as a `vscode.Diagnostic` (code = engine code, source = 'qPCR'). */
export function toVsDiagnostic(d: EngineDiagnostic, doc?: vscode.TextDocument): vscode.Diagnostic {
  let range = toVsRange(d.range);
  if (doc) range = doc.validateRange(range);
  const diag = new vscode.Diagnostic(range, d.message, toVsSeverity(d.severity));
  diag.code = d.code;
  diag.source = DIAGNOSTIC_SOURCE;
  return diag;
}

/** An engine fix as one WorkspaceEdit on `uri` (the replacements are applied together, one undo step). */
export function fixToWorkspaceEdit(uri: vscode.Uri, fix: EngineFix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(uri, toVsRange(e.range), e.newText);
  return edit;
}

/** Stable identity of a diagnostic, used to find its engine fixes again from a CodeAction request. */
export function diagnosticKey(code: string | number | undefined, message: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  return `${String(code)}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${message}`;
}
