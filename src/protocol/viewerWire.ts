/**
 * The viewer's host messages as they cross to the webview (issue 13, viewer transfer). The host builds every
 * `ToWebview` as before; just before posting, `toWireSteps` packs its pixels (src/protocol/viewerPixels.ts), and
 * the webview's first step, `fromWire`, unpacks them, so everything on either side of the wire keeps working on
 * plain typed arrays.
 *
 * What is packed:
 * - mask layers (`gt`, `pred`: one channel of integers) and the label maps of the analysis (`decoder` views,
 *   the worker's threshold `mask`, the base's `classOf`): run-length or bit-packed, whichever is smallest;
 * - a probability layer of more than EXACT_PROB_MAX_PIXELS pixels: its 8-bit heatmap levels (what the stage
 *   draws), packed the same way; the exact floats stay on the host, which answers the hover read-out's `probe`
 *   with a tile of them. Smaller maps cross exactly (cheaper than a round trip per tile);
 * - everything else (images, the slider's ranking) as it is.
 */
import type { AnalysisBase, AnalysisEvent, DecoderView } from './analysis';
import type { Layer, Problem, RasterPayload, ToWebview } from './viewer';
import {
  type LabelArray,
  type PackedLabels,
  PixelsError,
  SLICE_PIXELS,
  packHeatmapSteps,
  packLabelsSteps,
  unpackLabels,
} from './viewerPixels';

/** Probability maps up to this many pixels cross as exact floats (181²: 128 kB), larger ones as heatmap levels. */
export const EXACT_PROB_MAX_PIXELS = 1 << 15;

/** Side of the square tiles of exact probabilities the host sends for the hover read-out (16 kB each). */
export const PROBE_TILE = 64;

/** A layer's pixels on the wire: as they are, packed labels, or a probability map's packed heatmap levels. */
export type WireRaster =
  | RasterPayload
  | (Omit<RasterPayload, 'pixels'> & { packed: PackedLabels })
  | (Omit<RasterPayload, 'pixels'> & { heatmap: PackedLabels });

export type WireLayer = Omit<Layer, 'raster'> & { raster: WireRaster };

type Ev<T extends AnalysisEvent['type']> = Extract<AnalysisEvent, { type: T }>;

export type WireAnalysisEvent =
  | Exclude<AnalysisEvent, { type: 'decoder' | 'mask' | 'base' }>
  | { type: 'decoder'; view: Omit<DecoderView, 'labels'> & { labels?: PackedLabels } }
  | (Omit<Ev<'mask'>, 'labels'> & { labels: PackedLabels })
  | { type: 'base'; base: Omit<AnalysisBase, 'classOf'> & { classOf?: PackedLabels } };

export type WireToWebview =
  | Exclude<ToWebview, { type: 'sample' | 'analysis' }>
  | (Omit<Extract<ToWebview, { type: 'sample' }>, 'layers'> & { layers: WireLayer[] })
  | { type: 'analysis'; requestId: number; event: WireAnalysisEvent };

/**
 * Raw pixels larger than this (a 4096² RGB image is 48 MB) cross in parts of at most this size, each posted as its
 * own message before the sample, so that no single post holds the host's thread while VS Code copies it.
 */
export const PART_BYTES = 8 << 20;

/** One part of a layer's raw pixels (the sample's raster then says `parts` instead of holding `pixels`). */
export interface WirePart {
  type: 'pixelPart';
  requestId: number;
  /** Index of the layer in the sample. */
  layer: number;
  index: number;
  bytes: ArrayBuffer;
}

/** A layer raster whose raw pixels crossed before it in `parts` messages of `byteLength` bytes in all. */
export type PartedRaster = Omit<RasterPayload, 'pixels'> & { parts: number; byteLength: number };

/** What the host posts: a message, or one part of a sample's large raw pixels. */
export type WireMessage = WireToWebview | WirePart;

/**
 * Splits the raw pixels over PART_BYTES of a wire sample into parts (copies of slices of the buffer: VS Code would
 * send a view's whole buffer), yielding after each; returns the parts, then the sample. Other messages: themselves.
 */
