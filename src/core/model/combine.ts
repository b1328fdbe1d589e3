/**
 * Several model outputs read as one map (config "outputs" + "combine"): "concat" puts their channels side by side
 * (e.g. a background and a foreground head exported separately), "mean" averages maps of one shape (deep
 * supervision heads, test-time augmentation branches). Combined before the activation, on maps already resampled
 * to the image, so outputs at different strides combine pixel for pixel.
 */
import { InputError } from '../errors';
import type { ProbMap } from '../types';
import type { Combine } from './config';

export function combineMaps(
  maps: readonly ProbMap[],
  names: readonly string[],
  how: Combine,
  modelSource: string,
): ProbMap {
  const [, H, W] = maps[0].shape;
  const N = H * W;
  if (how === 'concat') {
    const C = maps.reduce((n, m) => n + m.shape[0], 0);
    const data = new Float32Array(C * N);
    let at = 0;
    for (const m of maps) {
      data.set(m.data, at);
      at += m.data.length;
    }
    return { data, shape: [C, H, W] };
  }
  const C = maps[0].shape[0];
  maps.forEach((m, i) => {
    if (m.shape[0] !== C) {
      throw new InputError(
        `"combine": "mean" needs outputs with one channel count, but "${names[0]}" has ${C} and "${names[i]}" ` +
          `${m.shape[0]}; use "concat"`,
        modelSource,
      );
    }
  });
  const sum = new Float64Array(C * N);
  for (const m of maps) for (let i = 0; i < sum.length; i++) sum[i] += m.data[i];
  const data = new Float32Array(C * N);
  for (let i = 0; i < sum.length; i++) data[i] = sum[i] / maps.length;
  return { data, shape: [C, H, W] };
}
