/**
 * The viewer's half of the dataset view's "check this label" jump (the host's `revealRegion`): once the sample of
 * that load is drawn, the stage is zoomed and centred on the region with a margin (the region takes 1/1.6 of the
 * view, as the object table's zoom) and the error map is shown. The region stays pinned while the panel settles —
 * the analysis area opening beside the stage resizes it — until the user zooms or another sample arrives.
 */
import type { ImageRegion } from '../src/protocol';
import { type Size, type ViewWindow, windowAround } from '../src/core/viewmodel/viewWindow';

/** The view window showing `region` (inclusive pixel box, margin 1.6) of an image of size `image` in `box`. */
export function regionWindow(region: ImageRegion, image: Size, box: Size): ViewWindow {
  const x1 = Math.min(image.width, region.x + region.width) - 1;
  const y1 = Math.min(image.height, region.y + region.height) - 1;
  return windowAround(Math.min(region.x, x1), Math.min(region.y, y1), x1, y1, image, box);
}

export interface RegionHost {
  /** The load whose sample is drawn now (−1 when none is). */
  drawnRequest(): number;
  imageSize(): Size;
  boxSize(): Size;
  show(win: ViewWindow): void;
  errorsOn(): void;
  /** The region was shown: its inclusive box [x0, y0, x1, y1] and the stage's window (reported to the host). */
  shown(box: number[]): void;
}

export class RegionReveal {
  private pending?: { requestId: number; region: ImageRegion };
  private pinned?: ImageRegion;

  constructor(private readonly host: RegionHost) {}

  /** The host asked for a region of load `requestId`: shown now if that sample is drawn, else once it is. */
  receive(requestId: number, region: ImageRegion): void {
    this.pending = { requestId, region };
    this.apply();
  }

  /** A sample was drawn: a region waiting for it is shown; a region of an earlier sample no longer holds. */
  sampleDrawn(): void {
    this.pinned = undefined;
    this.apply();
  }

  /** The stage changed size: a pinned region is fitted again. */
  resized(): void {
    if (this.pinned) this.showRegion(this.pinned, false);
  }

  /** The user zoomed: their view wins. */
  release(): void {
    this.pinned = undefined;
  }

  private apply(): void {
    const p = this.pending;
    if (!p) return;
    const drawn = this.host.drawnRequest();
    // A region of an older load never applies to a newer sample.
    if (p.requestId < drawn) this.pending = undefined;
    if (p.requestId !== drawn) return;
    this.pending = undefined;
    this.pinned = p.region;
    this.host.errorsOn();
    this.showRegion(p.region, true);
  }

  private showRegion(r: ImageRegion, report: boolean): void {
    const image = this.host.imageSize();
    const box = this.host.boxSize();
    if (image.width <= 0 || image.height <= 0 || box.width <= 0 || box.height <= 0) return;
    this.host.show(regionWindow(r, image, box));
    if (report) this.host.shown([r.x, r.y, r.x + r.width - 1, r.y + r.height - 1]);
  }
}
