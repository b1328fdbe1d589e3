/**
 * What the analysis panel knows about the current sample, without any DOM: the base (layout, ranking), the live
 * threshold engine, the worker's quick mask on a large map, the ground truth, every decoder's result and the
 * expected-Dice curve. The widgets read from it; the panel fills it from the host's events. Unit-tested in node.
 */
import {
  ANALYSIS_DECODERS,
  AnalysisBase,
  AnalysisDecoder,
  DecoderView,
  ExpectedCurve,
} from '../../src/core/viewmodel/analysisTypes';
import { overlapFromCounts } from '../../src/core/viewmodel/errorMap';
import { ThresholdLabels, rankingOf } from '../../src/core/viewmodel/thresholdIndex';
import { labelsOf, typed } from './typed';
import { fmt } from './format';

export class AnalysisSession {
  base?: AnalysisBase;
  /** The live slider engine (slider mode 'local'). */
  engine?: ThresholdLabels;
  /** Slider mode 'worker' (a map over the ranking budget): the newest threshold mask the worker sent. */
  remote?: { threshold: number; labels: ArrayLike<number>; selected: number };
  gt?: ArrayLike<number>;
  readonly views = new Map<AnalysisDecoder, DecoderView>();
  curve?: ExpectedCurve;

  /** Forgets everything of the previous sample. */
  clear(): void {
    this.base = undefined;
    this.engine = undefined;
    this.remote = undefined;
    this.gt = undefined;
    this.views.clear();
    this.curve = undefined;
  }

  /**
   * Takes the host's base: the ranking arrays normalised to typed arrays ('local' slider) or dropped ('worker'),
   * the ground truth when it matches the map's size, and a live engine at `threshold`.
   */
  setBase(b: AnalysisBase, gt: ArrayLike<number> | undefined, threshold: number): void {
    const local = this.isLocal(b);
    const base: AnalysisBase = local
      ? {
          ...b,
          order: typed(b.order, Uint32Array),
          sorted: typed(b.sorted, Float32Array),
          classOf: labelsOf(b.classOf, b.width * b.height),
        }
      : { ...b, order: undefined, sorted: undefined, classOf: undefined };
    this.base = base;
    this.remote = undefined;
    this.gt = base.hasGt && gt && gt.length === base.width * base.height ? gt : undefined;
    const ranking = rankingOf(base);
    this.engine = ranking ? new ThresholdLabels(ranking, this.gt as Uint8Array | undefined) : undefined;
    this.engine?.setThreshold(threshold);
  }

  isLocal(b: AnalysisBase | undefined = this.base): boolean {
    return Boolean(b && b.slider === 'local' && b.order && b.sorted && b.classOf);
  }

  /** A decoder's result; the exact result of a released slider supersedes the worker's mask of that threshold. */
  addDecoder(v: DecoderView): void {
    const n = this.base ? this.base.width * this.base.height : 0;
    this.views.set(v.decoder, { ...v, labels: v.labels ? labelsOf(v.labels, n) : undefined });
    if (v.decoder === 'threshold' && this.remote?.threshold === v.threshold) this.remote = undefined;
  }

  /** The worker's threshold mask (large map); ignored when the slider runs locally. Returns whether taken. */
  setMask(threshold: number, labels: unknown, selected: number): boolean {
    if (!this.base || this.engine) return false;
    const n = this.base.width * this.base.height;
    this.remote = { threshold, labels: labelsOf(labels, n), selected };
    return true;
  }

  get ready(): number {
    return this.views.size;
  }

  /** Every decoder, the base and the curve have arrived. */
  get complete(): boolean {
    return (
      this.base !== undefined && this.views.size === ANALYSIS_DECODERS.length && this.curve !== undefined
    );
  }

  /** The labels of a decoder: the live slider engine for the threshold, else the host's result. */
  labelsOf(d: AnalysisDecoder): ArrayLike<number> | undefined {
    if (d === 'threshold' && this.engine) return this.engine.labels;
    if (d === 'threshold' && this.remote) return this.remote.labels;
    return this.views.get(d)?.labels;
  }

  /** Pixels the threshold decoder selects now (live engine, worker mask, or the host's result). */
  thresholdSelected(): number | undefined {
    if (this.engine) return this.engine.selected;
    if (this.remote) return this.remote.selected;
    const v = this.views.get('threshold');
    return v?.labels ? v.perClass.reduce((a, c) => a + c.k, 0) : undefined;
  }

  /** The threshold of the labels on screen, when the slider has moved them (engine or worker mask). */
  shownThreshold(): number | undefined {
    return this.engine?.threshold ?? this.remote?.threshold;
  }

  /** The threshold row's host result is older than what is drawn (the user is dragging, or the worker's mask). */
  thresholdIsLive(): boolean {
    const shown = this.shownThreshold();
    const v = this.views.get('threshold');
    return shown !== undefined && v !== undefined && v.threshold !== shown;
  }

  /** Macro Dice/IoU of the live threshold labels over the classes not empty on both sides. */
  liveMacro(): { dice: number; iou: number; precision: number; recall: number } {
    const e = this.engine;
    const none = { dice: NaN, iou: NaN, precision: NaN, recall: NaN };
    if (!e || !this.gt) return none;
    let dice = 0;
    let iou = 0;
    let precision = 0;
    let recall = 0;
    let n = 0;
    for (let c = 1; c < e.counts.tp.length; c++) {
      const { tp, fp, fn } = { tp: e.counts.tp[c], fp: e.counts.fp[c], fn: e.counts.fn[c] };
      if (tp + fp + fn === 0) continue;
      const o = overlapFromCounts(tp, fp, fn);
      dice += o.dice;
      iou += o.iou;
      precision += tp + fp ? tp / (tp + fp) : 0;
      recall += tp + fn ? tp / (tp + fn) : 0;
      n++;
    }
    return n ? { dice: dice / n, iou: iou / n, precision: precision / n, recall: recall / n } : none;
  }

  /**
   * What the pixel holds: ground truth (when asked), every decoder's label and the best foreground probability with
   * its class. `name` turns a class number into its display name.
   */
  pixelParts(
    p: { x: number; y: number },
    withGt: boolean,
    name: (k: number) => string,
    decoderName: (d: AnalysisDecoder) => string,
  ): string[] {
    const base = this.base;
    if (!base || p.x < 0 || p.y < 0 || p.x >= base.width || p.y >= base.height) return [];
    const i = p.y * base.width + p.x;
    const parts: string[] = [];
    if (withGt && this.gt) parts.push(`GT ${name(this.gt[i])}`);
    for (const d of ANALYSIS_DECODERS) {
      const labels = this.labelsOf(d);
      if (labels) parts.push(`${decoderName(d)} ${name(labels[i])}`);
    }
    if (withGt) {
      // The ranking holds each pixel's best foreground probability; its rank is searched only on hover (O(N)).
      const rank = base.order ? base.order.indexOf(i) : -1;
      if (base.sorted && base.classOf && rank >= 0)
        parts.push(`max p ${fmt(base.sorted[rank], 3)} (${name(base.classOf[i])})`);
    }
    return parts;
  }
}