export function* splitSteps(wire: WireToWebview, partBytes = PART_BYTES): Generator<void, WireMessage[]> {
  if (wire.type !== 'sample') return [wire];
  const out: WireMessage[] = [];
  const layers: WireLayer[] = [];
  for (const [layer, l] of wire.layers.entries()) {
    const r = l.raster;
    if (!('pixels' in r) || r.pixels.byteLength <= partBytes) {
      layers.push(l);
      continue;
    }
    const { pixels, ...header } = r;
    let index = 0;
    for (let at = 0; at < pixels.byteLength; at += partBytes) {
      const bytes = pixels.slice(at, Math.min(pixels.byteLength, at + partBytes));
      out.push({ type: 'pixelPart', requestId: wire.requestId, layer, index: index++, bytes });
      yield;
    }
    const parted: PartedRaster = { ...header, parts: index, byteLength: pixels.byteLength };
    layers.push({ ...l, raster: parted as unknown as WireRaster });
  }
  out.push({ ...wire, layers });
  return out;
}

/** Packed forms already made, by the array they pack: a re-posted message (a recreated webview) packs nothing. */
export type PackCache = WeakMap<object, PackedLabels>;

function* cached(
  key: object,
  cache: PackCache | undefined,
  make: () => Generator<void, PackedLabels>,
): Generator<void, PackedLabels> {
  const hit = cache?.get(key);
  if (hit) return hit;
  const packed = yield* make();
  cache?.set(key, packed);
  return packed;
}

const isLabelArray = (a: unknown): a is LabelArray =>
  a instanceof Uint8Array || a instanceof Uint16Array || a instanceof Int32Array;

/** A layer's wire form (its pixels packed when they are a mask or a large map), in slices like toWireSteps. */
export function* wireLayer(l: Layer, cache?: PackCache, slice = SLICE_PIXELS): Generator<void, WireLayer> {
  const { pixels, ...header } = l.raster;
  const n = header.width * header.height;
  if (header.channels !== 1) return l;
  if ((l.role === 'gt' || l.role === 'pred') && header.dtype !== 'float32') {
    const labels =
      header.dtype === 'uint8'
        ? new Uint8Array(pixels)
        : header.dtype === 'uint16'
          ? new Uint16Array(pixels)
          : new Int32Array(pixels);
    if (labels.length !== n) return l;
    const packed = yield* cached(pixels, cache, () => packLabelsSteps(labels, slice));
    return { ...l, raster: { ...header, packed } };
  }
  if (l.role === 'prob' && header.dtype === 'float32' && n > EXACT_PROB_MAX_PIXELS) {
    const p = new Float32Array(pixels);
    if (p.length !== n) return l;
    const heatmap = yield* cached(pixels, cache, () => packHeatmapSteps(p, slice));
    return { ...l, raster: { ...header, heatmap } };
  }
  return l;
}

function* wireEvent(
  e: AnalysisEvent,
  cache?: PackCache,
  slice = SLICE_PIXELS,
): Generator<void, WireAnalysisEvent> {
  const pack = (a: LabelArray) => cached(a, cache, () => packLabelsSteps(a, slice));
  switch (e.type) {
    case 'decoder': {
      const { labels, ...view } = e.view;
      if (!isLabelArray(labels)) return { type: 'decoder', view };
      return { type: 'decoder', view: { ...view, labels: yield* pack(labels) } };
    }
    case 'mask':
      return { ...e, labels: yield* pack(e.labels) };
    case 'base': {
      const { classOf, ...base } = e.base;
      if (!isLabelArray(classOf)) return { type: 'base', base };
      return { type: 'base', base: { ...base, classOf: yield* pack(classOf) } };
    }
    default:
      return e;
  }
}

/** The wire form of a host message: a generator that yields between slices of pixels (see viewerPixels). */
export function* toWireSteps(
  msg: ToWebview,
  cache?: PackCache,
  slice = SLICE_PIXELS,
): Generator<void, WireToWebview> {
  if (msg.type === 'sample') {
    const layers: WireLayer[] = [];
    for (const l of msg.layers) layers.push(yield* wireLayer(l, cache, slice));
    return { ...msg, layers };
  }
  if (msg.type === 'analysis') return { ...msg, event: yield* wireEvent(msg.event, cache, slice) };
  return msg;
}

