/**
 * Holds back work that would compete with a load's first picture until that picture is on screen (issue 13:
 * command to overlay). The viewer starts a sample's analysis — base, five decoders and the curve on every worker
 * thread, plus its own large messages on the same channel to the webview — only once the webview reports the
 * sample drawn; measured in the browser workbench, the analysis running during the transfer made the transfer
 * several times slower on two cores.
 *
 * This holds also when the panel's overlay is the analysis' own error map (mask and map hidden, the default once an
 * analysis has drawn): started at once, the analysis slowed the picture's way to the webview so much that its own
 * first drawing came later too (1024² trio in the browser workbench, 2 cores at load ~10, 6 opens each: picture
 * 0.97 s and error map 1.93 s held, 1.54 s and 2.89 s started at once).
 *
 * The held work runs at most once, when the first of these happens: the webview reports that load drawn (or
 * failed), the caller says not to wait (a hidden panel draws nothing until shown), or `latestMs` pass (a webview
 * that never answers must not leave the analysis unstarted). A newer load
 * replaces the held work; it never runs for an older one. Pure of vscode (timers are given), so it is unit-tested
 * in plain node.
 */

export interface AfterFirstPaintOptions {
  /** Longest wait for the picture before the work runs anyway, in milliseconds. @default 5000 */
  latestMs?: number;
  /** Timer functions (tests pass fakes). @default the global setTimeout / clearTimeout */
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export const AFTER_FIRST_PAINT_LATEST_MS = 5000;

export class AfterFirstPaint {
  private held?: { requestId: number; run: () => void; timer: unknown };
  private readonly latestMs: number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(options: AfterFirstPaintOptions = {}) {
    this.latestMs = options.latestMs ?? AFTER_FIRST_PAINT_LATEST_MS;
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /**
   * Holds `run` until load `requestId` is drawn; `wait` false runs it now. Replaces (drops) work held for an
   * earlier load.
   */
  hold(requestId: number, run: () => void, wait: boolean): void {
    this.drop();
    if (!wait) {
      run();
      return;
    }
    const timer = this.setTimer(() => this.release(requestId), this.latestMs);
    this.held = { requestId, run, timer };
  }

  /** Load `requestId` is on screen (or failed to draw): its held work runs now. Other loads: nothing. */
  release(requestId: number): void {
    const held = this.held;
    if (!held || held.requestId !== requestId) return;
    this.held = undefined;
    this.clearTimer(held.timer);
    held.run();
  }

  /** Forgets the held work without running it (a newer load began, the panel closed). */
  drop(): void {
    if (this.held) this.clearTimer(this.held.timer);
    this.held = undefined;
  }

  /** The load whose work is held, if any. */
  get heldFor(): number | undefined {
    return this.held?.requestId;
  }
}
