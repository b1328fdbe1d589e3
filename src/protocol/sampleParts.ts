/**
 * A sample sent in two parts (issue 13): first its layers with a preview of a large image, then the image itself in
 * a `completes` message. One rule for both sides — the host keeps the whole sample to re-post to a recreated
 * webview, the webview draws it — so they cannot disagree on what the panel shows.
 */
import type { Layer, LayerRole } from './viewer';

const ORDER: readonly LayerRole[] = ['image', 'gt', 'pred', 'prob'];

/**
 * The layers once `completing` arrived: each of its layers replaces the layer of its role (the image's preview
 * included); the others stay. In the sample's order (image, ground truth, prediction, probabilities): the first
 * layer is the base the others are drawn over.
 */
export function completeLayers(shown: readonly Layer[], completing: readonly Layer[]): Layer[] {
  const roles = new Set(completing.map((l) => l.role));
  return [...completing, ...shown.filter((l) => !roles.has(l.role))].sort(
    (a, b) => ORDER.indexOf(a.role) - ORDER.indexOf(b.role),
  );
}
