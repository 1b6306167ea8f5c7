/**
 * The status bar item on plate files: "$(beaker) <format> · <n> wells · <k> QC" for the active csv/txt/tsv text
 * editor or plate editor tab whose document imported as a plate (from what PlateDiagnostics computed); hidden for
 * other files. Clicking it opens the Problems panel.
 */
import * as vscode from 'vscode';
import { Disposable } from './dispose';

/** What the status bar shows for one plate document. */
export interface PlateSummary { format: string; wells: number; findings: number }

export class PlateStatusBar extends Disposable {
  private readonly _item = this._register(vscode.window.createStatusBarItem('qpcr.plate', vscode.StatusBarAlignment.Left, 50));
  private readonly _summaries = new Map<string, PlateSummary>();

  constructor() {
    super();
    this._item.name = 'qPCR plate';
    this._item.command = 'workbench.actions.view.problems';
    this._item.tooltip = 'qPCR plate: format, wells and QC findings. Click to open the Problems panel.';
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this._refresh()));
    this._register(vscode.window.tabGroups.onDidChangeTabs(() => this._refresh()));
    this._register(vscode.window.tabGroups.onDidChangeTabGroups(() => this._refresh()));
  }

  /** Sets (or with undefined, removes) the summary of a document. */
  public set(uri: vscode.Uri, summary: PlateSummary | undefined): void {
    if (summary) this._summaries.set(uri.toString(), summary);
    else this._summaries.delete(uri.toString());
    this._refresh();
  }

  private _activeUri(): vscode.Uri | undefined {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
    return vscode.window.activeTextEditor?.document.uri;
  }

  private _refresh(): void {
    const uri = this._activeUri();
    const s = uri && this._summaries.get(uri.toString());
    if (!s) { this._item.hide(); return; }
    this._item.text = `$(beaker) ${s.format} · ${s.wells} wells · ${s.findings} QC`;
    this._item.show();
  }
}
