/**
 * The engine adapter of VS Code for the web (the browser bundle resolves src/host/worker/nodeEngine.ts here,
 * scripts/bundles.mjs). The engine tasks run in a Web Worker started from dist/web/engineWorker.js (a file of the
 * extension, `new Worker(url)` as the VS Code docs allow web extensions; a Blob URL of it where the extension is not
 * served over http(s), src/web/extension.ts): the same TaskPool as in Node
 * (src/host/worker/taskPool.ts) with the same protocol, time budgets and messages; cancelling or a timeout terminates
 * the worker, so a long run never blocks the web extension host. A Web Worker has no memory limit to set: the
 * browser's own limit on the worker applies, and a worker that dies of it is reported as crashed.
 *
 * Where no Web Worker can be started (no `Worker` in the host, `new Worker` refused, or the worker script fails to
 * load before its first answer), the tasks run in-process (InProcessEngine below) and the reason goes to the console.
 */
import { ENGINE_TASKS } from '../worker/engineTasks';
import { EngineTaskError, formatSeconds, type EngineAdapter, type EngineRunner, type EngineTaskFailure, type TaskRunOptions } from '../worker/engineRunner';
import type { FromWorker, ToWorker } from '../worker/protocol';
import { TaskPool, type PoolWorker } from '../worker/taskPool';
import type { TaskContext, TaskHandler } from '../worker/taskServer';

/** The part of the browser's Worker the pool uses. */
interface BrowserWorker {
  postMessage(m: ToWorker): void;
  addEventListener(type: 'message', l: (e: { data: FromWorker }) => void): void;
  addEventListener(type: 'error' | 'messageerror', l: (e: { message?: string; preventDefault?(): void }) => void): void;
  removeEventListener(type: 'message' | 'error' | 'messageerror', l: (e: never) => void): void;
  terminate(): void;
}
type BrowserWorkerConstructor = new (url: string) => BrowserWorker;

/** Starts a Web Worker on `url` (the web worker extension host serves extension files to `new Worker`). */
export function spawnWebWorker(Ctor: BrowserWorkerConstructor, url: string): PoolWorker {
  const worker = new Ctor(url);
  return {
    postMessage: (m) => worker.postMessage(m),
    listen: (l) => {
      const onMessage = (e: { data: FromWorker }) => l.message(e.data);
      const onError = (e: { message?: string; preventDefault?(): void }) => {
        e.preventDefault?.();
        l.error({ message: e.message || 'its script could not be run', outOfMemory: false });
      };
      const onMessageError = () => l.error({ message: 'a message from it could not be read', outOfMemory: false });
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      worker.addEventListener('messageerror', onMessageError);
      return () => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        worker.removeEventListener('messageerror', onMessageError);
      };
    },
    terminate: () => worker.terminate(),
  };
}

/**
 * The engine tasks run in the extension host itself (where no Web Worker can be started): the same handlers, with
 * arguments and results structured-cloned as a worker's messages are, and host calls answered directly. A task cannot
 * be pre-empted: a timeout or a cancellation settles its promise as soon as the event loop gets a turn (the caller
 * moves on, the result is dropped), and no memory limit applies.
 */
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

/**
 * The web engine: a TaskPool of Web Workers on `workerUrl` (or the URL it resolves to), and the in-process engine where
 * no worker can be started. A worker that fails before any worker has answered (its script cannot be loaded) switches
 * to in-process for good and runs that task again there; once a worker has answered, a failure is the task's
 * (crashed, timeout, cancelled).
 */
export class WebEngine implements EngineRunner {
  private _pool: Promise<TaskPool | undefined>;
  private _current: TaskPool | undefined;
  private _answered = false;
  private readonly _inProcess: InProcessEngine;

  constructor(Ctor: BrowserWorkerConstructor | undefined, workerUrl: string | Promise<string> | undefined, memoryMb: () => number,
    tasks: Readonly<Record<string, TaskHandler>> = ENGINE_TASKS, private readonly _log: (m: string) => void = (m) => console.info(m)) {
    this._inProcess = new InProcessEngine(tasks, memoryMb);
    if (!Ctor || workerUrl === undefined) {
      this._log(`qPCR Studio: engine tasks run in the extension host (${!Ctor ? 'no Web Worker in this host' : 'no worker script'})`);
      this._pool = Promise.resolve(undefined);
      return;
    }
    this._pool = Promise.resolve(workerUrl).then((url) => {
      const spawn = (): PoolWorker => {
        const w = spawnWebWorker(Ctor, url);
        w.listen({ message: () => this._firstAnswer(), error: () => undefined, exit: () => undefined });
        return w;
      };
      // Two idle workers, as in Node: the plate editor and the Problems panel import the same document side by side.
      return (this._current = new TaskPool({ spawn, memoryMb, maxIdle: 2 }));
    }, (e: unknown) => {
      this._fallBack(e);
      return undefined;
    });
  }

  /** True while tasks go to Web Workers (after the worker script is known). */
  public get usesWorkers(): boolean {
    return this._current !== undefined;
  }

  public async run<T>(name: string, args: unknown, opts: TaskRunOptions): Promise<T> {
    const pool = await this._pool;
    if (!pool || pool !== this._current) return this._inProcess.run<T>(name, args, opts);
    try {
      return await pool.run<T>(name, args, opts);
    } catch (e) {
      const cannotStart = !(e instanceof EngineTaskError) || (e.kind === 'crashed' && !this._answered);
      if (!cannotStart) throw e;
      if (this._current === pool) this._fallBack(e);
      return this._inProcess.run<T>(name, args, opts);
    }
  }

  public dispose(): void {
    this._current?.dispose();
    this._current = undefined;
    this._inProcess.dispose();
  }

  private _fallBack(e: unknown): void {
    this._log(`qPCR Studio: engine tasks run in the extension host: the engine Web Worker could not be started (${e instanceof Error ? e.message : String(e)})`);
    this._current?.dispose();
    this._current = undefined;
  }

  private _firstAnswer(): void {
    if (this._answered) return;
    this._answered = true;
    this._log('qPCR Studio: engine tasks run in a Web Worker (dist/web/engineWorker.js)');
  }
}

let workerScript: string | Promise<string> | undefined;

/**
 * Where the engine worker script is: a URL `new Worker` accepts, or the promise of one (src/web/extension.ts sets it
 * on activation from the extension's URI).
 */
export function setEngineWorkerScript(url: string | Promise<string>): void {
  workerScript = url;
}

export const engineAdapter: EngineAdapter = {
  readsLocalFiles: false,
  create: (memoryMb) => new WebEngine((globalThis as { Worker?: BrowserWorkerConstructor }).Worker, workerScript, memoryMb),
};
