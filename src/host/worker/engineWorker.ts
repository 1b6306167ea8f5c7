/**
 * The engine worker's entry point (bundled by esbuild.mjs as dist/engineWorker.js, beside dist/extension.js): serves
 * the engine tasks to the extension host's WorkerPool. No `vscode` (it is not available in a worker).
 */
import { ENGINE_TASKS } from './engineTasks';
import { serveTasks } from './workerRuntime';

serveTasks(ENGINE_TASKS);
