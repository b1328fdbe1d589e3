/**
 * Which channel of a probability map holds the probability of a class (spec §1 "Probabilities per class"), for
 * the three layouts the core accepts:
 *
 * - C = 1, binary task: the channel is p(class 1); class 0 reads 1 − p (in float64).
 * - C = numClasses (softmax): channel c is class c.
 * - C = numClasses − 1, numClasses > 2 (multi-label sigmoid over the foreground classes, as the demo's U-Nets
 *   produce): the channels are the classes other than the background, in order; the background has no channel,
 *   so it gets no calibration or sweep. This layout goes beyond spec v1, which only names the first two.
 */

export interface ClassChannel {
  /** Channel index in the [C, …] map. */
  channel: number;
  /** Read 1 − p instead of p (class 0 of a one-channel binary map). */
  complement: boolean;
}

/** The channel of class `cls`, or undefined when the map has no probability for it. */
export function classChannel(
  channels: number,
  cls: number,
  numClasses: number,
  backgroundIndex = 0,
): ClassChannel | undefined {
  if (channels === 1 && numClasses === 2) return { channel: 0, complement: cls === 0 };
  if (channels === numClasses) return { channel: cls, complement: false };
  if (channels === numClasses - 1 && numClasses > 2) {
    if (cls === backgroundIndex) return undefined;
    return { channel: cls < backgroundIndex ? cls : cls - 1, complement: false };
  }
  return undefined;
}

/** True when the channel count is one of the accepted layouts for `numClasses`. */
export function acceptedChannelCount(channels: number, numClasses: number): boolean {
  return (
    (channels === 1 && numClasses === 2) ||
    channels === numClasses ||
    (channels === numClasses - 1 && numClasses > 2)
  );
}
