/**
 * The engine workers in Node: a TaskPool (taskPool.ts) of worker_threads Workers, each with a V8 heap limit
 * (resourceLimits), and the process's resident memory watched while tasks run. Memory outside the V8 heap
 * (ArrayBuffers: an inflated zip member) is not covered by resourceLimits, so the pool terminates the running workers
 * when the resident memory grows by more than the limit (plus a margin for the workers' own overhead).
 * No `vscode` import (tested in plain Node).
 */
import { Worker } from 'node:worker_threads';
import { TaskPool, type PoolWorker, type TaskPoolOptions } from './taskPool';

export { EngineTaskError, formatSeconds, type CancellationTokenLike, type EngineTaskFailure, type TaskRunOptions } from './engineRunner';

export interface WorkerPoolOptions extends Omit<TaskPoolOptions, 'spawn' | 'residentMemory'> {
  /** The worker script (a file that calls `serveTasks`). */
  script: string;
}

/** Starts a worker_threads Worker on `script` with a heap limit of `memoryMb`. */
export function spawnNodeWorker(script: string, memoryMb: number): PoolWorker {
  const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
  return {
    postMessage: (m) => worker.postMessage(m),
    listen: (l) => {
      const onError = (e: Error & { code?: string }) => l.error({ message: e.message, outOfMemory: e.code === 'ERR_WORKER_OUT_OF_MEMORY' });
      const onExit = (code: number) => l.exit(code);
      worker.on('message', l.message);
      worker.on('error', onError);
      worker.on('exit', onExit);
      return () => {
        worker.off('message', l.message);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
    },
    terminate: () => worker.terminate(),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
  };
}

export class WorkerPool extends TaskPool {
  constructor(options: WorkerPoolOptions) {
    const { script, ...rest } = options;
    super({ ...rest, spawn: (memoryMb) => spawnNodeWorker(script, memoryMb), residentMemory: () => process.memoryUsage.rss() });
  }
}
