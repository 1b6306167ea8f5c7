/**
 * Problems for open Cq exports: the `qpcr` DiagnosticCollection (import, QC, standard-curve and replicate-outlier
 * findings) and the quick fixes the engine offers for them. Only csv/txt/tsv documents that import as a plate get
 * diagnostics. The import runs in an engine worker (src/host/worker): a document that cannot be read within its
 * limits gets one error on its first line; an edit cancels the import of the previous version. Crowded findings
 * (a high-throughput file's one warning per well) arrive folded per replicate group or per code (src/engine/qc/fold.ts,
 * applied in the worker so only the folded list crosses over); the status bar counts them unfolded.
 */
import * as vscode from 'vscode';
import type { EngineDiagnostic } from '../engine/common/diagnostic';
import { isCandidateCqDocument } from './contributions';
import { toVsDiagnostic } from './convert';
import { KeyedDebouncer } from './debounce';
import { Disposable } from './dispose';
import type { PlateStatusBar } from './plateStatusBar';
import type { EngineQuickFixes } from './quickFixes';
import { affectsPlateAnalysis, outlierSettings, qcSettings } from './settings';
import type { PlateTaskArgs, PlateTaskResult } from './worker/engineTasks';
import { isCancelledTask, limitDiagnostic, runEngineTask } from './worker/engineHost';

const DELAY_MS = 250;

export class PlateDiagnostics extends Disposable {
  private readonly _collection = this._register(vscode.languages.createDiagnosticCollection('qpcr'));
  private readonly _debouncer = new KeyedDebouncer(DELAY_MS);
  /** The running import of each document (cancelled by the next one, or when the document closes). */
  private readonly _running = new Map<string, vscode.CancellationTokenSource>();
  /** `status`: told each plate's format, wells and findings (the status bar item on plate files). */
  public static register(fixes: EngineQuickFixes, status?: PlateStatusBar): vscode.Disposable {
    return new PlateDiagnostics(fixes, status);
  }

  private constructor(private readonly _fixes: EngineQuickFixes, private readonly _status?: PlateStatusBar) {
    super();
    this._register({ dispose: () => this._debouncer.dispose() });
    this._register({ dispose: () => { for (const c of this._running.values()) c.cancel(); this._running.clear(); } });
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
      void this._update(doc);
    });
  }

  private _clear(uri: vscode.Uri): void {
    const key = uri.toString();
    this._debouncer.cancel(key);
    this._cancel(key);
    this._collection.delete(uri);
    this._fixes.delete(uri);
    this._status?.set(uri, undefined);
  }

  private _cancel(key: string): void {
    this._running.get(key)?.cancel();
    this._running.delete(key);
  }

  private async _update(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    this._cancel(key);
    const cts = new vscode.CancellationTokenSource();
    this._running.set(key, cts);
    const args: PlateTaskArgs = { source: { text: doc.getText() }, fileName: doc.fileName, qc: qcSettings(doc.uri), options: { outliers: outlierSettings(doc.uri) }, fold: {} };
    let diagnostics: EngineDiagnostic[];
    let summary: PlateTaskResult['summary'];
    let findings: number | undefined;
    try {
      const result = await runEngineTask<PlateTaskResult>('plate', args, 'check', doc.uri, { token: cts.token });
      if (!result.recognised) {
        // Not a Cq export (or not one we know): stay silent rather than flag every CSV in the workspace.
        this._clear(doc.uri);
        return;
      }
      diagnostics = result.diagnostics;
      summary = result.summary;
      findings = result.findings;
    } catch (e) {
      if (isCancelledTask(e)) return;
      diagnostics = [limitDiagnostic('This file', e, 'check')];
    } finally {
      if (this._running.get(key) === cts) this._running.delete(key);
      cts.dispose();
    }
    if (doc.isClosed) return;
    const pairs = diagnostics.map((d: EngineDiagnostic): [vscode.Diagnostic, EngineDiagnostic['fixes']] => [toVsDiagnostic(d, doc), d.fixes]);
    this._collection.set(doc.uri, pairs.map(([vd]) => vd));
    this._fixes.set(doc.uri, pairs);
    this._status?.set(doc.uri, summary && { ...summary, findings: findings ?? diagnostics.length });
  }
}
