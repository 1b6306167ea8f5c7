/**
 * Quick fixes for our diagnostics: the engine's certain EngineFixes, remembered per document when the
 * diagnostics are published, offered back as CodeActions (kind QuickFix; preferred when it is the only one).
 */
import * as vscode from 'vscode';
import { STUDY_LANGUAGE_ID } from './contributions';
import type { EngineFix } from '../engine/common/diagnostic';
import { DIAGNOSTIC_SOURCE, diagnosticKey, fixToWorkspaceEdit } from './convert';

export class EngineQuickFixes implements vscode.CodeActionProvider {
  public static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly _fixes = new Map<string, Map<string, EngineFix[]>>();

  /** Registers the provider for Cq exports and .qstudy files. */
  public register(): vscode.Disposable {
    return vscode.languages.registerCodeActionsProvider(
      [{ pattern: '**/*.{csv,txt,tsv,CSV,TXT,TSV}' }, { language: STUDY_LANGUAGE_ID }],
      this, { providedCodeActionKinds: EngineQuickFixes.providedCodeActionKinds });
  }

  /** Remembers the fixes of the diagnostics just published for `uri` (replacing earlier ones). */
  public set(uri: vscode.Uri, entries: Iterable<[vscode.Diagnostic, EngineFix[] | undefined]>): void {
    const m = new Map<string, EngineFix[]>();
    for (const [d, fixes] of entries) if (fixes?.length) m.set(diagnosticKey(codeOf(d), d.message, d.range), fixes);
    if (m.size) this._fixes.set(uri.toString(), m);
    else this._fixes.delete(uri.toString());
  }

  public delete(uri: vscode.Uri): void {
    this._fixes.delete(uri.toString());
  }

  /** Called by VS Code for the lightbulb / Ctrl+. : the engine's fixes for our diagnostics in the range. */
  public provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const fixes = this._fixes.get(doc.uri.toString());
    if (!fixes) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diag of context.diagnostics) {
      if (diag.source !== DIAGNOSTIC_SOURCE) continue;
      const list = fixes.get(diagnosticKey(codeOf(diag), diag.message, diag.range));
      if (!list) continue;
      for (const fix of list) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = fixToWorkspaceEdit(doc.uri, fix);
        action.diagnostics = [diag];
        action.isPreferred = list.length === 1;
        actions.push(action);
      }
    }
    return actions;
  }
}

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}
