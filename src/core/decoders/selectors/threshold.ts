/**
 * Threshold (and tuned threshold): pixels with p > t, strict, per (image, class). Accuracy-optimal at t = 0.5,
 * not Dice-optimal. Multiclass labels: the most probable of the classes that selected a pixel.
 */
import type { Selector } from '../row';
import { selectAbove, selectEachClass } from './common';

export const thresholdSelector: Selector = {
  select: (x, o) => selectEachClass(x, (off) => selectAbove(x.data, off, x.pixels, o.threshold, x.masks)),
  labels: 'probability',
};