/** The buffers of a wire message's pixels, in bytes (for the bench and the host's log). */
export function wireBytes(x: unknown, seen = new Set<unknown>()): number {
  if (x instanceof ArrayBuffer) {
    if (seen.has(x)) return 0;
    seen.add(x);
    return x.byteLength;
  }
  if (ArrayBuffer.isView(x)) return wireBytes(x.buffer, seen);
  if (typeof x !== 'object' || x === null) return 0;
  let sum = 0;
  for (const v of Object.values(x)) sum += wireBytes(v, seen);
  return sum;
}

// ---------------------------------------------------------------------------------------------------------------
// The webview's side

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isBuffer = (x: unknown): x is ArrayBuffer =>
  x instanceof ArrayBuffer || Object.prototype.toString.call(x) === '[object ArrayBuffer]';

function unpackRaster(r: Record<string, unknown>): Record<string, unknown> {
  const n = (r.width as number) * (r.height as number);
  if (!Number.isInteger(n) || n <= 0 || r.channels !== 1)
    throw new PixelsError('a packed layer must be one channel');
  if ('packed' in r) {
    const { packed, ...header } = r;
    const labels = unpackLabels(packed, n);
    if (
      header.dtype !==
      (labels instanceof Uint8Array ? 'uint8' : labels instanceof Uint16Array ? 'uint16' : 'int32')
    )
      throw new PixelsError(`packed ${String(header.dtype)} layer holds other samples`);
    return { ...header, pixels: labels.buffer };
  }
  const { heatmap, ...header } = r;
  const levels = unpackLabels(heatmap, n);
  if (!(levels instanceof Uint8Array)) throw new PixelsError('heatmap levels must be 8-bit');
  return { ...header, dtype: 'uint8', pixels: levels.buffer, heatmapLevels: true };
}

/** Most samples a packed array of the analysis may claim (the largest `seglens.maxPixels`). */
export const MAX_PACKED_LENGTH = 268_435_456;

/** Unpacks an analysis label map at the length it states (the panel checks it against the map's size). */
function unpackStated(x: unknown): LabelArray {
  const length = isRecord(x) ? x.length : undefined;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > MAX_PACKED_LENGTH)
    throw new PixelsError(`packed pixels state no usable length (${String(length)})`);
  return unpackLabels(x, length);
}

const isPacked = (x: unknown): boolean => isRecord(x) && !ArrayBuffer.isView(x) && 'codec' in x;

function unpackEvent(e: Record<string, unknown>): Record<string, unknown> {
  if (e.type === 'decoder' && isRecord(e.view) && isPacked(e.view.labels))
    return { ...e, view: { ...e.view, labels: unpackStated(e.view.labels) } };
  if (e.type === 'mask' && isPacked(e.labels)) return { ...e, labels: unpackStated(e.labels) };
  if (e.type === 'base' && isRecord(e.base) && isPacked(e.base.classOf))
    return { ...e, base: { ...e.base, classOf: unpackStated(e.base.classOf) } };
  return e;
}

/**
 * The webview's side of the wire: holds the parts of the newest load's large pixels until their sample arrives,
 * and unpacks every message (see `receive`).
 */
export class WireReceiver {
  private partsOf = -1;
  private readonly parts = new Map<string, ArrayBuffer[]>();

