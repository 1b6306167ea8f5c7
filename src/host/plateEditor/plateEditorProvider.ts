/**
 * The plate editor: a CustomTextEditorProvider over Cq exports (the TextDocument is the model, so undo,
 * redo, save, dirty state and hot exit come from VS Code) and a read-only custom editor for RDML zips.
 */
import * as vscode from 'vscode';
import { PlateSession } from './plateSession';

export class PlateEditorProvider implements vscode.CustomTextEditorProvider {
  /** The plate editor, offered ("option") for every csv/txt/tsv file. */
  public static readonly viewType = 'qpcr.plateEditor';
  /**
   * The same editor under a second id, the default for the unambiguous `*.cq.csv` (VS Code keys custom editor
   * contributions by viewType, so one id cannot have two priorities).
   */
  public static readonly cqCsvViewType = 'qpcr.plateEditor.cqCsv';

  public static register(context: vscode.ExtensionContext): vscode.Disposable {
    const provider = new PlateEditorProvider(context.extensionUri);
    const options = { supportsMultipleEditorsPerDocument: true };
    return vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(PlateEditorProvider.viewType, provider, options),
      vscode.window.registerCustomEditorProvider(PlateEditorProvider.cqCsvViewType, provider, options),
    );
  }

  constructor(private readonly _extensionUri: vscode.Uri) {}

  /** Called by VS Code when a Cq file is opened with the plate editor (and again when a hidden editor is re-shown). */
  public resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel, _token: vscode.CancellationToken): void {
    new PlateSession({ kind: 'text', document }, panel, this._extensionUri);
  }
}

/** A read-only document: just the URI; the bytes are read through workspace.fs by the session. */
class RdmlDocument implements vscode.CustomDocument {
  constructor(public readonly uri: vscode.Uri) {}
  public dispose(): void {}
}

/**
 * Read-only plate views over bytes read through workspace.fs: the default editor for RDML, and (`qpcr.plateViewer`)
 * text exports over 50 MB, which VS Code does not hand to extensions as TextDocuments.
 */
export class RdmlViewerProvider implements vscode.CustomReadonlyEditorProvider<RdmlDocument> {
  public static readonly viewType = 'qpcr.rdmlViewer';
  /** Any Cq export, read-only; "qPCR: Open in Plate Editor" uses it for files over 50 MB. */
  public static readonly largeFileViewType = 'qpcr.plateViewer';

  public static register(context: vscode.ExtensionContext): vscode.Disposable {
    const options = { supportsMultipleEditorsPerDocument: true };
    return vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(RdmlViewerProvider.viewType, new RdmlViewerProvider(context.extensionUri), options),
      vscode.window.registerCustomEditorProvider(RdmlViewerProvider.largeFileViewType, new RdmlViewerProvider(context.extensionUri), options),
    );
  }

  constructor(private readonly _extensionUri: vscode.Uri) {}

  /** Called by VS Code when an .rdml file is opened. */
  public openCustomDocument(uri: vscode.Uri): RdmlDocument {
    return new RdmlDocument(uri);
  }

  /** Called by VS Code for each editor panel showing the document. */
  public resolveCustomEditor(document: RdmlDocument, panel: vscode.WebviewPanel): void {
    new PlateSession({ kind: 'file', uri: document.uri }, panel, this._extensionUri);
  }
}
