/**
 * Exact probabilities for the hover read-out when the map crossed as its 8-bit heatmap (src/protocol/viewerWire.ts):
 * the host keeps the floats and answers a `probe` with the tile around the pixel; tiles are kept for the shown
 * load, so moving the pointer within a tile needs no further message. Pure (no DOM), unit-tested in node.
 */
import type { FromWebview, ToWebview } from '../src/protocol';

type Tile = Extract<ToWebview, { type: 'probeTile' }>;

/** Tiles kept at most (64² floats each: 16 MB in all), the oldest forgotten first. */
const MAX_TILES = 1024;

export class ProbeTiles {
  private requestId = -1;
  private readonly tiles = new Map<string, { x: number; y: number; width: number; values: Float32Array }>();
  private readonly asked = new Set<string>();

  constructor(
    private readonly post: (msg: Extract<FromWebview, { type: 'probe' }>) => void,
    private readonly tileSide: number,
  ) {}

  private key(x: number, y: number): string {
    return `${Math.floor(x / this.tileSide)},${Math.floor(y / this.tileSide)}`;
  }

  /** Forgets the tiles of another load. */
  private use(requestId: number): void {
    if (requestId === this.requestId) return;
    this.requestId = requestId;
    this.tiles.clear();
    this.asked.clear();
  }

  /** The exact probability at (x, y) of load `requestId`, or undefined (then asked for, once per tile). */
  valueAt(requestId: number, x: number, y: number): number | undefined {
    this.use(requestId);
    const key = this.key(x, y);
    const tile = this.tiles.get(key);
    if (tile) return tile.values[(y - tile.y) * tile.width + (x - tile.x)];
    if (!this.asked.has(key)) {
      this.asked.add(key);
      this.post({ type: 'probe', requestId, x, y });
    }
    return undefined;
  }

  /** Keeps a tile the host sent; returns whether it belongs to the shown load (then the read-out may redraw). */
  receive(tile: Tile): boolean {
    if (tile.requestId !== this.requestId) return false;
    const values = new Float32Array(tile.values);
    if (values.length !== tile.width * tile.height) return false;
    const key = this.key(tile.x, tile.y);
    this.tiles.set(key, { x: tile.x, y: tile.y, width: tile.width, values });
    this.asked.delete(key);
    if (this.tiles.size > MAX_TILES) this.tiles.delete(this.tiles.keys().next().value as string);
    return true;
  }
}
