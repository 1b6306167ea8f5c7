/**
 * The CLI's process entry (bin.ts) runs the command (main.ts) on a worker thread whose V8 heap limit is set from the
 * machine (half its memory, at least V8's own default; `QPCR_MEMORY_MB` sets it), so an input too large for the
 * memory ends with one clear line and exit code 71 instead of V8's fatal "heap out of memory" abort and native stack.
 * The main thread loads only this module, starts the worker and relays its exit code; the worker's stdout and
 * stderr are the process's. Nothing here imports the engine.
 */
import * as os from 'node:os';
import * as v8 from 'node:v8';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { internalErrorText } from './escape';

/** Exit code of a run that needed more memory than the heap limit. */
export const EXIT_OUT_OF_MEMORY = 71;

/** What the worker cannot see itself: whether the process's stderr is a terminal, and its width. */
export interface CliTerminal { stderrTty: boolean; columns: number }

/** The terminal of the process: on the worker, as the main thread saw it. */
export function cliTerminal(): CliTerminal {
  const t = (isMainThread ? undefined : (workerData as { terminal?: CliTerminal } | null)?.terminal);
  return t ?? { stderrTty: !!process.stderr.isTTY, columns: process.stderr.columns ?? 80 };
}

/** The heap limit in MB: `QPCR_MEMORY_MB`, else half the machine's memory, never below V8's default. */
export function heapLimitMb(env: NodeJS.ProcessEnv = process.env): number | string {
  const given = env.QPCR_MEMORY_MB;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    return Number.isInteger(n) && n >= 16 ? n : `QPCR_MEMORY_MB must be a whole number of megabytes, at least 16 (got "${given}")`;
  }
  const v8Default = Math.round(v8.getHeapStatistics().heap_size_limit / 1048576);
  return Math.max(v8Default, Math.floor(os.totalmem() / 2 / 1048576));
}

/**
 * Starts the CLI (`script`, the module whose `main` runs the command) on a worker thread with the heap limit and
 * relays its end: its exit code, or exit 71 and one line when it ran out of memory.
 */
export function launchCli(script: string): void {
  const limit = heapLimitMb();
  if (typeof limit === 'string') { process.stderr.write(`qpcr-studio: ${limit}\n`); process.exitCode = 2; return; }
  const terminal = cliTerminal(); // on the main thread: the process's own
  const worker = new Worker(script, { argv: process.argv.slice(2), workerData: { terminal }, resourceLimits: { maxOldGenerationSizeMb: limit } });
  let failed = false;
  worker.on('error', (e: Error & { code?: string }) => {
    failed = true;
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      const why = process.env.QPCR_MEMORY_MB ? 'QPCR_MEMORY_MB' : 'half this machine\'s memory';
      process.stderr.write(`\nqpcr-studio: out of memory: the run needed more than its heap limit of ${limit} MB (${why}). `
        + 'Set QPCR_MEMORY_MB to a larger limit, or split the plates into several files.\n');
      process.exitCode = EXIT_OUT_OF_MEMORY;
    } else {
      process.stderr.write(internalErrorText(e));
      process.exitCode = 70;
    }
  });
  worker.on('exit', (code) => { if (!failed) process.exitCode = code; });
}
