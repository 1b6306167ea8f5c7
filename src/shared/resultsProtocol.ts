/**
 * Messages between the results webview (webview/results) and its host (src/host/results/resultsPanel.ts).
 * The host owns the report (sent in full after `ready`); the webview keeps only view state (ResultsViewState).
 * In standalone report.html there is no host: the report is inlined and exports become downloads.
 */
import type { Report } from './report/types';

/** What the webview persists with setState (also read by the panel serializer after a reload). */
export interface ResultsViewState {
  version: 1;
  /** The study the panel shows (string form of its URI); the serializer restores the panel from it. */
  studyUri?: string;
  /** correlate: the selected row variable, by result name. */
  selectedRow?: Record<string, string>;
  /** km: confidence bands on, by result name. */
  showCi?: Record<string, boolean>;
  /** nomogram calculator inputs, by result name then term. */
  nomogram?: Record<string, Record<string, number | string>>;
  /** Journal figure settings (webview/results/figureExport.ts; checked on load). */
  figure?: { widthMm: number; font: string; fontPt: number; grayscale: boolean; format: string };
  /** Charts of the multi-panel figure, in panel order. */
  panels?: { analysis: string; chart?: string }[];
  /** Standalone page only: the chosen colour theme. */
  theme?: 'light' | 'dark';
  scrollY?: number;
}

/** Export formats the webview can ask the host to save. */
export type ResultsExportFormat = 'png' | 'svg' | 'csv' | 'md' | 'html' | 'json' | 'pdf' | 'tiff';

/** Formats sent as a base64 `data:` URL (binary files). */
export const BINARY_EXPORT_FORMATS: readonly ResultsExportFormat[] = ['png', 'pdf', 'tiff'];

/** Host → webview. */
export type ResultsHostMessage =
  /** The report to show, or `report: null` with a message (e.g. "run the study again" after a reload). */
  | { type: 'results/report'; report: Report | null; studyUri: string; message?: string }
  /** The outcome of an export or copy (a transient status line). */
  | { type: 'results/status'; ok: boolean; message: string };

/** Webview → host. */
export type ResultsWebviewMessage =
  /** The listener is installed; the host replies with `results/report`. */
  | { type: 'ready' }
  /** Save `data` (text, or a base64 `data:` URL: png, pdf, tiff) under a file name the user picks, `suggestedName` proposed. */
  | { type: 'results/export'; format: ResultsExportFormat; suggestedName: string; data: string }
  /** Write the whole report as self-contained report.html (the host inlines the results bundle). */
  | { type: 'results/exportReport' }
  /** Write one of the report's optional documents (shared/report/documents.ts; the host runs its engine writer). */
  | { type: 'results/exportDocument'; id: string; /** `chartKey` → PNG data URL (documents marked wantsRasters). */ rasters?: Record<string, string> }
  /** Put text on the clipboard. */
  | { type: 'results/copy'; text: string; what: string }
  /** Open the study file at a 1-based line (the analysis that produced a result). */
  | { type: 'results/revealLine'; line: number };
