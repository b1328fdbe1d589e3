/**
 * The contract between the extension host and the dataset panel ("SegLens: Evaluate Folder…", issue 12).
 *
 * Same rules as the viewer's contract (./index.ts): discriminated unions on `type`, a version announced in `ready`,
 * the host posts nothing before `ready`, and every message from the webview is validated field by field into a
 * fresh object. The validators form a table typed over the union, so adding a message without its validator does
 * not compile.
 *
 * The table's numbers travel compactly: one `columns` message declares the layout (models × decoders × scopes ×
 * metrics), then `rows` batches carry a Float64Array of `rows × columns` values as an ArrayBuffer. A Float64Array
 * keeps NaN (undefined metric) and +Infinity (distance to an empty set) exactly, which JSON would turn into null.
 */
import type { ImageRegion } from './viewer';

/** The webview panel type of the dataset view. */
export const DATASET_VIEW_TYPE = 'seglens.dataset';

/** Bumped whenever a dataset message changes shape. */
export const DATASET_PROTOCOL_VERSION = 2;

/** Per-image numbers in the table, per (model, decoder, scope). `expectedDice` needs no ground truth. */
export const TABLE_METRICS = ['dice', 'iou', 'precision', 'recall', 'hd95', 'expectedDice'] as const;
export type TableMetric = (typeof TABLE_METRICS)[number];

/** Row flags, a bit each. */
export const ROW_FLAGS = {
  /** The ground truth has no foreground at all. */
  emptyGt: 1,
  /** The sample could not be evaluated (its `error` says why). */
  skipped: 2,
  /** The probability map held logits and was converted (sigmoid/softmax) before decoding. */
  logitsConverted: 4,
  /** No ground truth: only expected Dice is known. */
  noGt: 8,
} as const;
export type RowFlag = keyof typeof ROW_FLAGS;
export const ROW_FLAG_NAMES = Object.keys(ROW_FLAGS) as RowFlag[];

/** A class scope of the table: the macro mean over the image's present classes, or one class. */
export interface TableScope {
  /** 'macro' or a class index. */
  key: 'macro' | number;
  label: string;
}

/** How the `values` of a row batch are laid out: index = (((m·D + d)·S + s)·M + metric). */
export interface TableLayout {
  models: string[];
  decoders: string[];
  scopes: TableScope[];
  metrics: readonly TableMetric[];
  /**
   * Side of the error-map thumbnails (first decoder, per model; 0 = none). Codes per pixel: 0 correct background,
   * 1 correct class, 2 predicted where the mask says otherwise, 3 missed.
   */
  thumbSize: number;
}

export function columnCount(l: TableLayout): number {
  return l.models.length * l.decoders.length * l.scopes.length * l.metrics.length;
}

export function columnIndex(l: TableLayout, m: number, d: number, s: number, metric: number): number {
  return ((m * l.decoders.length + d) * l.scopes.length + s) * l.metrics.length + metric;
}

// ---------------------------------------------------------------------------------------------------------------
// The pairing preview

export interface PreviewItem {
  id: string;
  /** Base names as the user knows them (image file, mask file); empty when missing. */
  image: string;
  gt: string;
  /** Model folders that have a map for this image. */
  models: string[];
}

export interface PreviewUnmatched {
  /** Path relative to the evaluated folder. */
  path: string;
  reason: string;
}

export interface DecoderChoice {
  name: string;
  label: string;
  description: string;
}

