/**
 * Sharding of an id-sorted sample list into N contiguous blocks (`seglens eval --shard I/N`). Block I (1-based)
 * holds samples [floor((I−1)·n/N), floor(I·n/N)), so the blocks are as even as possible, cover every sample once
 * and concatenate back in id order.
 */
import { OptionError } from '../errors';

export interface Shard {
  /** 1-based index of this shard. */
  index: number;
  /** Number of shards. */
  count: number;
}

/** Parses "I/N" (1 ≤ I ≤ N). @throws OptionError otherwise. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    throw new OptionError('--shard', text, 'I/N with 1 ≤ I ≤ N, e.g. 2/8');
  }
  return { index, count };
}

/** The half-open range [start, end) of shard `s` over n samples. */
export function shardRange(n: number, s: Shard): { start: number; end: number } {
  return {
    start: Math.floor(((s.index - 1) * n) / s.count),
    end: Math.floor((s.index * n) / s.count),
  };
}

/** The items of shard `s` (the list must already be in id order). */
export function shardItems<T>(items: readonly T[], s: Shard | undefined): T[] {
  if (!s) return [...items];
  const { start, end } = shardRange(items.length, s);
  return items.slice(start, end);
}
