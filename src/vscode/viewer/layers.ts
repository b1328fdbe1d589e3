/**
 * Turns decoded rasters into protocol layers and checks that they fit together. Pure (no vscode import) so the
 * size-mismatch rule and the buffer handling are unit-tested in plain node.
 */
import type { Layer, LayerRole, Problem } from '../../protocol';
import type { Raster } from '../../node/io/load';

/**
 * The raster's samples as a standalone ArrayBuffer: the buffer itself when the typed array spans all of it (no
 * copy), otherwise a copy of just the samples, so the webview never receives bytes that are not pixels.
 */
export function pixelsBuffer(data: Raster['data']): ArrayBuffer {
  const buf = data.buffer;
  if (buf instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === buf.byteLength) return buf;
  return new Uint8Array(buf, data.byteOffset, data.byteLength).slice().buffer;
}

export function toLayer(role: LayerRole, raster: Raster, name: string, uri: string): Layer {
  return {
    role,
    name,
    uri,
    format: raster.format,
    sourceDtype: raster.sourceDtype,
    range: raster.range,
    classes: raster.classes,
    palette: raster.palette,
    ...(raster.fileChannels !== undefined ? { fileChannels: raster.fileChannels } : {}),
    raster: {
      width: raster.width,
      height: raster.height,
      channels: raster.channels,
      dtype: raster.dtype,
      pixels: pixelsBuffer(raster.data),
    },
  };
}

/**
 * The image layer's preview (src/core/viewmodel/preview.ts): the layer's information, the averaged samples, and the
 * image's own size to draw them at.
 */
export function previewLayer(
  image: Layer,
  preview: { data: Raster['data']; width: number; height: number },
): Layer {
  return {
    ...image,
    raster: {
      width: preview.width,
      height: preview.height,
      channels: image.raster.channels,
      dtype: image.raster.dtype,
      pixels: pixelsBuffer(preview.data),
    },
    previewOf: { width: image.raster.width, height: image.raster.height },
  };
}

export interface NamedRaster {
  role: LayerRole;
  raster: Raster;
  /** Name used in messages (workspace-relative path). */
  label: string;
}

/**
 * Keeps the layers whose size matches the base image (the first layer) and reports each one that does not, naming
 * both files: an overlay of the wrong size would put every label on the wrong pixel.
 */
export function checkSizes(layers: NamedRaster[]): { kept: NamedRaster[]; problems: Problem[] } {
  if (layers.length === 0) return { kept: [], problems: [] };
  const base = layers[0];
  const kept = [base];
  const problems: Problem[] = [];
  for (const l of layers.slice(1)) {
    if (l.raster.width === base.raster.width && l.raster.height === base.raster.height) {
      kept.push(l);
      continue;
    }
    problems.push({
      severity: 'error',
      source: l.label,
      message:
        `${l.label}: size mismatch: the ${roleName(l.role)} is ${l.raster.width}×${l.raster.height} but the ` +
        `${roleName(base.role)} ${base.label} is ${base.raster.width}×${base.raster.height}; the overlay is not drawn.`,
    });
  }
  return { kept, problems };
}

export function roleName(role: LayerRole): string {
  switch (role) {
    case 'image':
      return 'image';
    case 'gt':
      return 'ground-truth mask';
    case 'pred':
      return 'predicted mask';
    case 'prob':
      return 'probability map';
  }
}
