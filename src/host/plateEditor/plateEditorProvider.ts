/**
 * The plate editor: a CustomTextEditorProvider over Cq exports (the TextDocument is the model, so undo,
 * redo, save, dirty state and hot exit come from VS Code) and a read-only custom editor for RDML zips. Both are
 * registered under their view types (../contributions.ts) by src/extension.ts, which loads them on first use.
 */
import type * as vscode from 'vscode';
import { PlateSession } from './plateSession';

export class PlateEditorProvider implements vscode.CustomTextEditorProvider {
  constructor(private readonly _extensionUri: vscode.Uri) {}

  /** Called by VS Code when a Cq file is opened with the plate editor (and again when a hidden editor is re-shown). */
  public resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel, _token: vscode.CancellationToken): void {
    new PlateSession({ kind: 'text', document }, panel, this._extensionUri);
  }
}

/** A read-only document: just the URI; the bytes are read through workspace.fs by the session. */
export class RdmlDocument implements vscode.CustomDocument {
  constructor(public readonly uri: vscode.Uri) {}
  public dispose(): void {}
}

/**
 * Read-only plate views over bytes read through workspace.fs: the default editor for RDML and Excel workbooks, and
 * (`qpcr.plateViewer`)
 * text exports over 50 MB, which VS Code does not hand to extensions as TextDocuments.
 */
export class RdmlViewerProvider implements vscode.CustomReadonlyEditorProvider<RdmlDocument> {
  constructor(private readonly _extensionUri: vscode.Uri) {}

  /** Called by VS Code when an .rdml or .xlsx file is opened. */
  public openCustomDocument(uri: vscode.Uri): RdmlDocument {
    return new RdmlDocument(uri);
  }

  /** Called by VS Code for each editor panel showing the document. */
  public resolveCustomEditor(document: RdmlDocument, panel: vscode.WebviewPanel): void {
    new PlateSession({ kind: 'file', uri: document.uri }, panel, this._extensionUri);
  }
}
