/**
 * Problems for open Cq exports: the `qpcr` DiagnosticCollection (import, QC, standard-curve and replicate-outlier
 * findings) and the quick fixes the engine offers for them. Only csv/txt/tsv documents that import as a plate get
 * diagnostics.
 */
import * as vscode from 'vscode';
import type { EngineDiagnostic } from '../engine/common/diagnostic';
import { analysePlate } from './plateAnalysis';
import { toVsDiagnostic } from './convert';
import { KeyedDebouncer } from './debounce';
import { Disposable } from './dispose';
import type { EngineQuickFixes } from './quickFixes';
import { affectsPlateAnalysis, outlierSettings, qcSettings } from './settings';

const DELAY_MS = 250;

/** True for documents that may be Cq exports (by extension; the import decides the rest). */
export function isCandidateCqDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme === 'output' || doc.uri.scheme === 'git' || doc.uri.scheme === 'vscode-userdata') return false;
  return /\.(csv|txt|tsv)$/i.test(doc.uri.path);
}

export class PlateDiagnostics extends Disposable {
  private readonly _collection = this._register(vscode.languages.createDiagnosticCollection('qpcr'));
  private readonly _debouncer = new KeyedDebouncer(DELAY_MS);
  public static register(fixes: EngineQuickFixes): vscode.Disposable {
    return new PlateDiagnostics(fixes);
  }

  private constructor(private readonly _fixes: EngineQuickFixes) {
    super();
    this._register({ dispose: () => this._debouncer.dispose() });
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => this._schedule(doc)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) this._schedule(e.document); }));
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => this._clear(doc.uri)));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsPlateAnalysis(e)) for (const doc of vscode.workspace.textDocuments) this._schedule(doc);
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
    this._fixes.delete(uri);
  }

  private _update(doc: vscode.TextDocument): void {
    const result = analysePlate(doc.getText(), doc.fileName, qcSettings(doc.uri), { outliers: outlierSettings(doc.uri) });
    if (!result.plate) {
      // Not a Cq export (or not one we know): stay silent rather than flag every CSV in the workspace.
      this._clear(doc.uri);
      return;
    }
    const pairs = result.diagnostics.map((d: EngineDiagnostic): [vscode.Diagnostic, EngineDiagnostic['fixes']] => [toVsDiagnostic(d, doc), d.fixes]);
    this._collection.set(doc.uri, pairs.map(([vd]) => vd));
    this._fixes.set(doc.uri, pairs);
  }
}
