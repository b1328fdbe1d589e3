/**
 * Per-key debouncing: typing in a document re-lints it once the edits pause, not on every keystroke. The timer
 * functions are injectable so tests can drive time by hand.
 */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Debouncer {
  private readonly pending = new Map<string, { handle: unknown; fn: () => void }>();
  constructor(private readonly timers: Timers = realTimers) {}

  /** Runs `fn` after `ms` unless `key` is scheduled again first (then only the latest `fn` runs). */
  schedule(key: string, fn: () => void, ms: number): void {
    this.cancel(key);
    const handle = this.timers.set(() => {
      this.pending.delete(key);
      fn();
    }, ms);
    this.pending.set(key, { handle, fn });
  }

  /** Runs the pending call for `key` now (e.g. on save); false when none was pending. */
  flush(key: string): boolean {
    const p = this.pending.get(key);
    if (!p) return false;
    this.cancel(key);
    p.fn();
    return true;
  }

  cancel(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.timers.clear(p.handle);
    this.pending.delete(key);
  }

  has(key: string): boolean {
    return this.pending.has(key);
  }

  dispose(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }
}