export interface DatasetPreview {
  /** The folder evaluated, as shown to the user. */
  root: string;
  /** Matched samples (image or mask with at least one probability map). */
  total: number;
  /** The first samples (at most MAX_PREVIEW_ITEMS). */
  items: PreviewItem[];
  unmatchedTotal: number;
  /** The first files left out, each with its reason (at most MAX_PREVIEW_ITEMS). */
  unmatched: PreviewUnmatched[];
  /** Probability folders (`probs/<model>/`, or "" for a flat `probs/`) and how many samples each covers. */
  models: { name: string; count: number }[];
  decoders: DecoderChoice[];
  /** Decoders ticked by default. */
  defaultDecoders: string[];
  /** Class names from labels.json, when found. */
  classes: { index: number; name: string }[];
  /** Where the class names came from, or why none were found. */
  classesNote: string;
  /** Samples with an image (an ONNX model runs on images; the others become skipped rows of that model). */
  withImages: number;
  /**
   * ONNX models that can be run on the images as one more model: the `seglens.model.path` setting's (configured),
   * the workspace's .onnx files and any picked in a dialog. `id` is what `evaluate` sends back.
   */
  onnxModels: { id: string; label: string; configured: boolean }[];
  /** The model to show chosen (one just picked in the dialog). */
  onnxSelected?: string;
}

export const MAX_PREVIEW_ITEMS = 500;

// ---------------------------------------------------------------------------------------------------------------
// The summary above the table

/** A mean over images with its spread and how many images it covered. */
export interface Spread {
  mean: number | null;
  sd: number | null;
  median: number | null;
  n: number;
}

export interface ClassSummary {
  index: number;
  name: string;
  /** Per-image Dice of this class (images where it is defined). */
  dice: Spread;
  /** Dice of the pixels pooled over the set. */
  pooledDice: number | null;
  iou: Spread;
  hd95: Spread;
  /** Images whose GT has this class. */
  imagesWithClass: number;
}

export interface DecoderSummary {
  model: string;
  decoder: string;
  /** Per-image macro Dice (mean ± sd, median). */
  dice: Spread;
  /** Micro Dice: pixels pooled over images and classes. */
  pooledDice: number | null;
  pixelAccuracy: number | null;
  /** One sentence on why these numbers differ on this set. */
  gapSentence: string;
  perClass: ClassSummary[];
  /** Histogram of per-image Dice in 10 bins over [0, 1]. */
  histogram: number[];
  /** Expected Dice as a predictor of true Dice (images with GT). */
  ranking: { rho: number | null; n: number };
  /** Pixels per (GT class, predicted class) over the set, K × K (classes 0…K−1), when the engine counted them. */
  confusion: number[][] | null;
}

export interface PairedComparison {
  kind: 'decoder' | 'model';
  /** e.g. "RankDice vs Threshold 0.5 (unet_bce)". */
  label: string;
  a: string;
  b: string;
  /** Per-image Dice of A − B: A better / equal within 1e-9 / worse. */
  wins: number;
  ties: number;
  losses: number;
  n: number;
  meanDiff: number | null;
  ci: [number, number] | null;
  /** Bootstrap resamples behind `ci` (seed 1; fewer than the CLI's 2000 only on large sets, see summary.ts). */
  resamples: number;
}

export interface LabelErrorCandidate {
  /** Row index in the table. */
  row: number;
  id: string;
  classIndex: number;
  className: string;
  model: string;
  score: number;
  /** What disagrees, e.g. "412 px the model is sure of are background in the mask". */
  detail: string;
  /** The region's bounding box in the image (the viewer zooms to it); null when it has no 2-D box. */
  region: ImageRegion | null;
}

export interface DatasetSummary {
  /** Names of classes 0…K−1 (background included), for the confusion matrices. */
  classNames: string[];
  images: number;
  evaluated: number;
  skipped: number;
  withGt: number;
  perDecoder: DecoderSummary[];
  comparisons: PairedComparison[];
  labelErrors: LabelErrorCandidate[];
  /**
   * Per model and class, the threshold maximising the per-image mean Dice of `p ≥ t` on this very set — shown
   * labelled "tuned on this set (optimistic)", beside the same rule's score at 0.5.
   */
  tuned: {
    model: string;
    className: string;
    threshold: number;
    dice: number | null;
    atHalf: number | null;
  }[];
}

// ---------------------------------------------------------------------------------------------------------------
// Host → webview

