/**
 * Top-k: the k most probable pixels per (image, class), ties by flat index; k is clamped to the pixel count.
 */
import { Ranker } from '../order';
import type { Selector } from '../row';
import { selectEachClass } from './common';

export const topkSelector: Selector = {
  select(x, o) {
    const ranker = new Ranker();
    const k = Math.min(o.k, x.pixels);
    return selectEachClass(x, (off) => {
      const order = ranker.rank(x.data, off, x.pixels);
      for (let i = 0; i < k; i++) x.masks[off + order[i]] = 1;
    });
  },
  labels: 'probability',
};
