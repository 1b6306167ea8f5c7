/**
 * The engine's Web Worker in VS Code for the web (bundled by esbuild.mjs as dist/web/engineWorker.js, one classic
 * script with the web adapters of scripts/bundles.mjs, no Node): serves the engine tasks to the TaskPool of
 * src/host/web/engine.ts on the worker's global scope, as dist/engineWorker.js does on a worker thread's parentPort.
 */
import { ENGINE_TASKS } from '../host/worker/engineTasks';
import type { ToWorker } from '../host/worker/protocol';
import { serveTasksOn } from '../host/worker/taskServer';

/** The part of a Web Worker's global scope used here. */
interface WorkerScope {
  postMessage(m: unknown): void;
  addEventListener(type: 'message', listener: (e: { data: ToWorker }) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
serveTasksOn({ postMessage: (m) => scope.postMessage(m), onMessage: (l) => scope.addEventListener('message', (e) => l(e.data)) }, ENGINE_TASKS);
