/**
 * The open-to-overlay breakdown of issue 13 as one log line: where the time from the command to the picture on
 * screen went, step by step (host steps by the host's clock, the webview's by its performance marks). Logged,
 * never asserted: the numbers depend on the machine and its load, which the line states too.
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { OpenTimings } from '../../../src/vscode/viewer/context';

const ms = (v: number | undefined) => (v === undefined ? '?' : `${Math.round(v)}`);

/** "load average 1.2 0.9 0.7 on 2 cores" */
export function loadAverage(): string {
  const [a, b, c] = os.loadavg().map((v) => v.toFixed(1));
  return `load average ${a} ${b} ${c} on ${os.availableParallelism()} cores`;
}

/**
 * `t0` is when the test ran the command (Date.now() in the extension host). The steps: command → load start
 * (pairing), the files read and decoded (until the last one is; local files are read on the worker thread that
 * decodes them, so a file's read time includes its wait for that thread), labels + packing + posting, the transfer, the
 * webview's unpacking, model, painting of each canvas and the frame, and what remains (the report's way back).
 */
export function openBreakdown(t: OpenTimings, t0: number): string {
  const command = t.startAt - t0;
  const decoded = Math.max(0, ...t.files.map((f) => f.decodedMs));
  const files = t.files.map((f) => `${f.role} ${f.readMs}/${f.decodedMs}`).join(', ');
  const w = t.webview;
  const webviewMs = w ? w.unpackMs + w.modelMs + w.imageMs + w.gtMs + w.probMs + w.frameMs : 0;
  const back = t.renderedMs - t.postedMs - (t.transferMs ?? 0) - webviewMs;
  const parts = [
    `command→load ${ms(command)}`,
    `files read and decoded ${ms(decoded)} (each read/decoded at: ${files})`,
    `labels+pack+post ${ms(t.postedMs - decoded)}${t.page ? ` (waited for the new webview: its page started at ${ms(t.page.startMs)}, its script was ready at ${ms(t.page.readyMs)})` : ''}`,
    `transfer ${ms(t.transferMs)}${w ? ` (webview busy meanwhile ${ms(w.busyMs)})` : ''}`,
    w
      ? `webview unpack ${ms(w.unpackMs)}, model ${ms(w.modelMs)}, paint image ${ms(w.imageMs)} / mask ${ms(w.gtMs)} / map ${ms(w.probMs)}, frame ${ms(w.frameMs)}`
      : 'webview ?',
    `report back ${ms(back)}`,
  ];
  // A large image's preview went first: when the overlay was first on screen (over the preview).
  const preview = t.preview
    ? `; the overlay first on screen over the image's preview at ${ms(command + t.preview.shownMs)} ms (posted at ${ms(command + t.preview.postedMs)})`
    : '';
  return `${ms(command + t.renderedMs)} ms = ${parts.join(' + ')}${preview}`;
}

/** The host's own steps over 20 ms (src/node/workers/hostStep) since `from` (a performance.now() value). */
export function hostSteps(from: number): string {
  const steps = performance
    .getEntriesByType('measure')
    .filter((m) => m.name.startsWith('seglens:') && m.startTime >= from)
    .map((m) => `${m.name.slice(8)} ${m.duration.toFixed(0)} ms at +${(m.startTime - from).toFixed(0)}`);
  return steps.length ? `steps over 20 ms: ${steps.join(', ')}` : 'no step over 20 ms';
}
