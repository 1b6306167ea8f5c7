/**
 * Writers of the optional report documents (src/shared/report/documents.ts lists them: label, CLI flag, file).
 * Pure: each writer takes the report (and, for a document marked `needsData`, the run's data) and returns its
 * files; the CLI writes them into --out DIR and the results panel through a save dialog (the first file where the
 * user chose, the others beside it), so both produce the same files.
 */
import type { Report } from '../../shared/report/types';
import { REPORT_DOCUMENTS, reportDocument, type ReportDocumentId } from '../../shared/report/documents';
import { ENGINE_VERSION, type RunData } from '../study/runner';
import { rdmlZip } from '../plate/rdmlWrite';
import { relativeToStudy } from '../common/studyPaths';
import type { ZipCodec } from '../common/zipCodec';
import { reportXlsx } from './xlsx';
import { reportDocx, type FigureRasters } from './docx';
import { rScriptFiles } from './rscript';
import { reportFigures } from './figures';

/** What a writer gets. */
export interface DocumentInput {
  /** The report (the same report.json the panel shows). */
  report: Report;
  /** The run's data (required by the documents marked `needsData`). */
  data?: RunData;
  /** The study file's path (file names in the document are written relative to its folder). */
  studyPath?: string;
  /** The name the document is saved under (default: its `file`); companion files are named after it. */
  fileName?: string;
  /** The text after `--flag=` (documents marked `multiFile`, e.g. the figures' sizes). */
  option?: string;
  /** PNG renderings of the charts made by the results panel (documents marked `wantsRasters`: Word's fallbacks). */
  rasters?: FigureRasters;
  /** How to deflate a large zipped document (report.rdml): a node host passes node's zlib (common/zipCodec.ts). */
  zip?: ZipCodec;
}

/**
 * One written file: its name and bytes. A single-file document gives its own file first, then its companions
 * (saved beside it); a `multiFile` document gives paths relative to the output folder (`figures/km-85mm.svg`).
 */
export interface DocumentFile { file: string; bytes: Uint8Array }

export type DocumentWriter = (input: DocumentInput) => DocumentFile[] | Promise<DocumentFile[]>;

/** The run data of a `needsData` document (a located programming error when the caller did not keep it). */
function needData(input: DocumentInput, id: string): RunData {
  if (!input.data) throw new Error(`the ${reportDocument(id)?.label ?? id} export needs the run's data (run the study with keepData)`);
  return input.data;
}

const single = (id: ReportDocumentId, input: DocumentInput, bytes: Uint8Array): DocumentFile[] =>
  [{ file: input.fileName ?? reportDocument(id)!.file, bytes }];

const WRITERS: Record<ReportDocumentId, DocumentWriter> = {
  docx: async (input) => single('docx', input, await reportDocx(input.report, input.rasters)),
  xlsx: async (input) => single('xlsx', input, await reportXlsx(input.report)),
  figures: (input) => Object.entries(reportFigures(input.report, input.option)).map(([file, bytes]) => ({ file, bytes })),
  rscript: (input) => rScriptFiles(input.report, needData(input, 'rscript').table, input.fileName ?? reportDocument('rscript')!.file),
  rdml: async (input) => {
    const { report } = input;
    const data = needData(input, 'rdml');
    const rel = relativeToStudy(input.studyPath ?? '');
    return single('rdml', input, await rdmlZip({
      plates: data.plates, study: report.study, references: report.methods?.references ?? [], efficiencies: report.methods?.efficiencies ?? [],
      exclusions: data.exclusions, software: { name: 'qPCR Studio', version: ENGINE_VERSION },
      runName: (p) => rel(p.file).replace(/\\/g, '/'), ...(report.generated ? { date: report.generated } : {}),
    }, input.zip));
  },
};

/** The writer of a listed document; throws on an id that is not listed (a programming error, not user input). */
export function documentWriter(id: string): DocumentWriter {
  const w = (WRITERS as Record<string, DocumentWriter | undefined>)[id];
  if (!w || !REPORT_DOCUMENTS.some((d) => d.id === id)) throw new Error(`no writer for report document "${id}"`);
  return w;
}

/** Ids with a writer (for the test that the list and the writers agree). */
export function writerIds(): string[] {
  return Object.keys(WRITERS);
}
