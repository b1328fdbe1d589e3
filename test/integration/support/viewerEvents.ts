/**
 * Waiting for viewer milestones in integration tests: the suites collect the extension's `onViewerEvent`s into a
 * list and wait for the first one after a given index that matches.
 */
import type { ViewerEvent } from '../../../src/vscode/viewer/context';

/** Resolves with the first event in `events` after index `from` that matches, polling until `ms` have passed. */
export async function waitForViewerEvent<T extends ViewerEvent>(
  events: readonly ViewerEvent[],
  from: number,
  match: (e: ViewerEvent) => e is T,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = events.slice(from).find(match);
    if (hit) return hit;
    if (Date.now() > deadline) {
      throw new Error(`no matching viewer event within ${ms} ms; saw ${JSON.stringify(events.slice(from))}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

type AnalysisEvent = Extract<ViewerEvent, { type: 'analysis' }>;

/** Matches an analysis milestone (`what`), optionally with a detail text. */
export const analysisEvent =
  (what: AnalysisEvent['what'], detail?: RegExp) =>
  (e: ViewerEvent): e is AnalysisEvent =>
    e.type === 'analysis' && e.what === what && (!detail || detail.test(e.detail));
