/**
 * The webview's side of opening a sample, timed with the browser's own performance marks (issue 13: command to
 * overlay). The stages a sample goes through here — unpacking the wire form, updating the model, painting each
 * layer, waiting for the frame that shows it — are marked as they end; each step's time is the measure from the
 * previous mark, added to that step's total (the model step happens before and after the painting). Measured in
 * the webview itself, so load on the machine slows both the work and its measurement alike.
 */
import type { RenderTimings } from '../src/protocol';

export type OpenStep = Exclude<keyof RenderTimings, 'receivedAt' | 'busyMs' | 'pageAt' | 'readyAt'>;

let nextId = 0;

export class OpenMarks {
  /** When the message reached the handler (ms since the epoch). */
  readonly receivedAt: number;
  /** The same moment on this page's performance clock. */
  readonly receivedAtNow = performance.now();
  private readonly prefix: string;
  private last: string;
  private readonly names: string[] = [];
  private readonly totals: Record<OpenStep, number> = {
    unpackMs: 0,
    modelMs: 0,
    imageMs: 0,
    gtMs: 0,
    probMs: 0,
    frameMs: 0,
  };
  private count = 0;

  constructor(receivedAt = Date.now()) {
    this.receivedAt = receivedAt;
    this.prefix = `seglens-open-${nextId++}`;
    this.last = this.mark('received');
  }

  private mark(label: string): string {
    const name = `${this.prefix}:${this.count++}:${label}`;
    performance.mark(name);
    this.names.push(name);
    return name;
  }

  /** Ends a step now: its time since the previous mark is added to the step's total. */
  step(step: OpenStep): void {
    const end = this.mark(step);
    const measure = `${end}:measure`;
    const m = performance.measure(measure, this.last, end);
    performance.clearMeasures(measure);
    this.totals[step] += m.duration;
    this.last = end;
  }

  /** Milliseconds since the message arrived (the old `drawMs`: receiving to showing). */
  elapsed(): number {
    const end = this.mark('elapsed');
    const measure = `${end}:measure`;
    const m = performance.measure(measure, this.names[0], end);
    performance.clearMeasures(measure);
    return m.duration;
  }

  /**
   * The steps' totals, rounded to 0.1 ms, and drops this load's marks from the timeline. `busyMs`: how long the
   * thread was busy with other work while the sample was on its way (BusyTime); `readyAt`: when the page's script
   * said ready (the page's start is the performance clock's origin).
   */
  timings(busyMs = 0, readyAt = this.receivedAt): RenderTimings {
    const round = (v: number) => Math.max(0, Math.round(v * 10) / 10);
    const out: RenderTimings = {
      receivedAt: this.receivedAt,
      ...this.totals,
      busyMs: round(busyMs),
      pageAt: Math.round(performance.timeOrigin),
      readyAt,
    };
    for (const k of Object.keys(this.totals) as OpenStep[]) out[k] = round(this.totals[k]);
    this.clear();
    return out;
  }

  /** Removes this load's marks (a message that turned out to draw nothing). */
  clear(): void {
    for (const n of this.names.splice(0)) performance.clearMarks(n);
  }
}

// 'longtask' is a browser entry type that the Node-flavoured typings of PerformanceObserver do not list.
const LONG_TASKS = { type: 'longtask', buffered: true } as unknown as Parameters<
  InstanceType<typeof PerformanceObserver>['observe']
>[0];

/**
 * Long tasks of the webview's thread (the browser's Long Tasks API: tasks of 50 ms or more), so the open-to-overlay
 * log can tell time the sample waited for a busy webview from time it spent crossing. Where the API is missing,
 * every answer is 0.
 */
export class BusyTime {
  private tasks: { start: number; end: number }[] = [];

  constructor() {
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          this.tasks.push({ start: e.startTime, end: e.startTime + e.duration });
        // Only the last minute is ever asked about.
        const old = performance.now() - 60_000;
        if (this.tasks.length > 256 || (this.tasks[0] && this.tasks[0].end < old))
          this.tasks = this.tasks.filter((t) => t.end >= old).slice(-256);
      }).observe(LONG_TASKS);
    } catch {
      // No Long Tasks API here: nothing is recorded.
    }
  }

  /** Milliseconds of long tasks between `from` and `to` (performance.now() values), clipped to that span. */
  between(from: number, to: number): number {
    let sum = 0;
    for (const t of this.tasks) sum += Math.max(0, Math.min(t.end, to) - Math.max(t.start, from));
    return sum;
  }
}
