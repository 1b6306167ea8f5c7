/** Disposable helpers (after vscode-hexeditor's dispose.ts). No `vscode` import, so unit-testable. */

/** Anything with a `dispose()` (structurally compatible with `vscode.Disposable`). */
export interface IDisposable {
  dispose(): void;
}

/** Disposes every item, even if one throws; rethrows the first error afterwards. */
export function disposeAll(items: IDisposable[]): void {
  let first: unknown;
  while (items.length) {
    const d = items.pop();
    try {
      d?.dispose();
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}

/** Base class that owns child disposables and disposes them once. */
export abstract class Disposable implements IDisposable {
  private _isDisposed = false;
  protected readonly _disposables: IDisposable[] = [];

  public dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables);
  }

  protected _register<T extends IDisposable>(value: T): T {
    if (this._isDisposed) value.dispose();
    else this._disposables.push(value);
    return value;
  }

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }
}
