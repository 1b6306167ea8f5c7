/**
 * Runs async jobs one after another, in submission order. Used for webview edits so that two
 * `applyEdit`s never race ("the file has changed in the meantime", vscode#149016).
 */
export class SerialQueue {
  private _tail: Promise<unknown> = Promise.resolve();

  /** Queues `job`; resolves/rejects with its result. A failing job does not block later ones. */
  public run<T>(job: () => Promise<T> | T): Promise<T> {
    const next = this._tail.then(job, job);
    this._tail = next.catch(() => undefined);
    return next;
  }
}
