/**
 * Runs named engine tasks in worker_threads Workers so the extension host never does unbounded work itself:
 * each worker has a V8 heap limit (resourceLimits), each task a time budget and a cancellation token, and a task
 * whose worker overruns, runs out of memory or dies rejects with an `EngineTaskError` saying which limit it hit;
 * the worker is terminated and the next task gets a fresh one. Workers that finish normally are kept for reuse
 * (`maxIdle`). No `vscode` import (tested in plain Node).
 *
 * Memory outside the V8 heap (ArrayBuffers: an inflated zip member) is not covered by resourceLimits, so while tasks
 * run the pool also samples the process's resident memory and terminates the running workers when it grows by more
 * than the limit (plus a margin for the workers' own overhead).
 */
import { Worker } from 'node:worker_threads';
import { EngineTaskError, formatSeconds, type EngineRunner, type EngineTaskFailure, type TaskRunOptions } from './engineRunner';
import type { FromWorker, ToWorker } from './protocol';

export { EngineTaskError, formatSeconds, type CancellationTokenLike, type EngineTaskFailure, type TaskRunOptions } from './engineRunner';

export interface WorkerPoolOptions {
  /** The worker script (a file that calls `serveTasks`). */
  script: string;
  /** V8 old-generation limit of each worker, in MB (read when a worker is spawned, so a changed setting applies). */
  memoryMb: number | (() => number);
  /** Workers kept for reuse between tasks (default 1). */
  maxIdle?: number;
  /** An idle worker is terminated after this long (default 30 s), returning its memory. */
  idleMs?: number;
  /** How often resident memory is sampled while tasks run (default 100 ms; 0 turns the watch off). */
  rssSampleMs?: number;
  /** Extra resident memory allowed above the limit before the watch stops the workers (default 256 MB). */
  rssMarginMb?: number;
}

interface Slot { worker: Worker; memoryMb: number; exited: boolean; idleTimer?: ReturnType<typeof setTimeout> }
interface Running { slot: Slot; stop: (kind: EngineTaskFailure, message: string) => void }

const MB = 1024 * 1024;

export class WorkerPool implements EngineRunner {
  private readonly _idle: Slot[] = [];
  private readonly _running = new Set<Running>();
  private _nextId = 1;
  private _rssTimer: ReturnType<typeof setInterval> | undefined;
  private _rssBase = 0;
  private _disposed = false;

  constructor(private readonly _options: WorkerPoolOptions) {}

  private get _memoryMb(): number {
    const m = this._options.memoryMb;
    const v = typeof m === 'function' ? m() : m;
    return Number.isFinite(v) && v > 0 ? v : 1024;
  }

  /** Workers alive now (running or idle). */
  public get workerCount(): number {
    return this._idle.length + this._running.size;
  }

  /** Runs task `name` with `args` in a worker. Rejects with an EngineTaskError when it fails or is stopped. */
  public run<T>(name: string, args: unknown, opts: TaskRunOptions): Promise<T> {
    const memoryMb = this._memoryMb;
    const limits = { memoryMb, timeoutMs: opts.timeoutMs };
    if (this._disposed) return Promise.reject(new EngineTaskError('cancelled', 'the engine workers were shut down', limits));
    if (opts.token?.isCancellationRequested) return Promise.reject(new EngineTaskError('cancelled', 'cancelled', limits));
    const slot = this._take(memoryMb);
    const id = this._nextId++;
    return new Promise<T>((resolve, reject) => {
      const cleanups: (() => void)[] = [];
      let settled = false;
      const finish = (reuse: boolean) => {
        settled = true;
        for (const c of cleanups) c();
        this._running.delete(running);
        if (this._running.size === 0) this._stopRssWatch();
        if (reuse) this._release(slot);
        else void this._kill(slot);
      };
      const running: Running = {
        slot,
        stop: (kind, message) => {
          if (settled) return;
          finish(false);
          reject(new EngineTaskError(kind, message, limits));
        },
      };
      const onMessage = (m: FromWorker) => {
        if (settled || m.id !== id) return;
        if (m.type === 'done') {
          finish(true);
          if (m.ok) resolve(m.value as T);
          else reject(new EngineTaskError('failed', m.message, limits));
        } else if (m.type === 'event') {
          opts.onEvent?.(m.event);
        } else if (m.type === 'call') {
          void this._answer(slot, m.callId, () => {
            if (!opts.onCall) throw new Error(`the host offers no "${m.method}"`);
            return opts.onCall(m.method, m.args);
          });
        }
      };
      const onError = (e: Error & { code?: string }) => {
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') running.stop('memory', `ran out of memory (limit ${memoryMb} MB)`);
        else running.stop('crashed', `the worker crashed: ${e.message}`);
      };
      const onExit = (code: number) => running.stop('crashed', `the worker stopped unexpectedly (exit code ${code})`);
      slot.worker.on('message', onMessage);
      slot.worker.on('error', onError);
      slot.worker.on('exit', onExit);
      cleanups.push(() => {
        slot.worker.off('message', onMessage);
        slot.worker.off('error', onError);
        slot.worker.off('exit', onExit);
      });
      const timer = setTimeout(() => running.stop('timeout', `did not finish within ${formatSeconds(opts.timeoutMs)}`), opts.timeoutMs);
      cleanups.push(() => clearTimeout(timer));
      if (opts.token) {
        const sub = opts.token.onCancellationRequested(() => running.stop('cancelled', 'cancelled'));
        cleanups.push(() => sub.dispose());
      }
      this._running.add(running);
      this._startRssWatch();
      this._post(slot, { type: 'task', id, name, args });
    });
  }

