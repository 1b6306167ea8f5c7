/**
 * How an engine task reads a local path (a `file:` URI's fsPath) in Node: node's fs, and the CLI's confined reader
 * for studies. The browser bundle replaces this module with src/host/web/localFiles.ts (scripts/bundles.mjs); there
 * no task gets a local path (EngineAdapter.readsLocalFiles is false), every read is a host call.
 */
import * as fs from 'node:fs';
import { nodeStudyIO } from '../../cli/nodeIO';
import type { StudyIO } from '../../engine/study/runner';

export interface LocalFiles {
  /** The study reader: regular files only, sizes capped while reading, `roots` confine reads (Restricted Mode). */
  studyIO(roots?: string[]): StudyIO;
  readFile(path: string): Promise<Uint8Array>;
  /** The file in chunks (large plates are imported as a stream). */
  readStream(path: string): AsyncIterable<Uint8Array>;
  size(path: string): Promise<number>;
}

export const localFiles: LocalFiles = {
  studyIO: (roots) => nodeStudyIO(roots ? { roots } : {}),
  readFile: async (p) => new Uint8Array(await fs.promises.readFile(p)),
  readStream: (p) => fs.createReadStream(p, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
  size: async (p) => (await fs.promises.stat(p)).size,
};