  /**
   * The message a host posted, with its pixels unpacked (the webview's side of toWireSteps and splitSteps). A part
   * is kept and gives no message. A layer whose pixels do not unpack (or whose parts are missing) is dropped with a
   * problem naming it; an analysis event that does not unpack is dropped (returned as undefined) with a problem.
   * Anything that is not a packed message passes through untouched.
   */
  receive(x: unknown): { msg: unknown; problems: Problem[] } {
    if (!isRecord(x)) return { msg: x, problems: [] };
    if (x.type === 'pixelPart') {
      this.keepPart(x);
      return { msg: undefined, problems: [] };
    }
    const problems: Problem[] = [];
    if (x.type === 'sample' && Array.isArray(x.layers)) {
      const layers: unknown[] = [];
      for (const [index, l] of (x.layers as unknown[]).entries()) {
        const r = isRecord(l) && isRecord(l.raster) ? l.raster : undefined;
        if (!r || !('packed' in r || 'heatmap' in r || 'parts' in r)) {
          layers.push(l);
          continue;
        }
        try {
          const raster = 'parts' in r ? this.joinParts(r, x.requestId, index) : unpackRaster(r);
          layers.push({ ...(l as Record<string, unknown>), raster });
        } catch (e) {
          if (!(e instanceof PixelsError)) throw e;
          const name = isRecord(l) && typeof l.name === 'string' ? l.name : 'layer';
          problems.push({ severity: 'error', source: name, message: `${name}: ${e.message}` });
        }
      }
      if (x.requestId === this.partsOf) this.parts.clear();
      return { msg: { ...x, layers }, problems };
    }
    if (x.type === 'analysis' && isRecord(x.event)) {
      try {
        return { msg: { ...x, event: unpackEvent(x.event) }, problems };
      } catch (e) {
        if (!(e instanceof PixelsError)) throw e;
        problems.push({ severity: 'error', message: `Analysis result could not be read: ${e.message}` });
        return { msg: undefined, problems };
      }
    }
    return { msg: x, problems };
  }

  /** Keeps a part of the newest load (a newer load's first part drops an older load's parts). */
  private keepPart(x: Record<string, unknown>): void {
    const { requestId, layer, index, bytes } = x;
    if (typeof requestId !== 'number' || typeof layer !== 'number' || typeof index !== 'number') return;
    if (!isBuffer(bytes) || requestId < this.partsOf) return;
    if (requestId > this.partsOf) {
      this.parts.clear();
      this.partsOf = requestId;
    }
    const key = String(layer);
    const list = this.parts.get(key) ?? [];
    list[index] = bytes;
    this.parts.set(key, list);
  }

  private joinParts(r: Record<string, unknown>, requestId: unknown, layer: number): Record<string, unknown> {
    const { parts, byteLength, ...header } = r;
    const list = requestId === this.partsOf ? this.parts.get(String(layer)) : undefined;
    if (typeof parts !== 'number' || typeof byteLength !== 'number' || !list || list.length !== parts)
      throw new PixelsError(`pixels arrived in ${list?.length ?? 0} of ${String(parts)} parts`);
    const out = new Uint8Array(byteLength);
    let at = 0;
    for (let i = 0; i < parts; i++) {
      const b = list[i];
      if (!b || at + b.byteLength > byteLength)
        throw new PixelsError(`part ${i} of the pixels is missing or too long`);
      out.set(new Uint8Array(b), at);
      at += b.byteLength;
    }
    if (at !== byteLength) throw new PixelsError(`pixel parts hold ${at} bytes, expected ${byteLength}`);
    return { ...header, pixels: out.buffer };
  }
}

/** The webview's unpacking of one message without parts (WireReceiver.receive of a fresh receiver). */
export function fromWire(x: unknown): { msg: unknown; problems: Problem[] } {
  return new WireReceiver().receive(x);
}

/**
 * The host's answer to a `probe`: the PROBE_TILE² tile of exact probabilities holding pixel (x, y) (clipped at the
 * map's edges), or undefined when the pixel is outside the map or the layer holds no float probabilities.
 */
export function probeTile(
  requestId: number,
  raster: RasterPayload,
  x: number,
  y: number,
): Extract<ToWebview, { type: 'probeTile' }> | undefined {
  const { width, height } = raster;
  if (raster.dtype !== 'float32' || raster.channels !== 1) return undefined;
  if (x < 0 || y < 0 || x >= width || y >= height) return undefined;
  const p = new Float32Array(raster.pixels);
  if (p.length !== width * height) return undefined;
  const x0 = x - (x % PROBE_TILE);
  const y0 = y - (y % PROBE_TILE);
  const w = Math.min(PROBE_TILE, width - x0);
  const h = Math.min(PROBE_TILE, height - y0);
  const values = new Float32Array(w * h);
  for (let r = 0; r < h; r++) values.set(p.subarray((y0 + r) * width + x0, (y0 + r) * width + x0 + w), r * w);
  return { type: 'probeTile', requestId, x: x0, y: y0, width: w, height: h, values: values.buffer };
}
