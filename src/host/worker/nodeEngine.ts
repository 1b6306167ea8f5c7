/**
 * The engine adapter of the Node entry (dist/features.js): tasks run in worker_threads Workers over
 * dist/engineWorker.js (workerPool.ts), which read local files with node's fs. The browser bundle replaces this
 * module with src/host/web/engine.ts (scripts/bundles.mjs).
 */
import * as path from 'node:path';
import type { EngineAdapter } from './engineRunner';
import { WorkerPool } from './workerPool';

export const engineAdapter: EngineAdapter = {
  readsLocalFiles: true,
  // Two idle workers: the plate editor and the Problems panel import the same document side by side.
  create: (memoryMb) => new WorkerPool({ script: path.join(__dirname, 'engineWorker.js'), memoryMb, maxIdle: 2 }),
};
