/**
 * localFiles.ts in VS Code for the web (the browser bundle resolves src/host/worker/localFiles.ts here,
 * scripts/bundles.mjs): there is no disk the engine can open, so no task is given a local path (the web engine
 * adapter says `readsLocalFiles: false` and every read is a host call through workspace.fs). A read that gets here
 * anyway is an error with the path, not a crash.
 */
import type { LocalFiles } from '../worker/localFiles';

function refuse(path: string): never {
  throw new Error(`${path}: local paths cannot be read in VS Code for the web (files are read through the workspace)`);
}

export const localFiles: LocalFiles = {
  studyIO: () => ({
    readFile: async (p) => refuse(p),
    glob: async (pattern) => refuse(pattern),
  }),
  readFile: async (p) => refuse(p),
  readStream: (p) => refuse(p),
  size: async (p) => refuse(p),
};
