/**
 * What the dataset view keeps of an evaluation: one compact record per image, filled as the engine's rows
 * (one per image × model × decoder, src/core/dataset/rows.ts) arrive, and nothing else — the IMAGE objects are read
 * and dropped, so 10,000 images cost a few megabytes, not the gigabyte their object lists would.
 *
 * Per (image, model, decoder, scope) it keeps the table's numbers (TABLE_METRICS); per (image, model, decoder,
 * class) the integer TP/FP/FN counts the pooled numbers are summed from; per (image, model, decoder) the correct
 * and counted pixels of pixel accuracy. Pure: no vscode, so plain node tests cover it.
 */
import type { EvalRow } from '../../core/dataset/rows';
import {
  ROW_FLAGS,
  TABLE_METRICS,
  type TableLayout,
  type TableMetric,
  type TableScope,
  columnCount,
  columnIndex,
} from '../../protocol/dataset';

/** One image of the set, as planned: its id and files (absolute paths). */
export interface StoreItem {
  id: string;
  image?: string;
  gt?: string;
  /** Model → probability map. */
  probs: Record<string, string>;
}

/** The best label-error region of an (image, class) for one model (from the first decoder's rows). */
export interface StoredLabelError {
  row: number;
  model: number;
  classIndex: number;
  score: number;
  kind: 'missed' | 'spurious';
  pixels: number;
  bbox: { min: number[]; max: number[] };
}

const FLAG_BITS: Record<string, number> = {
  'empty-gt': ROW_FLAGS.emptyGt,
  skipped: ROW_FLAGS.skipped,
  'logits-converted': ROW_FLAGS.logitsConverted,
  'no-gt': ROW_FLAGS.noGt,
};

/** The ROW_FLAGS bits of an engine row's flags (unknown flags are ignored). */
export function flagBits(flags: readonly string[]): number {
  let bits = 0;
  for (const f of flags) bits |= FLAG_BITS[f] ?? 0;
  return bits;
}

/**
 * The image's value of a metric over its classes: the mean of the finite per-class values; for distances, +∞
 * when every defined class is at infinite distance (one side empty) and NaN when none is defined.
 */
export function classMean(values: readonly number[]): number {
  let sum = 0;
  let n = 0;
  let inf = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    } else if (v === Infinity) inf++;
  }
  if (n > 0) return sum / n;
  return inf > 0 ? Infinity : NaN;
}

export class RowStore {
  readonly layout: TableLayout;
  readonly cols: number;
  /** Class indices of the per-class scopes (scope s ≥ 1 is classes[s − 1]). */
  readonly classes: number[];
  readonly values: Float64Array;
  readonly flags: Uint8Array;
  readonly errors: string[];
  /** Engine rows received per image (complete at models × decoders). */
  readonly arrived: Uint16Array;
  /** [row][m][d][class] × (tp, fp, fn). */
  readonly counts: Float64Array;
  /** [row][m][d] × (correct pixels, pixels). */
  readonly pixels: Float64Array;
  readonly labelErrors: StoredLabelError[] = [];
  /**
   * [row][m][d] × K² pixels per (GT class, predicted class), when the engine counted them (K ≤ 64); K = 0 keeps
   * none. Lets a click on a confusion-matrix cell list the images behind it.
   */
  readonly confusion: Float64Array;
  readonly confusionClasses: number;
  /** [row][m] × thumbSize² error codes of the first decoder, and [row][m] × (width, height) drawn. */
  readonly thumbs: Uint8Array;
  readonly thumbDims: Uint8Array;
  /** Per image: whether a ground truth was evaluated. */
  readonly hasGt: Uint8Array;
  private readonly rowOf = new Map<string, number>();
  private readonly perRow: number;
  completed = 0;

