/**
 * Timing of host-thread steps that may block the extension host (docs/architecture.md §7: nothing over 100 ms), recorded as
 * performance measures named `seglens:<step>`. Only steps that took long are recorded, so the timeline does not
 * grow with ordinary use; the large-map integration test reads these to say which step stalled the host.
 */
import { performance } from 'node:perf_hooks';

/** Steps shorter than this are not recorded. */
const RECORD_OVER_MS = 20;

/** Records `step` as a measure from `start` (a performance.now() value) to now, if it took long. */
export function hostStep(step: string, start: number): void {
  const end = performance.now();
  if (end - start < RECORD_OVER_MS) return;
  performance.measure(`seglens:${step}`, { start, end });
}
