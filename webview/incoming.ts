/**
 * A light shape check of host messages. The host is trusted, but a webview can also receive messages from other
 * frames; anything not shaped like a `ToWebview` is ignored, and layers whose pixel buffers do not match their
 * headers are turned into problems instead of being drawn.
 */
import { asToWebview, type Problem, type ToWebview } from '../src/protocol';
import { rasterProblem } from './render';

/** The accepted set is the protocol's table of host messages (src/protocol/viewer.ts `TO_WEBVIEW`). */
export { asToWebview };

/** Splits a sample's layers into drawable ones and problems for the broken ones. */
export function sanitizeSample(msg: Extract<ToWebview, { type: 'sample' }>): {
  msg: Extract<ToWebview, { type: 'sample' }>;
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const layers = msg.layers.filter((l) => {
    const p = l && typeof l === 'object' && l.raster ? rasterProblem(l.raster) : 'layer without pixels';
    if (p) problems.push({ severity: 'error', source: l?.name, message: `${l?.name ?? 'layer'}: ${p}` });
    return !p;
  });
  return { msg: { ...msg, layers }, problems };
}
