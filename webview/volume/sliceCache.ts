/**
 * The volume panel's slice cache: the slices the host cut for this webview, by plane and index, so a slice step
 * draws from memory instead of waiting for a host round trip (30–140 ms in the browser workbench, more than a
 * frame). After each move the page asks for the slice at the cursor and its neighbours, most of them in the
 * direction the user scrolls (`plan`); the host answers one slice per message.
 *
 * Safety: every slice belongs to a header generation; a slice of another generation is refused, and `reset` (a
 * new header: other files, decoder or layout) empties the cache, so a slice of an earlier prediction or plane
 * layout is never drawn. A slice's arrays must have exactly its plane's pixel count, or it is refused. Pure: no
 * DOM, unit-tested in plain node.
 */
import type { VolumePlane, VolumeSlice } from '../../src/protocol/volume';
import { unpackLabels } from '../../src/protocol/viewerPixels';
import type { VolumeLabelType } from '../../src/protocol/volumePixels';

/** One slice as the page draws it. */
export interface CachedSlice {
  plane: VolumePlane;
  index: number;
  /** Image levels (src/protocol/volumePixels.ts). */
  image?: Uint16Array;
  gt?: Uint8Array | Uint16Array;
  pred?: Uint8Array | Uint16Array;
  heat?: Uint8Array;
}

export interface SliceCacheOptions {
  /** Bytes of slices kept; the least recently used go first (never the slices at the cursor). @default 64 MiB */
  maxBytes?: number;
  /**
   * Slices fetched ahead of the cursor in the scroll direction: a held key (30 steps/s) moves 24 slices in 0.8 s,
   * longer than a slice's round trip through a loaded browser workbench (up to ~0.4 s measured). @default 24
   */
  ahead?: number;
  /** Slices fetched behind it (and on each side after a jump, half of `ahead`). @default 4 */
  behind?: number;
  /** Slices asked for and not yet arrived, at most (the cursor's own slice is always asked). @default 48 */
  maxInFlight?: number;
}

const key = (plane: VolumePlane, index: number): string => `${plane}:${index}`;

function bytesOf(s: CachedSlice): number {
  return (
    (s.image?.byteLength ?? 0) +
    (s.gt?.byteLength ?? 0) +
    (s.pred?.byteLength ?? 0) +
    (s.heat?.byteLength ?? 0)
  );
}

/**
 * The typed arrays of a slice from the wire, or an error when a layer does not decode to exactly `pixels` values
 * of its type (a slice is never drawn from a buffer of another size): the image as 16-bit levels, labels unpacked
 * to `labelType`, the heatmap to bytes.
 */
