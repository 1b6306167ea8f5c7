/**
 * Runs named engine tasks in workers so the extension host never does unbounded work itself: each task has a time
 * budget and a cancellation token, and a task whose worker overruns, runs out of memory or dies rejects with an
 * `EngineTaskError` saying which limit it hit; the worker is terminated and the next task gets a fresh one. Workers
 * that finish normally are kept for reuse (`maxIdle`).
 *
 * One implementation for every kind of worker: the pool gets a `spawn` function. In Node (workerPool.ts) it starts a
 * worker_threads Worker with a V8 heap limit and the pool also watches the process's resident memory: a worker may
 * hold as much again outside its heap (a plate's columns and cell texts are typed arrays), so the watch stops the
 * workers when the process has grown by more than twice the limit plus a margin; in VS Code for
 * the web (src/host/web/engine.ts) it starts a Web Worker (no memory limit can be set there). No `vscode` and no Node
 * import (the web bundle includes this file).
 */
import { EngineTaskError, formatSeconds, type EngineRunner, type EngineTaskFailure, type TaskRunOptions } from './engineRunner';
import type { FromWorker, ToWorker } from './protocol';

/** What a worker reports to the pool. */
export interface WorkerListener {
  message(m: FromWorker): void;
  /** The worker failed (an uncaught error, a script that cannot load); `outOfMemory` when its heap limit was hit. */
  error(e: { message: string; outOfMemory: boolean }): void;
  /** The worker stopped by itself (Node only: a Web Worker does not report it). */
  exit(code: number): void;
}

/** A started worker, whatever kind it is. */
export interface PoolWorker {
  postMessage(m: ToWorker): void;
  /** Starts listening; returns the function that stops. */
  listen(listener: WorkerListener): () => void;
  terminate(): unknown;
  /** Node: keep the process alive while a task runs (ref) but not for an idle worker (unref). */
  ref?(): void;
  unref?(): void;
}

export interface TaskPoolOptions {
  /** Starts a worker that serves the engine tasks (taskServer.ts), with this memory limit where the platform has one. */
  spawn: (memoryMb: number) => PoolWorker;
  /** Memory limit of each worker, in MB (read when a worker is spawned, so a changed setting applies). */
  memoryMb: number | (() => number);
  /** Workers kept for reuse between tasks (default 1). */
  maxIdle?: number;
  /** An idle worker is terminated after this long (default 30 s), returning its memory. */
  idleMs?: number;
  /** The process's resident memory in bytes, sampled while tasks run (Node); none: no watch. */
  residentMemory?: () => number;
  /** How often resident memory is sampled while tasks run (default 100 ms; 0 turns the watch off). */
  rssSampleMs?: number;
  /** Resident memory allowed above twice the limit (heap, and as much outside it) before the watch stops (default 256 MB). */
  rssMarginMb?: number;
}

interface Slot { worker: PoolWorker; memoryMb: number; exited: boolean; failed?: boolean; idleTimer?: ReturnType<typeof setTimeout> }
interface Running { slot: Slot; stop: (kind: EngineTaskFailure, message: string) => void }

const MB = 1024 * 1024;

export class TaskPool implements EngineRunner {
  private readonly _idle: Slot[] = [];
  private readonly _running = new Set<Running>();
  private _nextId = 1;
  private _rssTimer: ReturnType<typeof setInterval> | undefined;
  private _rssBase = 0;
  private _disposed = false;

  constructor(private readonly _options: TaskPoolOptions) {}

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
      cleanups.push(slot.worker.listen({
        message: onMessage,
        error: (e) => {
          if (e.outOfMemory) running.stop('memory', `ran out of memory (limit ${memoryMb} MB)`);
          else running.stop('crashed', `the worker crashed: ${e.message}`);
        },
        exit: (code) => running.stop('crashed', `the worker stopped unexpectedly (exit code ${code})`),
      }));
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
      if (!s.exited && !s.failed && s.memoryMb === memoryMb) return s;
      void this._kill(s);
    }
    const slot: Slot = { worker: this._options.spawn(memoryMb), memoryMb, exited: false };
    // A worker that failed is not reused (a Web Worker lives on after an uncaught error); the running task, if any,
    // has its own listener.
    slot.worker.listen({ message: () => undefined, error: () => { slot.failed = true; }, exit: () => { slot.exited = true; } });
    return slot;
  }

  private _release(slot: Slot): void {
    if (this._disposed || slot.exited || slot.failed || this._idle.length >= (this._options.maxIdle ?? 1)) void this._kill(slot);
    else {
      slot.worker.unref?.();
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
    slot.worker.ref?.();
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
    const rss = this._options.residentMemory;
    if (this._rssTimer !== undefined || every <= 0 || !rss) return;
    this._rssBase = rss();
    this._rssTimer = setInterval(() => {
      const grown = rss() - this._rssBase;
      const allowed = (2 * this._memoryMb + (this._options.rssMarginMb ?? 256)) * MB;
      if (grown <= allowed) return;
      for (const r of [...this._running]) r.stop('memory', `ran out of memory (limit ${this._memoryMb} MB)`);
    }, every);
  }

  private _stopRssWatch(): void {
    if (this._rssTimer !== undefined) clearInterval(this._rssTimer);
    this._rssTimer = undefined;
  }
}