  constructor(
    readonly items: readonly StoreItem[],
    models: readonly string[],
    decoders: readonly string[],
    classes: readonly { index: number; name: string }[],
    /** Classes 0…K−1 of the per-row confusion matrices (0 = keep none). */
    confusionClasses = 0,
    /** Side of the kept error-map thumbnails (first decoder, per model); 0 = none. */
    thumbSize = 0,
  ) {
    const scopes: TableScope[] = [
      { key: 'macro', label: 'all classes' },
      ...classes.map((c) => ({ key: c.index, label: c.name })),
    ];
    this.layout = { models: [...models], decoders: [...decoders], scopes, metrics: TABLE_METRICS, thumbSize };
    this.classes = classes.map((c) => c.index);
    this.cols = columnCount(this.layout);
    const n = items.length;
    this.values = new Float64Array(n * this.cols).fill(NaN);
    this.flags = new Uint8Array(n);
    this.errors = new Array<string>(n).fill('');
    this.arrived = new Uint16Array(n);
    this.perRow = models.length * decoders.length;
    this.counts = new Float64Array(n * this.perRow * classes.length * 3);
    this.pixels = new Float64Array(n * this.perRow * 2);
    this.hasGt = new Uint8Array(n);
    this.confusionClasses = confusionClasses <= 64 ? confusionClasses : 0;
    this.confusion = new Float64Array(n * this.perRow * this.confusionClasses ** 2);
    this.thumbs = new Uint8Array(n * models.length * thumbSize * thumbSize);
    this.thumbDims = new Uint8Array(n * models.length * 2);
    items.forEach((it, i) => this.rowOf.set(it.id, i));
  }

  get total(): number {
    return this.items.length;
  }

  rowIndex(id: string): number | undefined {
    return this.rowOf.get(id);
  }

  isComplete(row: number): boolean {
    return this.arrived[row] >= this.perRow;
  }

  value(row: number, m: number, d: number, s: number, metric: TableMetric): number {
    const k = this.layout.metrics.indexOf(metric);
    return this.values[row * this.cols + columnIndex(this.layout, m, d, s, k)];
  }

  /** [tp, fp, fn] of an (image, model, decoder, class position). */
  classCounts(row: number, m: number, d: number, c: number): [number, number, number] {
    const at = ((row * this.perRow + m * this.layout.decoders.length + d) * this.classes.length + c) * 3;
    return [this.counts[at], this.counts[at + 1], this.counts[at + 2]];
  }

  /** [correct, pixels] of an (image, model, decoder). */
  pixelCounts(row: number, m: number, d: number): [number, number] {
    const at = (row * this.perRow + m * this.layout.decoders.length + d) * 2;
    return [this.pixels[at], this.pixels[at + 1]];
  }

  /**
   * Stores one engine row. Returns the table row index when this row completed its image (every model and
   * decoder arrived), else undefined. Rows of unknown ids, models or decoders are ignored (returns undefined).
   */
  add(r: EvalRow): number | undefined {
    const row = this.rowOf.get(r.id);
    const m = this.layout.models.indexOf(r.model);
    const d = this.layout.decoders.indexOf(r.decoder);
    if (row === undefined || m < 0 || d < 0) return undefined;
    this.flags[row] |= flagBits(r.flags);
    if (r.error) {
      this.flags[row] |= ROW_FLAGS.skipped;
      if (!this.errors[row]) this.errors[row] = r.error;
    }
    this.put(row, m, d, 0, 'expectedDice', r.expectedDice);
    this.classes.forEach((c, ci) =>
      this.put(row, m, d, ci + 1, 'expectedDice', r.expectedDicePerClass[String(c)] ?? NaN),
    );
    if (r.image) this.addMetrics(row, m, d, r);
    this.addExtras(row, m, d, r);
    this.arrived[row]++;
    if (this.arrived[row] === this.perRow) {
      this.completed++;
      return row;
    }
    return undefined;
  }

  private put(row: number, m: number, d: number, s: number, metric: TableMetric, v: number): void {
    this.values[row * this.cols + columnIndex(this.layout, m, d, s, TABLE_METRICS.indexOf(metric))] = v;
  }