export type ToDatasetWebview =
  /** `root` as shown; `rootUri` is what the panel persists so a reload can list the folder again. */
  | { type: 'init'; version: number; root: string; rootUri: string }
  /** The pairing preview; `busy` while the folder is still being listed. */
  | { type: 'preview'; preview: DatasetPreview }
  /** An evaluation started with this table layout; rows 0…total−1 will arrive in any order. */
  | { type: 'started'; runId: number; total: number; layout: TableLayout }
  /**
   * A batch of finished rows. `values` is a Float64Array buffer of `indices.length × columnCount(layout)` values;
   * `flags` are ROW_FLAGS bit sets; `errors` the reason a row was skipped (empty string = none).
   */
  | {
      type: 'rows';
      runId: number;
      indices: number[];
      ids: string[];
      flags: number[];
      errors: string[];
      values: ArrayBuffer;
      /** `indices.length × models × thumbSize²` codes, and per (row, model) the drawn width and height. */
      thumbs: ArrayBuffer;
      thumbDims: number[];
    }
  | {
      type: 'progress';
      runId: number;
      done: number;
      total: number;
      perSecond: number;
      etaSeconds: number | null;
    }
  | { type: 'summary'; runId: number; summary: DatasetSummary }
  /** The run ended; `cachedAt` when the rows came from the cache of a run at that time (ISO 8601). */
  | {
      type: 'finished';
      runId: number;
      cancelled: boolean;
      skipped: number;
      elapsedMs: number;
      cachedAt?: string;
    }
  | { type: 'problem'; severity: 'error' | 'warning' | 'info'; message: string }
  /**
   * Show only these rows (an answer to `cell`: the images with pixels in one confusion-matrix cell); `label` says
   * which cell. An empty label clears the restriction.
   */
  | { type: 'rowSet'; label: string; rows: number[] }
  /** Select (and scroll to) a table row; tests and the host's next/previous-worst commands use it. */
  | { type: 'select'; row: number }
  /** Change the table's sort/filter as a user would (integration tests drive the panel this way). */
  | { type: 'apply'; patch: TableViewPatch };

// ---------------------------------------------------------------------------------------------------------------
// Webview → host

/** The table's view: which (model, decoder, scope, metric) is sorted on, the filter text, flags filter. */
export interface TableViewPatch {
  sortColumn?: number;
  sortDescending?: boolean;
  filter?: string;
  model?: number;
  scope?: number;
}

export type ExportWhat = 'table-csv' | 'table-json' | 'summary-json' | 'summary-csv';
export const DATASET_EXPORTS: readonly ExportWhat[] = [
  'table-csv',
  'table-json',
  'summary-json',
  'summary-csv',
];

export type FromDatasetWebview =
  | { type: 'ready'; version: number }
  /**
   * Start an evaluation with these probability folders and decoders, and with `onnx` (an id of the preview's
   * `onnxModels`) that model run on every image as one more model.
   */
  | { type: 'evaluate'; models: string[]; decoders: string[]; onnx?: string }
  /** "Other model…": the host asks for an .onnx file in a dialog and offers it. */
  | { type: 'pickModel' }
  /** A "check this label" candidate (index in the summary's `labelErrors`): open its image zoomed to the region. */
  | { type: 'openCandidate'; index: number }
  | { type: 'cancel' }
  /** List the folder again (pairing preview). */
  | { type: 'replan' }
  /** Open a row's sample in the viewer, with these decoders (A, B) and model. */
  | { type: 'open'; row: number; model: string; decoders: string[] }
  | { type: 'export'; what: ExportWhat }
  /** A confusion-matrix cell was clicked: show the images with pixels of GT class `gt` predicted as `pred`. */
  | { type: 'cell'; model: string; decoder: string; gt: number; pred: number }
  /**
   * The table's order (row indices, top to bottom, after sort and filter) and the selected row (−1 = none); the
   * host steps through it for "next/previous worst" while the viewer has the focus.
   */
  | { type: 'order'; rows: number[]; selected: number }
  /** The table was drawn: rows in the (filtered) table, rows drawn, the first visible row's index. */
  | { type: 'rendered'; rows: number; drawn: number; first: number; sort: string }
  | { type: 'failed'; message: string };

