/**
 * The worker side of the engine-task protocol, for any kind of worker: `serveTasksOn(port, handlers)` answers the
 * pool's `task` messages with the handler's result (or its error message), and gives each handler a context to call
 * host services and to report events (progress, the file being read). Tasks run one at a time per worker (the pool
 * sends one at a time). The port is a worker_threads parentPort (workerRuntime.ts) or a Web Worker's global scope
 * (src/web/engineWorker.ts). No `vscode` and no Node import.
 */
import type { FromWorker, ToWorker } from './protocol';

export interface TaskContext {
  /** Asks the host for a service (the pool's `onCall`); rejects with the host's error message. */
  call<T>(method: string, args: unknown): Promise<T>;
  /** Reports an event to the host (the pool's `onEvent`). */
  emit(event: unknown): void;
}

/** A task: its arguments as the host sent them (typed by each handler), its result or a promise of it. */
export type TaskHandler = (args: never, ctx: TaskContext) => unknown;

/** The worker's end of the channel to the host. */
export interface TaskPort {
  postMessage(m: FromWorker): void;
  onMessage(listener: (m: ToWorker) => void): void;
}

export function serveTasksOn(port: TaskPort, handlers: Readonly<Record<string, TaskHandler>>): void {
  let nextCall = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const post = (m: FromWorker) => port.postMessage(m);
  port.onMessage((m) => {
    if (m.type === 'reply') {
      const p = pending.get(m.callId);
      pending.delete(m.callId);
      if (p) { if (m.ok) p.resolve(m.value); else p.reject(new Error(m.message)); }
      return;
    }
    const { id } = m;
    const ctx: TaskContext = {
      call: <T>(method: string, args: unknown) => new Promise<T>((resolve, reject) => {
        const callId = nextCall++;
        pending.set(callId, { resolve: resolve as (v: unknown) => void, reject });
        post({ type: 'call', id, callId, method, args });
      }),
      emit: (event) => post({ type: 'event', id, event }),
    };
    void (async () => {
      try {
        const handler = Object.prototype.hasOwnProperty.call(handlers, m.name) ? handlers[m.name] : undefined;
        if (!handler) throw new Error(`unknown engine task "${m.name}"`);
        post({ type: 'done', id, ok: true, value: await handler(m.args as never, ctx) });
      } catch (e) {
        post({ type: 'done', id, ok: false, message: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
}
