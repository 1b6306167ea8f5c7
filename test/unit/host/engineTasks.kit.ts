/** What the engine-task tests share (the worker pool, the web worker engine, the in-process web engine). */
import * as assert from 'node:assert/strict';
import { EngineTaskError, type CancellationTokenLike } from '../../../src/host/worker/engineRunner';

/** The EngineTaskError a task fails with (the test fails if it succeeds or fails otherwise). */
export async function failure(p: Promise<unknown>): Promise<EngineTaskError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof EngineTaskError, `expected an EngineTaskError, got ${String(e)}`);
    return e;
  }
  assert.fail('the task should have failed');
}

/** A token that can be cancelled by hand. */
export function cancellable(): { token: CancellationTokenLike; cancel: () => void } {
  const listeners: (() => void)[] = [];
  const token = {
    isCancellationRequested: false,
    onCancellationRequested: (l: () => void) => { listeners.push(l); return { dispose: () => listeners.splice(listeners.indexOf(l), 1) }; },
  };
  return { token, cancel: () => { token.isCancellationRequested = true; for (const l of [...listeners]) l(); } };
}