// ---------------------------------------------------------------------------------------------------------------
// Validation of everything that arrives from the webview

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_STRING = 4096;
const MAX_NAME = 512;
/** Most rows a set may have (the 30,000-image folder, with room). */
export const MAX_ROWS = 1_000_000;
/** Most models or decoders one evaluation may ask for. */
const MAX_CHOICES = 32;

class Invalid extends Error {}

function fail(message: string): never {
  throw new Invalid(message);
}

function record(x: unknown, what: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(`${what} must be a plain object`);
  const proto = Object.getPrototypeOf(x) as unknown;
  if (proto !== Object.prototype && proto !== null) fail(`${what} must be a plain object`);
  return x as Record<string, unknown>;
}

function field(o: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

function int(o: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = field(o, key);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    fail(`${key} must be an integer in [${min}, ${max}]`);
  return v;
}

function str(o: Record<string, unknown>, key: string, maxLength = MAX_STRING): string {
  const v = field(o, key);
  if (typeof v !== 'string' || v.length > maxLength)
    fail(`${key} must be a string of at most ${maxLength} characters`);
  return v;
}

function names(o: Record<string, unknown>, key: string, min: number): string[] {
  const v = field(o, key);
  if (!Array.isArray(v) || v.length < min || v.length > MAX_CHOICES)
    fail(`${key} must be a list of ${min} to ${MAX_CHOICES} names`);
  const out: string[] = [];
  for (const n of v) {
    if (typeof n !== 'string' || n.length > MAX_NAME || hasControlCharacter(n))
      fail(`${key}[] must be names of at most ${MAX_NAME} printable characters`);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], what: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    fail(`${what} must be one of ${allowed.join(', ')}`);
  return v as T;
}

function rowList(v: unknown): number[] {
  if (!Array.isArray(v) || v.length > MAX_ROWS)
    fail(`rows must be a list of at most ${MAX_ROWS} row indices`);
  for (const r of v) {
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r > MAX_ROWS)
      fail('rows[] must be row indices ≥ 0');
  }
  return [...(v as number[])];
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20) return true;
  return false;
}

type Validators = {
  [K in FromDatasetWebview['type']]: (o: Record<string, unknown>) => Extract<FromDatasetWebview, { type: K }>;
};

/** One validator per message type; a type without a row here is a compile error. */
const VALIDATORS: Validators = {
  ready: (o) => ({ type: 'ready', version: int(o, 'version', 0, 1_000_000) }),
  evaluate: (o) => {
    const models = names(o, 'models', 0);
    const decoders = names(o, 'decoders', 1);
    if (field(o, 'onnx') === undefined) {
      if (models.length === 0) fail('models must name a probability folder when no ONNX model is chosen');
      return { type: 'evaluate', models, decoders };
    }
    const onnx = str(o, 'onnx', MAX_STRING);
    if (hasControlCharacter(onnx)) fail('onnx must be printable');
    return { type: 'evaluate', models, decoders, onnx };
  },
  pickModel: () => ({ type: 'pickModel' }),
  openCandidate: (o) => ({ type: 'openCandidate', index: int(o, 'index', 0, 100_000) }),
  cancel: () => ({ type: 'cancel' }),
  replan: () => ({ type: 'replan' }),
  open: (o) => ({
    type: 'open',
    row: int(o, 'row', 0, MAX_ROWS),
    model: str(o, 'model', MAX_NAME),
    decoders: names(o, 'decoders', 0),
  }),
  export: (o) => ({ type: 'export', what: oneOf(field(o, 'what'), DATASET_EXPORTS, 'what') }),
  cell: (o) => ({
    type: 'cell',
    model: str(o, 'model', MAX_NAME),
    decoder: str(o, 'decoder', MAX_NAME),
    gt: int(o, 'gt', 0, 65535),
    pred: int(o, 'pred', 0, 65535),
  }),
  order: (o) => ({
    type: 'order',
    rows: rowList(field(o, 'rows')),
    selected: int(o, 'selected', -1, MAX_ROWS),
  }),
  rendered: (o) => ({
    type: 'rendered',
    rows: int(o, 'rows', 0, MAX_ROWS),
    drawn: int(o, 'drawn', 0, MAX_ROWS),
    first: int(o, 'first', 0, MAX_ROWS),
    sort: str(o, 'sort', MAX_NAME),
  }),
  failed: (o) => ({ type: 'failed', message: str(o, 'message') }),
};

