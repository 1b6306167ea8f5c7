/**
 * What the host code needs of "something that runs engine tasks", whatever runs them: in Node, a pool of
 * worker_threads Workers (workerPool.ts, picked by nodeEngine.ts); in VS Code for the web, a pool of Web Workers
 * (src/host/web/engine.ts); both are a TaskPool (taskPool.ts). The bundle of each entry picks its adapter
 * (scripts/bundles.mjs); the host code sees only these types. No `vscode` and no Node import.
 */

/** The part of vscode.CancellationToken a runner uses. */
export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export type EngineTaskFailure = 'timeout' | 'memory' | 'crashed' | 'cancelled' | 'failed';

/** Why a task gave no result. `failed`: the task itself threw (its message); the others: the task was stopped. */
export class EngineTaskError extends Error {
  constructor(readonly kind: EngineTaskFailure, message: string, readonly limits: { memoryMb: number; timeoutMs: number }) {
    super(message);
    this.name = 'EngineTaskError';
  }
}

export interface TaskRunOptions {
  /** Time budget; the task is stopped (its worker terminated) when it is used up. */
  timeoutMs: number;
  token?: CancellationTokenLike;
  /** Host services a task may call (`TaskContext.call`); a throw becomes the call's rejection in the task. */
  onCall?: (method: string, args: unknown) => unknown;
  /** Events a task reports (`TaskContext.emit`). */
  onEvent?: (event: unknown) => void;
}

/** Runs named engine tasks (src/host/worker/engineTasks.ts). */
export interface EngineRunner {
  /** Runs task `name` with `args`. Rejects with an EngineTaskError when it fails or is stopped. */
  run<T>(name: string, args: unknown, opts: TaskRunOptions): Promise<T>;
  dispose(): void;
}

/** How one platform runs engine tasks. */
export interface EngineAdapter {
  /**
   * True when tasks read `file:` URIs themselves (node's fs in a worker); false when every read is a host call
   * through workspace.fs (VS Code for the web, where `file:` URIs are the browser's, not a disk the engine can open).
   */
  readonly readsLocalFiles: boolean;
  /** A runner whose tasks get `memoryMb()` (read when the runner needs it, so a changed setting applies). */
  create(memoryMb: () => number): EngineRunner;
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
