/**
 * The engine adapter of VS Code for the web (the browser bundle resolves src/host/worker/nodeEngine.ts here,
 * scripts/bundles.mjs). The web extension host is itself a Web Worker, so the engine tasks run in it, in-process:
 * the same handlers as dist/engineWorker.js (engineTasks.ts), with arguments and results structured-cloned as a
 * worker's messages are, host calls answered directly, and every file read a host call through workspace.fs.
 *
 * What a worker gives and this cannot: a task cannot be pre-empted. A timeout or a cancellation settles the task's
 * promise as soon as the event loop gets a turn (the caller moves on, the result is dropped), and there is no memory
 * limit: the browser's own limit on the extension host applies.
 */
import { ENGINE_TASKS } from '../worker/engineTasks';
import { EngineTaskError, formatSeconds, type EngineAdapter, type EngineRunner, type EngineTaskFailure, type TaskRunOptions } from '../worker/engineRunner';
import type { TaskContext, TaskHandler } from '../worker/workerRuntime';

export class InProcessEngine implements EngineRunner {
  private readonly _running = new Set<(kind: EngineTaskFailure, message: string) => void>();
  private _disposed = false;

  constructor(private readonly _tasks: Readonly<Record<string, TaskHandler>>, private readonly _memoryMb: () => number) {}

  public run<T>(name: string, args: unknown, opts: TaskRunOptions): Promise<T> {
    const limits = { memoryMb: this._memoryMb(), timeoutMs: opts.timeoutMs };
    if (this._disposed) return Promise.reject(new EngineTaskError('cancelled', 'the engine was shut down', limits));
    if (opts.token?.isCancellationRequested) return Promise.reject(new EngineTaskError('cancelled', 'cancelled', limits));
    const handler = Object.prototype.hasOwnProperty.call(this._tasks, name) ? this._tasks[name] : undefined;
    if (!handler) return Promise.reject(new EngineTaskError('failed', `unknown engine task "${name}"`, limits));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const cleanups: (() => void)[] = [];
      const settle = (then: () => void) => {
        if (settled) return;
        settled = true;
        for (const c of cleanups) c();
        this._running.delete(stop);
        then();
      };
      const stop = (kind: EngineTaskFailure, message: string) => settle(() => reject(new EngineTaskError(kind, message, limits)));
      this._running.add(stop);
      const timer = setTimeout(() => stop('timeout', `did not finish within ${formatSeconds(opts.timeoutMs)}`), opts.timeoutMs);
      cleanups.push(() => clearTimeout(timer));
      if (opts.token) {
        const sub = opts.token.onCancellationRequested(() => stop('cancelled', 'cancelled'));
        cleanups.push(() => sub.dispose());
      }
      const ctx: TaskContext = {
        call: async <R>(method: string, callArgs: unknown) => {
          if (settled) throw new Error('the task was stopped');
          if (!opts.onCall) throw new Error(`the host offers no "${method}"`);
          return await opts.onCall(method, callArgs) as R;
        },
        emit: (event) => { if (!settled) opts.onEvent?.(event); },
      };
      // Started on the next turn, so the caller holds the promise (and its timer runs) before any work is done.
      void Promise.resolve().then(async () => {
        const value = await handler(structuredClone(args) as never, ctx);
        const cloned = structuredClone(value) as T;
        settle(() => resolve(cloned));
      }).catch((e: unknown) => stop('failed', e instanceof Error ? e.message : String(e)));
    });
  }

  /** Stops every running task (they reject as cancelled); later runs are refused. */
  public dispose(): void {
    this._disposed = true;
    for (const stop of [...this._running]) stop('cancelled', 'the engine was shut down');
  }
}

export const engineAdapter: EngineAdapter = {
  readsLocalFiles: false,
  create: (memoryMb) => new InProcessEngine(ENGINE_TASKS, memoryMb),
};
