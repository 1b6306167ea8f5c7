/**
 * One plate editor panel: owns the webview's messages, re-parses its source on change (debounced)
 * and turns webview edits into minimal, undoable WorkspaceEdits applied one at a time.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Plate } from '../../engine/plate/model';
import type { PlateCurves } from '../../engine/curves/store';
import { cellEdit } from '../../engine/plate';
import { assertNever, type PlateHostMessage, type PlateWebviewMessage } from '../../shared/protocol';
import { LARGE_FILE_BYTES } from '../../engine/plate/stream';
import { fixToWorkspaceEdit } from '../convert';
import { Disposable } from '../dispose';
import { SerialQueue } from '../serialQueue';
import { affectsPlateAnalysis, outlierSettings, qcSettings } from '../settings';
import { buildWebviewHtml, webviewOptions } from '../webviewHtml';
import type { PlateTaskArgs, PlateTaskResult } from '../worker/engineTasks';
import { isCancelledTask, isLocalForEngine, limitMessage, runEngineTask } from '../worker/engineHost';
import { toCurvesView } from './plateView';

/** Where a session's bytes come from: a live TextDocument (editable) or a file read through workspace.fs. */
export type PlateSource =
  | { kind: 'text'; document: vscode.TextDocument }
  | { kind: 'file'; uri: vscode.Uri };

/** What the worker reads for a refresh. */
interface PlateSourceTask {
  source: PlateTaskArgs['source'];
  readonlyReason?: string;
  caveatsFrom?: PlateTaskArgs['caveatsFrom'];
  /** The saved version the caveats are computed for (cached until the next save). */
  caveatsKey?: string;
}

const REPARSE_DELAY_MS = 250;
/** Wells sent to the webview (the first ones); QC still covers the whole file. A 384-well plate is far below. */
const MAX_VIEW_WELLS = 20000;

export class PlateSession extends Disposable {
  private _plate: Plate | null = null;
  /** Document version of the state last sent (text sources). */
  private _postedVersion = -1;
  private _ready = false;
  private _applyingOwnEdit = false;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private readonly _edits = new SerialQueue();
  private _savedAt = 0;
  private _caveatKey = '';
  private _caveatList: string[] = [];
  private _running: vscode.CancellationTokenSource | undefined;
  /** The curves of the last import (sent only once the webview asked: the first paint does not carry them). */
  private _curves: PlateCurves | undefined;
  private _curvesWanted = false;

