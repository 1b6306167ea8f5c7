/**
 * Writers of the optional report documents (src/shared/report/documents.ts lists them: label, CLI flag, file).
 * Pure: each writer takes the report and returns the file's bytes; the CLI writes them into --out DIR and the
 * results panel through a save dialog, so both produce the same file.
 */
import type { Report } from '../../shared/report/types';
import { REPORT_DOCUMENTS, type ReportDocumentId } from '../../shared/report/documents';
import { reportXlsx } from './xlsx';
import { reportFigures, type FileSet } from './figures';

/** What a writer gets: the report (the same report.json the panel shows). */
export interface DocumentInput { report: Report; /** The text after `--flag=` (multi-file documents). */ option?: string }

/** One file's bytes, or (a multiFile document) paths relative to the output folder → bytes. */
export type DocumentWriter = (input: DocumentInput) => Uint8Array | FileSet | Promise<Uint8Array | FileSet>;

const WRITERS: Record<ReportDocumentId, DocumentWriter> = {
  xlsx: ({ report }) => reportXlsx(report),
  figures: ({ report, option }) => reportFigures(report, option),
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
