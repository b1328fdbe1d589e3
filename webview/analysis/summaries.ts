/**
 * The panel's one-line summaries, pure: the live numbers under the controls (what the threshold slider changes) and
 * the "drawn" report the host's tests and timings wait for.
 */
import type { AnalysisViewState } from '../../src/protocol';
import { fmt, type Num } from './format';
import { DECODER_NAMES } from './names';
import type { AnalysisSession } from './session';

/**
 * The threshold, the pixels it selects and (with a ground truth) the live macro Dice/IoU/precision/recall;
 * decoder A's macro Dice when A is another decoder. Empty before the base arrived.
 */
export function liveNumbers(session: AnalysisSession, s: AnalysisViewState): string {
  if (!session.base) return '';
  const t = session.shownThreshold() ?? s.settings.threshold;
  const parts = [`Threshold ${t}: ${fmt(session.thresholdSelected())} px selected`];
  const tv = session.views.get('threshold');
  if (session.engine && session.gt) {
    const m = session.liveMacro();
    parts.push(
      `macro Dice ${fmt(m.dice)}`,
      `IoU ${fmt(m.iou)}`,
      `precision ${fmt(m.precision)}`,
      `recall ${fmt(m.recall)}`,
    );
  } else if (tv?.metrics && !session.thresholdIsLive()) {
    parts.push(`macro Dice ${fmt(tv.metrics.macroPresentClasses.metrics.dice.value as Num)}`);
  }
  if (s.decoderA !== 'threshold') {
    const v = session.views.get(s.decoderA);
    const dice = v?.metrics?.macroPresentClasses.metrics.dice.value as Num;
    parts.push(
      `A = ${v?.label ?? DECODER_NAMES[s.decoderA]}${v?.metrics ? `: macro Dice ${fmt(dice)}` : ''}`,
    );
  }
  return parts.join(' · ');
}

/**
 * What is drawn, for the host's 'drawn' event: decoder A's label, the threshold on screen, A's macro Dice (none
 * for a worker mask newer than the host's metrics) and the threshold's selected pixels. Undefined while A has no
 * labels.
 */
export function drawnSummary(session: AnalysisSession, s: AnalysisViewState): string | undefined {
  const v = session.views.get(s.decoderA);
  if (!session.base || !session.labelsOf(s.decoderA)) return undefined;
  const stale = s.decoderA === 'threshold' && session.remote && v?.threshold !== session.remote.threshold;
  const dice = v?.metrics && !stale ? (v.metrics.macroPresentClasses.metrics.dice.value as Num) : undefined;
  // The threshold of the labels on screen: on a large map the worker's mask may still be on its way.
  const t = session.shownThreshold() ?? session.views.get('threshold')?.threshold;
  return `${v?.label ?? s.decoderA}; t=${t ?? s.settings.threshold}; macro Dice ${fmt(dice)}; selected ${session.thresholdSelected() ?? 0}`;
}