  /** The metrics of a row with ground truth: per class and macro, the TP/FP/FN counts, the pixel counts. */
  private addMetrics(row: number, m: number, d: number, r: EvalRow): void {
    const image = r.image;
    if (!image) return;
    this.hasGt[row] = 1;
    this.put(row, m, d, 0, 'dice', r.meanDice);
    const at = row * this.perRow + m * this.layout.decoders.length + d;
    const base = at * this.classes.length * 3;
    this.classes.forEach((c, ci) => {
      const pc = image.perClass[String(c)];
      if (!pc) return;
      this.put(row, m, d, ci + 1, 'dice', pc.overlap.dice);
      this.put(row, m, d, ci + 1, 'iou', pc.overlap.iou);
      this.put(row, m, d, ci + 1, 'precision', pc.overlap.precision);
      this.put(row, m, d, ci + 1, 'recall', pc.overlap.recall);
      this.put(row, m, d, ci + 1, 'hd95', pc.surface.hd95);
      this.counts[base + ci * 3] = pc.counts.tp;
      this.counts[base + ci * 3 + 1] = pc.counts.fp;
      this.counts[base + ci * 3 + 2] = pc.counts.fn;
    });
    // The "all classes" scope is the macro of docs/metrics.md: the classes present in the mask or the prediction.
    const macro = image.macroPresentClasses;
    this.put(row, m, d, 0, 'iou', macro.metrics.iou.value);
    this.put(row, m, d, 0, 'precision', macro.metrics.precision.value);
    this.put(row, m, d, 0, 'recall', macro.metrics.recall.value);
    const hd95 = macro.classes.map((c) => image.perClass[String(c)]?.surface.hd95 ?? NaN);
    this.put(row, m, d, 0, 'hd95', classMean(hd95));
    if (r.stats) {
      this.pixels[at * 2] = r.stats.correctPixels;
      this.pixels[at * 2 + 1] = r.stats.pixels;
    }
  }

  /** What a row carries besides metrics: its confusion counts, the first decoder's thumbnail and label errors. */
  private addExtras(row: number, m: number, d: number, r: EvalRow): void {
    const K = this.confusionClasses;
    if (K > 0 && r.confusion && r.confusion.length === K * K) {
      this.confusion.set(r.confusion, (row * this.perRow + m * this.layout.decoders.length + d) * K * K);
    }
    if (d !== 0) return;
    const T = this.layout.thumbSize;
    const th = r.thumbnail;
    if (T > 0 && th && th.width <= T && th.height <= T && th.codes.length === th.width * th.height) {
      const at = row * this.layout.models.length + m;
      this.thumbs.set(th.codes, at * T * T);
      this.thumbDims[at * 2] = th.width;
      this.thumbDims[at * 2 + 1] = th.height;
    }
    for (const e of r.labelErrors ?? []) {
      const { score, kind, pixels, bbox } = e;
      this.labelErrors.push({ row, model: m, classIndex: e.class, score, kind, pixels, bbox });
    }
  }

  /** Marks an image as failed for every model and decoder (the engine could not evaluate it at all). */
  fail(row: number, error: string): boolean {
    if (this.isComplete(row)) return false;
    this.flags[row] |= ROW_FLAGS.skipped;
    if (!this.errors[row]) this.errors[row] = error;
    this.arrived[row] = this.perRow;
    this.completed++;
    return true;
  }

  /** The table values of some rows, in order, as one buffer (what a `rows` message carries). */
  batch(rows: readonly number[]): {
    indices: number[];
    ids: string[];
    flags: number[];
    errors: string[];
    values: ArrayBuffer;
    thumbs: ArrayBuffer;
    thumbDims: number[];
  } {
    const values = new Float64Array(rows.length * this.cols);
    rows.forEach((r, k) =>
      values.set(this.values.subarray(r * this.cols, (r + 1) * this.cols), k * this.cols),
    );
    const M = this.layout.models.length;
    const tt = this.layout.thumbSize ** 2;
    const thumbs = new Uint8Array(rows.length * M * tt);
    const thumbDims: number[] = [];
    rows.forEach((r, k) => {
      thumbs.set(this.thumbs.subarray(r * M * tt, (r + 1) * M * tt), k * M * tt);
      for (let i = 0; i < M * 2; i++) thumbDims.push(this.thumbDims[r * M * 2 + i]);
    });
    return {
      indices: [...rows],
      ids: rows.map((r) => this.items[r].id),
      flags: rows.map((r) => this.flags[r]),
      errors: rows.map((r) => this.errors[r]),
      values: values.buffer,
      thumbs: thumbs.buffer,
      thumbDims,
    };
  }

  /** Rows with at least one pixel of GT class `g` predicted as `p` by (model m, decoder d). */
  rowsWithCell(m: number, d: number, g: number, p: number): number[] {
    const K = this.confusionClasses;
    if (g >= K || p >= K) return [];
    const out: number[] = [];
    for (let r = 0; r < this.total; r++) {
      if (this.confusion[(r * this.perRow + m * this.layout.decoders.length + d) * K * K + g * K + p] > 0)
        out.push(r);
    }
    return out;
  }

  /** Rows completed so far, in row order. */
  completedRows(): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.total; r++) if (this.isComplete(r)) out.push(r);
    return out;
  }
}
