/** Per-key debouncing (one timer per document URI). No `vscode` import. */
export class KeyedDebouncer {
  private readonly _timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly _delayMs: number) {}

  /** (Re)starts the timer for `key`; `fn` runs once, `delayMs` after the last call. */
  public schedule(key: string, fn: () => void): void {
    this.cancel(key);
    this._timers.set(key, setTimeout(() => {
      this._timers.delete(key);
      fn();
    }, this._delayMs));
  }

  public cancel(key: string): void {
    const t = this._timers.get(key);
    if (t !== undefined) {
      clearTimeout(t);
      this._timers.delete(key);
    }
  }

  public pending(key: string): boolean {
    return this._timers.has(key);
  }

  public dispose(): void {
    for (const t of this._timers.values()) clearTimeout(t);
    this._timers.clear();
  }
}
