/**
 * What VS Code must find registered the moment the extension activates, known without loading the engine: the custom
 * editors' view types, the command ids, the results panel's view type, and which open documents need the engine.
 * Only `vscode` types are imported here, so src/extension.ts stays small (the rest loads on first use, see
 * src/features.ts). package.json contributes the same ids; test/unit/host/contributions.test.ts checks they agree.
 */
import type * as vscode from 'vscode';

/** The custom editors' view types. */
export const VIEW_TYPES = {
  /** The plate editor, offered ("option") for every csv/txt/tsv file. */
  plateEditor: 'qpcr.plateEditor',
  /**
   * The same editor under a second id, the default for the unambiguous `*.cq.csv` (VS Code keys custom editor
   * contributions by viewType, so one id cannot have two priorities).
   */
  cqCsv: 'qpcr.plateEditor.cqCsv',
  /** RDML files, read-only. */
  rdml: 'qpcr.rdmlViewer',
  /** Any Cq export, read-only; "qPCR: Open in Plate Editor" uses it for files over 50 MB. */
  plateViewer: 'qpcr.plateViewer',
} as const;

/** View types edited as text documents (CustomTextEditorProvider). */
export const TEXT_EDITOR_VIEW_TYPES = [VIEW_TYPES.plateEditor, VIEW_TYPES.cqCsv] as const;
/** View types shown read-only over bytes (CustomReadonlyEditorProvider). */
export const READONLY_VIEW_TYPES = [VIEW_TYPES.rdml, VIEW_TYPES.plateViewer] as const;

/** The results panel (restored after a reload by its serializer). */
export const RESULTS_VIEW_TYPE = 'qpcr.results';

/** Every command the extension contributes. */
export const COMMAND_IDS = ['qpcr.openPlateEditor', 'qpcr.runStudy', 'qpcr.openResults', 'qpcr.exportReport', 'qpcr.showMethods', 'qpcr.runAnalysis',
  'qpcr.newStudyFromPlates'] as const;
export type CommandId = typeof COMMAND_IDS[number];

/** The language id of .qstudy files. */
export const STUDY_LANGUAGE_ID = 'qstudy';

/** A text document that may be a Cq export (the plate diagnostics look at it). */
export function isCandidateCqDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme === 'output' || doc.uri.scheme === 'git' || doc.uri.scheme === 'vscode-userdata') return false;
  return /\.(csv|txt|tsv)$/i.test(doc.uri.path);
}

/** A document some feature analyses as soon as it is open: a study, or a possible Cq export. */
export function needsEngine(doc: vscode.TextDocument): boolean {
  return doc.languageId === STUDY_LANGUAGE_ID || isCandidateCqDocument(doc);
}