/** Validates a message from the dataset webview: a fresh object, or the first problem found. */
export function parseFromDatasetWebview(x: unknown): Parsed<FromDatasetWebview> {
  try {
    const o = record(x, 'message');
    const type = field(o, 'type');
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(VALIDATORS, type))
      fail(
        `unknown message type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type}`,
      );
    const validate = VALIDATORS[type as FromDatasetWebview['type']] as (
      o: Record<string, unknown>,
    ) => FromDatasetWebview;
    return { ok: true, value: validate(o) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    throw e;
  }
}

/** What the panel persists through `setState`: the folder, so the serializer can list it again after a reload. */
export interface DatasetState {
  version: number;
  rootUri: string;
}

/** Validates a persisted panel state (it comes back from the webview's storage after a reload). */
export function parseDatasetState(x: unknown): Parsed<DatasetState> {
  try {
    const o = record(x, 'state');
    const rootUri = str(o, 'rootUri', 8192);
    if (!/^file:\/\//i.test(rootUri)) fail('rootUri must be a file: URI');
    return { ok: true, value: { version: int(o, 'version', 0, 1_000_000), rootUri } };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    throw e;
  }
}

const TO_WEBVIEW_TYPES: ReadonlySet<string> = new Set<ToDatasetWebview['type']>([
  'init',
  'preview',
  'started',
  'rows',
  'progress',
  'summary',
  'finished',
  'problem',
  'select',
  'apply',
  'rowSet',
]);

/**
 * A light shape check of host messages on the webview side (a webview may also receive messages from other frames):
 * anything not shaped like a ToDatasetWebview is ignored, and a row batch whose buffer does not hold exactly its
 * rows is refused.
 */
export function asToDatasetWebview(x: unknown, layout?: TableLayout): ToDatasetWebview | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const type = (x as { type?: unknown }).type;
  if (typeof type !== 'string' || !TO_WEBVIEW_TYPES.has(type)) return undefined;
  const msg = x as ToDatasetWebview;
  if (msg.type === 'rows') {
    if (!Array.isArray(msg.indices) || !Array.isArray(msg.ids) || !Array.isArray(msg.flags)) return undefined;
    if (!Array.isArray(msg.errors) || !(msg.values instanceof ArrayBuffer)) return undefined;
    const n = msg.indices.length;
    if (msg.ids.length !== n || msg.flags.length !== n || msg.errors.length !== n) return undefined;
    if (layout && msg.values.byteLength !== n * columnCount(layout) * 8) return undefined;
    if (!(msg.thumbs instanceof ArrayBuffer) || !Array.isArray(msg.thumbDims)) return undefined;
    if (layout && msg.thumbs.byteLength !== n * layout.models.length * layout.thumbSize ** 2)
      return undefined;
    if (layout && msg.thumbDims.length !== n * layout.models.length * 2) return undefined;
  }
  if (msg.type === 'started') {
    const l = msg.layout;
    if (!l || !Array.isArray(l.models) || !Array.isArray(l.decoders) || !Array.isArray(l.scopes))
      return undefined;
    if (!Array.isArray(l.metrics)) return undefined;
  }
  if (msg.type === 'preview' && (!msg.preview || !Array.isArray(msg.preview.items))) return undefined;
  if (msg.type === 'summary' && (!msg.summary || !Array.isArray(msg.summary.perDecoder))) return undefined;
  return msg;
}
