/**
 * The worker side of the engine-task protocol in a worker_threads Worker (dist/engineWorker.js and the unit tests'
 * workers): `serveTasks(handlers)` serves the tasks on the thread's parentPort (taskServer.ts does the work; the Web
 * Worker of VS Code for the web serves them on its global scope, src/web/engineWorker.ts).
 * Does nothing when loaded outside a worker thread (e.g. by a test runner that picks up every .js file).
 */
import { parentPort } from 'node:worker_threads';
import { serveTasksOn, type TaskHandler } from './taskServer';

export type { TaskContext, TaskHandler } from './taskServer';

export function serveTasks(handlers: Readonly<Record<string, TaskHandler>>): void {
  const port = parentPort;
  if (!port) return;
  serveTasksOn({ postMessage: (m) => port.postMessage(m), onMessage: (l) => port.on('message', l) }, handlers);
}
