/**
 * Problems for open Cq exports: the `qpcr` DiagnosticCollection (import + QC findings) and the quick fixes
 * the engine offers for them. Only csv/txt/tsv documents that import as a plate get diagnostics.
 */
import * as vscode from 'vscode';
import type { EngineDiagnostic, EngineFix } from '../engine/common/diagnostic';
import { analysePlate } from './plateAnalysis';
import { DIAGNOSTIC_SOURCE, diagnosticKey, fixToWorkspaceEdit, toVsDiagnostic } from './convert';
import { KeyedDebouncer } from './debounce';
import { Disposable } from './dispose';
import { affectsQc, qcSettings } from './settings';

const DELAY_MS = 250;

/** True for documents that may be Cq exports (by extension; the import decides the rest). */
export function isCandidateCqDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme === 'output' || doc.uri.scheme === 'git' || doc.uri.scheme === 'vscode-userdata') return false;
  return /\.(csv|txt|tsv)$/i.test(doc.uri.path);
}

export class PlateDiagnostics extends Disposable implements vscode.CodeActionProvider {
  public static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  private readonly _collection = this._register(vscode.languages.createDiagnosticCollection('qpcr'));
  private readonly _debouncer = new KeyedDebouncer(DELAY_MS);
  /** Engine fixes per document, keyed by the diagnostic's code/range/message. */
  private readonly _fixes = new Map<string, Map<string, EngineFix[]>>();

  public static register(): vscode.Disposable {
    const d = new PlateDiagnostics();
    return vscode.Disposable.from(
      d,
      vscode.languages.registerCodeActionsProvider(
        { pattern: '**/*.{csv,txt,tsv,CSV,TXT,TSV}' },
        d, { providedCodeActionKinds: PlateDiagnostics.providedCodeActionKinds }),
    );
  }

  private constructor() {
    super();
    this._register({ dispose: () => this._debouncer.dispose() });
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => this._schedule(doc)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) this._schedule(e.document); }));
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => this._clear(doc.uri)));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsQc(e)) for (const doc of vscode.workspace.textDocuments) this._schedule(doc);
    }));
    // Documents already open when the extension activated; scheduled, so activation does no parsing.
    for (const doc of vscode.workspace.textDocuments) this._schedule(doc);
  }

  private _schedule(doc: vscode.TextDocument): void {
    if (!isCandidateCqDocument(doc)) return;
    const key = doc.uri.toString();
    this._debouncer.schedule(key, () => {
      if (doc.isClosed) return;
      this._update(doc);
    });
  }

  private _clear(uri: vscode.Uri): void {
    const key = uri.toString();
    this._debouncer.cancel(key);
    this._collection.delete(uri);
    this._fixes.delete(key);
  }

  private _update(doc: vscode.TextDocument): void {
    const result = analysePlate(doc.getText(), doc.fileName, qcSettings(doc.uri));
    if (!result.plate) {
      // Not a Cq export (or not one we know): stay silent rather than flag every CSV in the workspace.
      this._clear(doc.uri);
      return;
    }
    const fixes = new Map<string, EngineFix[]>();
    const diags = result.diagnostics.map((d: EngineDiagnostic) => {
      const vd = toVsDiagnostic(d, doc);
      if (d.fixes?.length) fixes.set(diagnosticKey(vd.code as string, vd.message, vd.range), d.fixes);
      return vd;
    });
    this._collection.set(doc.uri, diags);
    this._fixes.set(doc.uri.toString(), fixes);
  }

  /** Called by VS Code for the lightbulb / Ctrl+. : the engine's certain fixes for the qPCR diagnostics in range. */
  public provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const fixes = this._fixes.get(doc.uri.toString());
    if (!fixes) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diag of context.diagnostics) {
      if (diag.source !== DIAGNOSTIC_SOURCE) continue;
      const code = typeof diag.code === 'object' ? diag.code.value : diag.code;
      const list = fixes.get(diagnosticKey(code as string, diag.message, diag.range));
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
