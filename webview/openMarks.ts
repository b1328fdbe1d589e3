/**
 * The webview's side of opening a sample, timed with the browser's own performance marks (issue 13: command to
 * overlay). The stages a sample goes through here — unpacking the wire form, updating the model, painting each
 * layer, waiting for the frame that shows it — are marked as they end; each step's time is the measure from the
 * previous mark, added to that step's total (the model step happens before and after the painting). Measured in
 * the webview itself, so load on the machine slows both the work and its measurement alike.
 */
import type { RenderTimings } from '../src/protocol';

export type OpenStep = Exclude<keyof RenderTimings, 'receivedAt'>;

let nextId = 0;

export class OpenMarks {
  /** When the message reached the handler (ms since the epoch). */
  readonly receivedAt: number;
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

  /** The steps' totals, rounded to 0.1 ms, and drops this load's marks from the timeline. */
  timings(): RenderTimings {
    const round = (v: number) => Math.max(0, Math.round(v * 10) / 10);
    const out: RenderTimings = { receivedAt: this.receivedAt, ...this.totals };
    for (const k of Object.keys(this.totals) as OpenStep[]) out[k] = round(this.totals[k]);
    this.clear();
    return out;
  }

  /** Removes this load's marks (a message that turned out to draw nothing). */
  clear(): void {
    for (const n of this.names.splice(0)) performance.clearMarks(n);
  }
}