export function sliceFromWire(
  s: VolumeSlice,
  pixels: number,
  labelType: VolumeLabelType,
): CachedSlice | string {
  const out: CachedSlice = { plane: s.plane, index: s.index };
  const where = `${s.plane} slice ${s.index}`;
  if (s.image) {
    if (s.image.byteLength !== pixels * 2)
      return `${where}: image has ${s.image.byteLength} bytes, expected ${pixels * 2}`;
    out.image = new Uint16Array(s.image);
  }
  const want = labelType === 'uint8' ? Uint8Array : Uint16Array;
  for (const [name, type] of [
    ['gt', want],
    ['pred', want],
    ['heat', Uint8Array],
  ] as const) {
    const packed = s[name];
    if (!packed) continue;
    let a: ReturnType<typeof unpackLabels>;
    try {
      a = unpackLabels(packed, pixels);
    } catch (e) {
      return `${where}: ${name}: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (!(a instanceof type)) return `${where}: ${name} is not ${type.name}`;
    if (name === 'heat') out.heat = a as Uint8Array;
    else out[name] = a as Uint8Array | Uint16Array;
  }
  return out;
}

export class SliceCache {
  private gen = -1;
  /** Insertion order is recency: `get` moves a slice to the end, eviction takes from the front. */
  private readonly slices = new Map<string, { slice: CachedSlice; bytes: number }>();
  private readonly requested = new Set<string>();
  private pinned = new Set<string>();
  private total = 0;
  private readonly maxBytes: number;
  private readonly ahead: number;
  private readonly behind: number;
  private readonly maxInFlight: number;

  constructor(o: SliceCacheOptions = {}) {
    this.maxBytes = o.maxBytes ?? 64 * 1024 * 1024;
    this.ahead = o.ahead ?? 24;
    this.behind = o.behind ?? 4;
    this.maxInFlight = o.maxInFlight ?? 48;
  }

  get generation(): number {
    return this.gen;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.total;
  }

  /** Slices held. */
  get size(): number {
    return this.slices.size;
  }

  /** Slices asked for and not yet arrived. */
  get inFlight(): number {
    return this.requested.size;
  }

  /** Empties the cache for a new header generation. */
  reset(generation: number): void {
    this.gen = generation;
    this.slices.clear();
    this.requested.clear();
    this.pinned.clear();
    this.total = 0;
  }

  /** The slice, when held (and marks it recently used). */
  get(plane: VolumePlane, index: number): CachedSlice | undefined {
    const k = key(plane, index);
    const e = this.slices.get(k);
    if (!e) return undefined;
    this.slices.delete(k);
    this.slices.set(k, e);
    return e.slice;
  }

  has(plane: VolumePlane, index: number): boolean {
    return this.slices.has(key(plane, index));
  }

  /** Whether the slice was asked for and has not arrived. */
  isRequested(plane: VolumePlane, index: number): boolean {
    return this.requested.has(key(plane, index));
  }

  /** Records slices as asked for (the header's three arrive unasked, right after it). */
  markRequested(list: readonly { plane: VolumePlane; index: number }[]): void {
    for (const s of list) if (!this.has(s.plane, s.index)) this.requested.add(key(s.plane, s.index));
  }

  /** The slices at the cursor: never evicted. */
  pin(list: readonly { plane: VolumePlane; index: number }[]): void {
    this.pinned = new Set(list.map((s) => key(s.plane, s.index)));
  }

  /** Stores an arrived slice; refused (false) when it is of another generation. */
  put(generation: number, slice: CachedSlice): boolean {
    if (generation !== this.gen) return false;
    const k = key(slice.plane, slice.index);
    this.requested.delete(k);
    const old = this.slices.get(k);
    if (old) {
      this.total -= old.bytes;
      this.slices.delete(k);
    }
    const bytes = bytesOf(slice);
    this.slices.set(k, { slice, bytes });
    this.total += bytes;
    this.evict();
    return true;
  }

  private evict(): void {
    if (this.total <= this.maxBytes) return;
    for (const [k, e] of this.slices) {
      if (this.total <= this.maxBytes) return;
      if (this.pinned.has(k)) continue;
      this.slices.delete(k);
      this.total -= e.bytes;
    }
  }

  /**
   * The indices of a plane to ask for now, most wanted first: the cursor's `index`, then up to `ahead` slices in
   * `direction` (+1 / −1: the last step's sign) and `behind` against it; after a jump (direction 0) half of
   * `ahead` on each side, nearest first. Only indices in 0 … slices − 1, not held and not already asked for;
   * beyond the cursor's own slice, at most `maxInFlight` outstanding. The returned indices are marked asked for.
   */
  plan(plane: VolumePlane, index: number, direction: -1 | 0 | 1, slices: number): number[] {
    const order: number[] = [index];
    if (direction === 0) {
      const half = Math.max(1, Math.ceil(this.ahead / 2));
      for (let d = 1; d <= half; d++) order.push(index + d, index - d);
    } else {
      for (let d = 1; d <= this.ahead; d++) order.push(index + direction * d);
      for (let d = 1; d <= this.behind; d++) order.push(index - direction * d);
    }
    const out: number[] = [];
    for (const i of order) {
      if (i < 0 || i >= slices || !Number.isInteger(i)) continue;
      const k = key(plane, i);
      if (this.slices.has(k) || this.requested.has(k)) continue;
      if (i !== index && this.requested.size >= this.maxInFlight) break;
      this.requested.add(k);
      out.push(i);
    }
    return out;
  }
}
