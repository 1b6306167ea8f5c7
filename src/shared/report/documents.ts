/**
 * The optional documents a report can be exported as (PURE data: no engine, no DOM): one list that the results
 * panel's buttons, the CLI's flags and usage, and the host's save dialog all derive from. Each document's writer
 * is registered under the same id in src/engine/report/documents.ts (a test checks the two lists agree).
 *
 * Adding a document: an entry here, a writer there; nothing else to keep in step.
 */
export interface ReportDocumentInfo {
  /** Stable id (protocol messages, the writer registry). */
  id: string;
  /** Button label in the results panel. */
  label: string;
  /** Button tooltip and the CLI usage text. */
  description: string;
  /** CLI flag of `qpcr-studio run` that writes it into --out DIR. */
  cliFlag: string;
  /** File name in --out DIR; the panel proposes `<study>-<file>`. */
  file: string;
  /** Save-dialog filter: name → extensions. */
  filter: Record<string, string[]>;
  /**
   * The writer needs the run's data beyond report.json (plates, the per-subject analysis table: RunData). The CLI
   * has it from its run; the results panel re-runs the study in the engine worker to write such a document.
   */
  needsData?: boolean;
  /** `qpcr-studio run` writes it on every run (its flag is accepted and changes nothing). */
  always?: boolean;
  /**
   * Several files (the writer returns paths relative to the output folder, under `file` as a folder): the CLI writes
   * them into --out DIR, the panel into a folder the user picks. The flag may carry an option, `--flag=TEXT`.
   */
  multiFile?: boolean;
  /** The results panel sends PNG renderings of the charts with the request (the Word export's SVG fallbacks). */
  wantsRasters?: boolean;
}

export const REPORT_DOCUMENTS = [
  {
    id: 'xlsx', label: 'Excel', description: 'every table of the report in one Excel workbook (.xlsx)',
    cliFlag: '--xlsx', file: 'report.xlsx', filter: { 'Excel workbook': ['xlsx'] },
  },
  {
    id: 'docx', label: 'Word', description: 'tables (three-line, journal style), figures and Methods in one Word document (.docx)',
    cliFlag: '--docx', file: 'report.docx', filter: { 'Word document': ['docx'] }, wantsRasters: true,
  },
  {
    id: 'figures', label: 'Figures', description: 'every chart as a journal figure, SVG and PDF, 85 and 174 mm wide (--figures=85,114,174,8pt,gray,panels:A+B/chart,models:A+B)',
    cliFlag: '--figures', file: 'figures', filter: { Figures: ['svg', 'pdf'] }, multiFile: true,
  },
  {
    id: 'rscript', label: 'R script',
    description: 'an R script (base R, survival, pROC, rms) and the per-subject dataset it reads (analysis.R + analysis-data.csv) that recompute the analyses',
    cliFlag: '--r-script', file: 'analysis.R', filter: { 'R script': ['R'] }, needsData: true,
  },
  {
    id: 'rdml', label: 'RDML', description: 'the analysed plates as RDML 1.3 (targets, samples, Cq, exclusions, efficiencies)',
    cliFlag: '--rdml', file: 'report.rdml', filter: { RDML: ['rdml'] }, needsData: true, always: true,
  },
] as const satisfies readonly ReportDocumentInfo[];

export type ReportDocumentId = (typeof REPORT_DOCUMENTS)[number]['id'];

/** The document with this id (undefined for an unknown id, e.g. from a stale webview). */
export function reportDocument(id: string): ReportDocumentInfo | undefined {
  return (REPORT_DOCUMENTS as readonly ReportDocumentInfo[]).find((d) => d.id === id);
}

/** The document a CLI flag asks for. */
export function reportDocumentByFlag(flag: string): ReportDocumentInfo | undefined {
  return (REPORT_DOCUMENTS as readonly ReportDocumentInfo[]).find((d) => d.cliFlag === flag || (d.multiFile && flag.startsWith(`${d.cliFlag}=`)));
}

/** The webview's PNG data URLs as bytes (anything that is not a PNG data URL is dropped). */
export function decodeRasters(rasters: Record<string, string>): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [key, url] of Object.entries(rasters)) {
    if (typeof url !== 'string' || !url.startsWith('data:image/png;base64,')) continue;
    out[key] = dataUrlBytes(url);
  }
  return out;
}

/** The bytes of a base64 `data:` URL (what the webview sends for binary exports). */
export function dataUrlBytes(url: string): Uint8Array {
  return Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (c) => c.charCodeAt(0));
}