  constructor(
    private readonly _source: PlateSource,
    private readonly _panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
  ) {
    super();
    const webview = _panel.webview;
    webview.options = webviewOptions(extensionUri);
    webview.html = buildWebviewHtml(webview, extensionUri, {
      title: `Plate: ${path.basename(this._uri.path)}`,
      script: 'plate.js',
      styles: ['plate.css'],
    });
    this._register(webview.onDidReceiveMessage((m: PlateWebviewMessage) => this._onMessage(m)));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsPlateAnalysis(e)) void this._refresh();
    }));
    if (_source.kind === 'text') {
      this._register(vscode.workspace.onDidSaveTextDocument((d) => {
        if (d.uri.toString() !== _source.document.uri.toString()) return;
        this._savedAt++;
        this._scheduleRefresh();
      }));
      this._register(vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== _source.document.uri.toString() || e.contentChanges.length === 0) return;
        // Our own edit: the edit job re-parses and posts right after applyEdit, so skip the echo.
        if (this._applyingOwnEdit || e.document.version === this._postedVersion) return;
        this._scheduleRefresh();
      }));
    } else {
      const dir = vscode.Uri.joinPath(_source.uri, '..');
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, path.basename(_source.uri.path)));
      this._register(watcher);
      this._register(watcher.onDidChange(() => this._scheduleRefresh()));
      this._register(watcher.onDidCreate(() => this._scheduleRefresh()));
    }
    this._register({ dispose: () => this._timer !== undefined && clearTimeout(this._timer) });
    this._register(_panel.onDidDispose(() => this.dispose()));
  }

  private get _uri(): vscode.Uri {
    return this._source.kind === 'text' ? this._source.document.uri : this._source.uri;
  }

  private _post(message: PlateHostMessage): void {
    if (this._ready && !this.isDisposed) void this._panel.webview.postMessage(message);
  }

  private _onMessage(m: PlateWebviewMessage): void {
    switch (m.type) {
      case 'ready':
        // Hidden webviews are destroyed and re-created: every `ready` gets the full state again.
        this._ready = true;
        void this._refresh();
        return;
      case 'plate/omitWell':
        void this._edit(m.well, 'omit', m.omit ? 'true' : 'false');
        return;
      case 'plate/setCq':
        void this._edit(m.well, 'cq', m.value);
        return;
      case 'plate/revealLine':
        void this._reveal(m.line);
        return;
      case 'plate/curves':
        this._curvesWanted = true;
        this._postCurves();
        return;
      default:
        assertNever(m);
    }
  }

  private _scheduleRefresh(): void {
    if (this._timer !== undefined) clearTimeout(this._timer);
    this._timer = setTimeout(() => {
      this._timer = undefined;
      void this._refresh();
    }, REPARSE_DELAY_MS);
  }

  /**
   * Re-imports the source in an engine worker and sends the full state to the webview. A refresh still running when
   * the next one starts is cancelled; one that hits the worker's limits shows why instead of a plate.
   */
  private async _refresh(): Promise<void> {
    if (this.isDisposed) return;
    this._running?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this._running = cts;
    try {
      await this._refreshIn(cts.token);
    } finally {
      if (this._running === cts) this._running = undefined;
      cts.dispose();
    }
  }

  private async _refreshIn(token: vscode.CancellationToken): Promise<void> {
    const name = path.basename(this._uri.path);
    const fileName = this._source.kind === 'text' ? this._source.document.fileName : this._uri.fsPath || this._uri.path;
    const qc = qcSettings(this._uri);
    const version = this._source.kind === 'text' ? this._source.document.version : 0;
    let task: PlateSourceTask;
    try {
      task = this._source.kind === 'text' ? await this._textTask(this._source.document) : await this._fileTask(this._source.uri);
    } catch (e) {
      this._plate = null;
      this._post({ type: 'plate/state', state: null, error: { message: `Cannot read ${name}`, details: [String(e)] } });
      return;
    }
    const args: PlateTaskArgs = {
      source: task.source,
      fileName,
      qc,
      options: { outliers: outlierSettings(this._uri) },
      view: { fileName: name, version, readonly: this._source.kind !== 'text', qc: { replicateSd: qc.replicateSd, maxCq: qc.maxCq }, maxWells: MAX_VIEW_WELLS, readonlyReason: task.readonlyReason, caveats: this._caveatList },
      keepPlate: this._source.kind === 'text',
      ...(task.caveatsFrom ? { caveatsFrom: task.caveatsFrom } : {}),
    };
    // A file over 50 MB streamed from disk gets the budget of a study run.
    const budget = 'stream' in task.source && task.source.stream ? 'run' : 'check';
    let result: PlateTaskResult;
    try {
      result = await runEngineTask<PlateTaskResult>('plate', args, budget, this._uri, { token });
    } catch (e) {
      if (isCancelledTask(e) || this.isDisposed) return;
      this._plate = null;
      this._post({ type: 'plate/state', state: null, error: { message: limitMessage(name, e, budget), details: [] } });
      return;
    }
    if (this.isDisposed) return;
    if (result.caveats && task.caveatsKey !== undefined) {
      this._caveatKey = task.caveatsKey;
      this._caveatList = result.caveats;
    }
    this._plate = result.plate ?? null;
    this._curves = result.curves;
    this._postedVersion = version;
    if (!result.recognised || !result.state) {
      this._post({ type: 'plate/state', state: null, error: { message: `${name} was not recognised as a qPCR Cq export.`, details: result.failureDetails ?? [] } });
      return;
    }
    this._post({ type: 'plate/state', state: result.state });
    if (this._curvesWanted) this._postCurves();
  }

  private _postCurves(): void {
    this._post({ type: 'plate/curves', curves: toCurvesView(this._curves, MAX_VIEW_WELLS) });
  }

  /**
   * The text of an editable document, and where its save caveats (line ends, encoding) come from: the bytes on disk,
   * read once per saved version of the document (after a save the file holds what VS Code wrote). Untitled: none.
   */
  private async _textTask(doc: vscode.TextDocument): Promise<PlateSourceTask> {
    const source = { text: doc.getText() };
    const key = `${doc.uri.toString()}@${this._savedAt}`;
    if (doc.isUntitled || this._caveatKey === key) return { source };
    if (isLocalForEngine(doc.uri)) return { source, caveatsFrom: { path: doc.uri.fsPath }, caveatsKey: key };
    try {
      if ((await vscode.workspace.fs.stat(doc.uri)).size > LARGE_FILE_BYTES) return { source };
      return { source, caveatsFrom: { bytes: await vscode.workspace.fs.readFile(doc.uri) }, caveatsKey: key };
    } catch {
      return { source };
    }
  }

  /**
   * A read-only file: local files are read (files over 50 MB streamed) in the worker; other schemes (and every file
   * in VS Code for the web) through workspace.fs here, up to 50 MB.
   */
  private async _fileTask(uri: vscode.Uri): Promise<PlateSourceTask> {
    const size = (await vscode.workspace.fs.stat(uri)).size;
    const large = size > LARGE_FILE_BYTES;
    const streamed = large && isLocalForEngine(uri);
    const readonlyReason = /\.xlsx$/i.test(uri.path)
      ? 'an Excel workbook: read-only (a binary file cannot be edited byte for byte; edit a text export to omit wells)'
      : large
        ? `${(size / 1024 / 1024).toFixed(1)} MB: over the 50 MB VS Code hands to extensions as text, so this view is read-only${streamed ? ' (streamed from disk)' : ''}`
        : undefined;
    if (isLocalForEngine(uri)) return { source: { path: uri.fsPath, stream: streamed }, readonlyReason };
    if (large) throw new Error(`${path.basename(uri.path)} is over 50 MB, the most read through the workspace file system (desktop VS Code streams files on its local disk)`);
    return { source: { bytes: await vscode.workspace.fs.readFile(uri) }, readonlyReason };
  }

  /** Turns a webview edit into the engine's minimal fix and applies it as one undoable WorkspaceEdit. */
  private _edit(wellIndex: number, what: 'omit' | 'cq', value?: string): Promise<void> {
    return this._edits.run(async () => {
      if (this._source.kind !== 'text') {
        this._post({ type: 'plate/editResult', ok: false, message: 'This file is read-only in qPCR Studio.' });
        return;
      }
      const document = this._source.document;
      // Edit against the text as it is now, not as it was when the webview last drew.
      if (this._postedVersion !== document.version || !this._plate) await this._refresh();
      const plate = this._plate;
      const well = plate?.wells[wellIndex];
      if (!plate || !well) {
        this._post({ type: 'plate/editResult', ok: false, message: 'That well no longer exists in the file.' });
        return;
      }
      const fix = cellEdit(plate, well, what, value);
      if (!fix) {
        const label = well.position ?? `${well.sample}/${well.target}`;
        this._post({ type: 'plate/editResult', ok: false, message: what === 'omit' ? `This ${plate.format} file has no Omit/Include column, so well ${label} cannot be ${value === 'false' ? 'included' : 'omitted'} in the file.` : `Cannot set the Cq of well ${label} to "${value ?? ''}".` });
        return;
      }
      this._applyingOwnEdit = true;
      let ok = false;
      try {
        ok = await vscode.workspace.applyEdit(fixToWorkspaceEdit(document.uri, fix));
      } finally {
        this._applyingOwnEdit = false;
      }
      await this._refresh();
      this._post({ type: 'plate/editResult', ok, message: ok ? `${fix.title} (Undo with Ctrl+Z)` : `VS Code refused the edit: ${fix.title}` });
    });
  }

  private async _reveal(line: number): Promise<void> {
    if (this._source.kind !== 'text') return;
    const pos = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(this._source.document, {
      viewColumn: vscode.ViewColumn.Beside,
      selection: new vscode.Range(pos, pos),
      preserveFocus: false,
    });
  }
}
