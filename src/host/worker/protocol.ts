/**
 * Messages between the extension host and an engine worker (src/host/worker/workerPool.ts ↔ workerRuntime.ts).
 * Everything crossing is structured-clone data: plain objects, arrays, strings, numbers, typed arrays, Maps/Sets
 * (class instances arrive as plain objects without their prototype, functions do not cross at all).
 * No `vscode` import.
 */

/** Host → worker. */
export type ToWorker =
  | { type: 'task'; id: number; name: string; args: unknown }
  /** The answer to a worker's `call` (a host service the task asked for, e.g. reading a non-file URI). */
  | { type: 'reply'; callId: number; ok: true; value: unknown }
  | { type: 'reply'; callId: number; ok: false; message: string };

/** Worker → host. */
export type FromWorker =
  | { type: 'done'; id: number; ok: true; value: unknown }
  | { type: 'done'; id: number; ok: false; message: string }
  | { type: 'call'; id: number; callId: number; method: string; args: unknown }
  | { type: 'event'; id: number; event: unknown };
