/**
 * Which class each channel of a probability map stands for, as the viewer needs it to turn channels into one label
 * map. Three layouts occur in practice (see metrics/channels.ts for the same rule on the metric side):
 *
 * - `binary`: one channel, the probability of class 1.
 * - `softmax`: C channels that sum to one per pixel; channel c is class c and channel 0 is the background.
 * - `foreground`: C independent sigmoid channels for the classes 1…C (no background channel), as the demo's
 *   U-Nets produce; a pixel is background when no class is selected.
 */
import type { ProbMap } from '../types';

export type ProbLayoutKind = 'binary' | 'softmax' | 'foreground';

export interface ChannelLayout {
  kind: ProbLayoutKind;
  channels: number;
  /** Classes of the task, background included. */
  numClasses: number;
  /** The class index of each channel (channel 0 of a softmax map is the background, class 0). */
  classOfChannel: number[];
  /** One sentence for the panel saying how the channels were read. */
  note: string;
}

/** Most pixels inspected to decide whether channels sum to one (evenly spread over the image). */
const SUM_SAMPLES = 4096;
/** Channels summing to one within this are treated as a softmax output (float32 rounding stays far below it). */
const SUM_TOLERANCE = 1e-3;

/** Decides the layout of a [C, …spatial] map from its channel count and, for C > 1, whether channels sum to 1. */
export function channelLayout(prob: ProbMap): ChannelLayout {
  const C = prob.shape[0];
  if (C === 1) {
    return {
      kind: 'binary',
      channels: 1,
      numClasses: 2,
      classOfChannel: [1],
      note: 'One channel: the probability of class 1.',
    };
  }
  const n = prob.data.length / C;
  const step = Math.max(1, Math.floor(n / SUM_SAMPLES));
  let sumsToOne = true;
  for (let i = 0; i < n && sumsToOne; i += step) {
    let s = 0;
    for (let c = 0; c < C; c++) s += prob.data[c * n + i];
    if (Math.abs(s - 1) > SUM_TOLERANCE) sumsToOne = false;
  }
  if (sumsToOne) {
    return {
      kind: 'softmax',
      channels: C,
      numClasses: C,
      classOfChannel: Array.from({ length: C }, (_, c) => c),
      note: `${C} channels that sum to 1 (softmax): channel c is class c, channel 0 the background.`,
    };
  }
  return {
    kind: 'foreground',
    channels: C,
    numClasses: C + 1,
    classOfChannel: Array.from({ length: C }, (_, c) => c + 1),
    note: `${C} independent channels (sigmoid per class): channel c is class c + 1; no background channel.`,
  };
}

/** The channels that hold a foreground class (all but a softmax map's background channel). */
export function foregroundChannels(layout: ChannelLayout): number[] {
  const out: number[] = [];
  for (let c = 0; c < layout.channels; c++) if (layout.classOfChannel[c] !== 0) out.push(c);
  return out;
}