  /** Terminates every worker; running tasks reject as cancelled. */
  public dispose(): void {
    this._disposed = true;
    for (const r of [...this._running]) r.stop('cancelled', 'the engine workers were shut down');
    for (const s of this._idle.splice(0)) {
      clearTimeout(s.idleTimer);
      void this._kill(s);
    }
  }

  private _take(memoryMb: number): Slot {
    while (this._idle.length) {
      const s = this._idle.pop() as Slot;
      clearTimeout(s.idleTimer);
      if (!s.exited && s.memoryMb === memoryMb) return s;
      void this._kill(s);
    }
    const worker = new Worker(this._options.script, { resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    const slot: Slot = { worker, memoryMb, exited: false };
    worker.on('exit', () => { slot.exited = true; });
    // An idle worker that fails is dropped (the running task, if any, has its own listener).
    worker.on('error', () => undefined);
    return slot;
  }

  private _release(slot: Slot): void {
    if (this._disposed || slot.exited || this._idle.length >= (this._options.maxIdle ?? 1)) void this._kill(slot);
    else {
      slot.worker.unref();
      this._idle.push(slot);
      slot.idleTimer = setTimeout(() => {
        const i = this._idle.indexOf(slot);
        if (i >= 0) this._idle.splice(i, 1);
        void this._kill(slot);
      }, this._options.idleMs ?? 30_000);
      slot.idleTimer.unref?.();
    }
  }

  private async _kill(slot: Slot): Promise<void> {
    if (slot.exited) return;
    slot.exited = true;
    try { await slot.worker.terminate(); } catch { /* already gone */ }
  }

  private _post(slot: Slot, m: ToWorker): void {
    slot.worker.ref();
    try { slot.worker.postMessage(m); } catch (e) {
      for (const r of this._running) if (r.slot === slot) r.stop('failed', `the task's arguments cannot be sent to a worker: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async _answer(slot: Slot, callId: number, fn: () => unknown): Promise<void> {
    let reply: ToWorker;
    try {
      reply = { type: 'reply', callId, ok: true, value: await fn() };
    } catch (e) {
      reply = { type: 'reply', callId, ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    if (!slot.exited) this._post(slot, reply);
  }

  private _startRssWatch(): void {
    const every = this._options.rssSampleMs ?? 100;
    if (this._rssTimer !== undefined || every <= 0) return;
    this._rssBase = process.memoryUsage.rss();
    this._rssTimer = setInterval(() => {
      const grown = process.memoryUsage.rss() - this._rssBase;
      const allowed = (this._memoryMb + (this._options.rssMarginMb ?? 256)) * MB;
      if (grown <= allowed) return;
      for (const r of [...this._running]) r.stop('memory', `ran out of memory (limit ${this._memoryMb} MB)`);
    }, every);
  }

  private _stopRssWatch(): void {
    if (this._rssTimer !== undefined) clearInterval(this._rssTimer);
    this._rssTimer = undefined;
  }
}
