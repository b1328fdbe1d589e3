/**
 * The viewer panel's messages: the contract between the extension host and the viewer webview
 * (docs/architecture.md §1, docs/style.md habit 1).
 *
 * Both directions are discriminated unions on `type`, so adding a message is a compile-time checklist: the host's
 * validator table (`FROM_WEBVIEW`), the webview's accepted set (`TO_WEBVIEW`) and each side's `switch (msg.type)`
 * stop compiling until they handle it. Pixels travel as `ArrayBuffer`s inside the message (VS Code copies them as
 * binary, never as JSON number arrays).
 *
 * The webview is treated as untrusted input: every message it sends goes through `parseFromWebview`, which checks
 * each field and rebuilds a fresh object, so nothing unexpected (extra keys, prototypes, huge strings) reaches the
 * host. The persisted panel state is validated the same way before a serializer uses it.
 */
import { BYTES_PER_SAMPLE, type ClassLabel, type PixelDtype, type ValueRange } from '../core/pixels';
import type { AnalysisViewState } from '../core/viewmodel/analysisTypes';
import {
  ANALYSIS_EVENT_TYPES,
  parseAnalysisRequest,
  parseAnalysisView,
  type AnalysisEvent,
  type AnalysisRequest,
} from './analysis';
import {
  type Parsed,
  type TypeTable,
  type ValidatorTable,
  MAX_STRING,
  accepted,
  byType,
  fail,
  field,
  int,
  num,
  oneOf,
  parsed,
  record,
  str,
} from './validate';
export type { PixelDtype, ValueRange, ClassLabel } from '../core/pixels';
export { BYTES_PER_SAMPLE } from '../core/pixels';

/**
 * Bumped whenever a message changes shape; the webview announces its version in `ready`. 2: pixels cross packed
 * (./viewerWire.ts) and the read-out's `probe` / `probeTile`. 3: `rendered` carries the webview's `timings`.
 */
export const PROTOCOL_VERSION = 3;

/** The webview panel type, shared by the panel, the serializer and the `onWebviewPanel` activation event. */
export const VIEWER_VIEW_TYPE = 'seglens.viewer';

/** What a layer means to the user. The viewer slice sends `image` and `gt`; later decoders add `pred`/`prob`. */
export type LayerRole = 'image' | 'gt' | 'pred' | 'prob';
export const LAYER_ROLES: readonly LayerRole[] = ['image', 'gt', 'pred', 'prob'];

/**
 * What the user says a file is, overriding the folder convention: an image, a mask, a probability map, or logits
 * (converted with `activation`); `channel` picks one channel of a multi-channel file. Remembered per file.
 */
export type FileRole = 'image' | 'mask' | 'prob' | 'logits';
export const FILE_ROLES: readonly FileRole[] = ['image', 'mask', 'prob', 'logits'];

export interface RoleChoice {
  role: FileRole;
  /** 0-based channel to show; absent = the automatic choice. */
  channel?: number;
  /** For logits: how they become probabilities. @default 'sigmoid' */
  activation?: 'sigmoid' | 'softmax';
}

/** Most channels a file may have for the channel picker. */
export const MAX_PICKED_CHANNEL = 4096;

/** Pixels of one layer: `width × height × channels` samples of `dtype`, interleaved, row-major. */
export interface RasterPayload {
  width: number;
  height: number;
  /** 1 grey or label index, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  dtype: PixelDtype;
  pixels: ArrayBuffer;
  /**
   * Only in the webview, on a probability layer that crossed as its heatmap (src/protocol/viewerWire.ts): the
   * samples are the 8-bit levels round(255·p) the heatmap draws, not the probabilities. The exact floats stay on
   * the host; the hover read-out asks for them (`probe`).
   */
  heatmapLevels?: true;
}

/** Everything the panel shows about a layer besides its pixels. */
export interface LayerInfo {
  role: LayerRole;
  /** The file's base name, shown in the panel. */
  name: string;
  /** The file's URI as a string; the panel state keeps it so a serializer can reload the layer. */
  uri: string;
  /** The file format, e.g. "png", "jpeg", "tiff", "npy". */
  format: string;
  /** The sample type in the file, e.g. "uint16", "float32", "uint8 palette". */
  sourceDtype: string;
  range: ValueRange;
  /** Label layers: the distinct class indices present, ascending (label 0 included when present). */
  classes?: number[];
  /** Label layers read from a palette PNG: the file's own colours, index → [r, g, b]. */
  palette?: [number, number, number][];
  /** Channels in the file when there is more than one to choose from (the channel picker). */
  fileChannels?: number;
  /** The user's role/channel choice for this file, when one is in effect. */
  choice?: RoleChoice;
}

export interface Layer extends LayerInfo {
  raster: RasterPayload;
  /**
   * Only on the image layer of a sample sent ahead of its image (a large image, issue 13): the raster is the image
   * averaged over blocks (src/core/viewmodel/preview.ts), to be drawn stretched to the image's own size, given
   * here. The image itself follows in a `completes` sample of the same load.
   */
  previewOf?: { width: number; height: number };
}

/** The files of one sample, as URI strings. This, not pixels, is what a restored panel reloads from. */
export interface SampleRef {
  image?: string;
  gt?: string;
  pred?: string;
  prob?: string;
}

/** How the panel draws a sample; small, persisted with the panel, restored by the serializer. */
export interface ViewOptions {
  /** Overlay opacity, 0..1. */
  opacity: number;
  /** Roles whose layers are hidden. */
  hidden: LayerRole[];
  /** Overlay style: filled regions or outlines only. */
  overlay: 'fill' | 'contour';
  /** Class indices whose overlay is hidden (ascending, no duplicates); absent = all shown. */
  hiddenClasses?: number[];
  /**
   * How image values map to grey levels: 'range' (default) stretches 16-bit and float data over its min…max and
   * shows 8-bit data as stored; 'robust' stretches the 1st…99th percentile, so a few extreme values (metal in a
   * CT, a hot pixel) do not wash the picture out.
   */
  contrast?: 'range' | 'robust';
  /** 'fit' scales to the panel; a number is the zoom factor (1 = one image pixel per CSS pixel). */
  zoom: 'fit' | number;
  /** Decoder comparison choices (decoders A/B, threshold, what is drawn); absent = the defaults. */
  analysis?: AnalysisViewState;
}

export const DEFAULT_VIEW_OPTIONS: ViewOptions = { opacity: 0.5, hidden: [], overlay: 'fill', zoom: 'fit' };

/** A user-facing problem shown in the panel (and, by the host, as a notification). */
export interface Problem {
  /** The file the problem is about, when there is one. */
  source?: string;
  message: string;
  severity: 'error' | 'warning' | 'info';
}

/** What the panel persists through `vscode.setState`, and what the serializer gets back after a reload. */
export interface ViewerState {
  version: number;
  sample: SampleRef;
  view: ViewOptions;
}

// ---------------------------------------------------------------------------------------------------------------
// Host → webview

export type ToWebview =
  /** Sent once after `ready`: the view options the panel should start from. */
  | { type: 'init'; version: number; view: ViewOptions }
  /** A load started; the panel shows progress until `sample` or `problems` with the same request id. */
  | { type: 'loading'; requestId: number; label: string }
  /**
   * A sample's layers with their pixels, notes on how the files were paired, and class names/colours when a
   * labels file was found.
   */
  | {
      type: 'sample';
      requestId: number;
      sample: SampleRef;
      layers: Layer[];
      notes: string[];
      classLabels?: ClassLabel[];
      /**
       * These layers complete the sample of the same load already sent (its image, after a preview of it): they
       * replace the layers of their roles, the others stay.
       */
      completes?: true;
    }
  /** Problems to show in the panel; `requestId` ties them to a load (omitted for standalone messages). */
  | { type: 'problems'; requestId?: number; problems: Problem[] }
  /** Decoder comparison, error maps and metrics of the load `requestId` (see ./analysis). */
  | { type: 'analysis'; requestId: number; event: AnalysisEvent }
  /**
   * Zoom and pan the sample of load `requestId` to an image region (with a margin) and show the error map: the
   * dataset view's "check this label" jump. Applied once that sample is drawn.
   */
  | { type: 'revealRegion'; requestId: number; region: ImageRegion }
  /**
   * The exact probabilities of one tile of the load's probability map (the answer to `probe`): `width × height`
   * float32 samples, row-major, whose top-left pixel is (x, y).
   */
  | {
      type: 'probeTile';
      requestId: number;
      x: number;
      y: number;
      width: number;
      height: number;
      values: ArrayBuffer;
    };

/** A rectangle of image pixels: top-left (x, y) and its size, in pixels of the shown image. */
export interface ImageRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A well-formed ImageRegion: finite, non-negative corner, positive size. */
export function isImageRegion(x: unknown): x is ImageRegion {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  const ok = (v: unknown, min: number) => typeof v === 'number' && Number.isFinite(v) && v >= min;
  return ok(r.x, 0) && ok(r.y, 0) && ok(r.width, 1) && ok(r.height, 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Webview → host

/**
 * The webview's side of opening a sample, measured with its own performance marks (issue 13: command to overlay).
 * Durations in milliseconds; `receivedAt` is wall-clock time, so the host can subtract its own posting time (both
 * run on the same machine's clock).
 */
export interface RenderTimings {
  /** When the sample's message reached the webview's handler (ms since the epoch). */
  receivedAt: number;
  /** Unpacking the wire form: run-length / bit-packed masks, heatmap levels, joined parts. */
  unpackMs: number;
  /** Checking the layers and updating the view model and the panels around the stage. */
  modelMs: number;
  /** Converting each layer to RGBA and putting it on its canvas. */
  imageMs: number;
  gtMs: number;
  probMs: number;
  /** From the last canvas drawn until the next animation frame (the picture is on screen). */
  frameMs: number;
  /**
   * Long tasks (≥ 50 ms, the browser's Long Tasks API) of the webview's thread between this load's `loading`
   * message and its sample: time the sample may have waited for the webview (part of the transfer as measured).
   */
  busyMs: number;
  /** When the webview's page started loading, and when its script said `ready` (ms since the epoch). */
  pageAt: number;
  readyAt: number;
}

export const RENDER_TIMING_STEPS = [
  'unpackMs',
  'modelMs',
  'imageMs',
  'gtMs',
  'probMs',
  'frameMs',
  'busyMs',
] as const;

export type FromWebview =
  /** The webview's script is running and listening; the host posts nothing before this. */
  | { type: 'ready'; version: number }
  /** A sample was drawn: the drawn (image) size in pixels and the layers shown; tests wait for this. */
  | {
      type: 'rendered';
      requestId: number;
      width: number;
      height: number;
      layers: LayerRole[];
      /** Milliseconds the webview spent from receiving the pixels to showing them (optional, for timings). */
      drawMs?: number;
      /** Where those milliseconds went (the webview's performance marks), for the open-to-overlay log. */
      timings?: RenderTimings;
    }
  /**
   * A sample sent with a preview of its image was drawn, the preview standing in for the image (`rendered` follows
   * once the image itself is drawn). `at`: when it was on screen (ms since the epoch), for the open-to-overlay log.
   */
  | { type: 'previewed'; requestId: number; at: number }
  /** The user changed a view option; the host keeps it for new loads in this panel. */
  | { type: 'viewChanged'; view: ViewOptions }
  /** The user asked for an action the host performs. */
  | { type: 'command'; command: WebviewCommand }
  /** The webview failed (e.g. a canvas could not be allocated); the host reports it to the user. */
  | { type: 'failed'; requestId?: number; message: string }
  /** A request of the decoder-comparison panel (settings, export, model choice, consent to a fix). */
  | { type: 'analysis'; request: AnalysisRequest }
  /**
   * Files dropped on the panel: the URIs from the drag data (host/viewer/dropFiles decides what is opened). A
   * malformed drop still arrives, with `uris` empty and `refused` saying why, so the panel can answer the user.
   */
  | { type: 'dropFiles'; uris: string[]; refused?: string }
  /** The user chose what a shown file is (or `null`: back to the automatic role); the host remembers and reloads. */
  | { type: 'setRole'; uri: string; choice: RoleChoice | null }
  /**
   * The hover read-out needs the exact probability at (x, y) of the load `requestId`, whose map crossed as its
   * 8-bit heatmap: the host answers with the tile around it (`probeTile`).
   */
  | { type: 'probe'; requestId: number; x: number; y: number };

/** Actions the panel's toolbar may request from the host. */
export type WebviewCommand = 'openFiles' | 'reload';
export const WEBVIEW_COMMANDS: readonly WebviewCommand[] = ['openFiles', 'reload'];

// ---------------------------------------------------------------------------------------------------------------
// Validation of everything that arrives from the webview

export type { Parsed } from './validate';

/** Upper bound on a drawn side; the pixel limit keeps real images far below it. */
const MAX_SIDE = 1 << 20;
/** Longest URI accepted in a persisted state. */
const MAX_URI = 8192;

function roles(v: unknown, what: string): LayerRole[] {
  if (!Array.isArray(v) || v.length > LAYER_ROLES.length * 4)
    fail(`${what} must be a short array of layer roles`);
  const out: LayerRole[] = [];
  for (const r of v) {
    const role = oneOf(r, LAYER_ROLES, `${what}[]`);
    if (!out.includes(role)) out.push(role);
  }
  return out;
}

function viewOptions(x: unknown): ViewOptions {
  const o = record(x, 'view');
  const zoomRaw = field(o, 'zoom');
  let zoom: ViewOptions['zoom'];
  if (zoomRaw === 'fit') zoom = 'fit';
  else zoom = num(o, 'zoom', 1 / 64, 64);
  const view: ViewOptions = {
    opacity: num(o, 'opacity', 0, 1),
    hidden: roles(field(o, 'hidden'), 'hidden'),
    overlay: oneOf(field(o, 'overlay'), ['fill', 'contour'] as const, 'overlay'),
    zoom,
  };
  const hiddenClasses = field(o, 'hiddenClasses');
  if (hiddenClasses !== undefined) view.hiddenClasses = classList(hiddenClasses, 'hiddenClasses');
  const contrast = field(o, 'contrast');
  if (contrast !== undefined) view.contrast = oneOf(contrast, ['range', 'robust'] as const, 'contrast');
  const analysis = field(o, 'analysis');
  if (analysis !== undefined) view.analysis = parseAnalysisView(analysis);
  return view;
}

/** Most class indices a view may list (the decoders refuse label maps with more distinct values). */
const MAX_CLASS_LIST = 4096;

function classList(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || v.length > MAX_CLASS_LIST)
    fail(`${what} must be an array of at most ${MAX_CLASS_LIST} class indices`);
  for (const k of v) {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > 0x7fffffff)
      fail(`${what}[] must be class indices ≥ 0`);
  }
  return [...new Set(v as number[])].sort((a, b) => a - b);
}

/** Most files one drop may carry (an image, a mask and a probability map, with room for strays). */
export const MAX_DROPPED_FILES = 8;
/** Longest dropped URI accepted. */
export const MAX_DROPPED_URI = 4096;

/**
 * The shape of a drop: at most MAX_DROPPED_FILES strings, each a `file:` or `vscode-remote:` URI. Anything else
 * becomes a refusal the host shows in the panel (a user dropping 20 files deserves an answer, not silence), and
 * no URI of a refused drop is passed on.
 */
function dropFiles(o: Record<string, unknown>): Extract<FromWebview, { type: 'dropFiles' }> {
  const v = field(o, 'uris');
  const refuse = (refused: string) => ({ type: 'dropFiles' as const, uris: [], refused });
  if (!Array.isArray(v)) return refuse('the drop carried no list of files');
  if (v.length > MAX_DROPPED_FILES)
    return refuse(`SegLens opens at most ${MAX_DROPPED_FILES} dropped files at once`);
  const uris: string[] = [];
  for (const u of v) {
    if (typeof u !== 'string' || u.length > MAX_DROPPED_URI)
      return refuse(`each dropped file must be a URI of at most ${MAX_DROPPED_URI} characters`);
    if (!/^(?:file|vscode-remote):\/\//i.test(u))
      return refuse(`only files can be dropped, not ${JSON.stringify(u.slice(0, 60))}`);
    uris.push(u);
  }
  return { type: 'dropFiles', uris };
}

/** A role choice from the webview: a known role, a channel index, an activation. */
function roleChoice(x: unknown): RoleChoice | null {
  if (x === null) return null;
  const o = record(x, 'choice');
  const out: RoleChoice = { role: oneOf(field(o, 'role'), FILE_ROLES, 'choice.role') };
  if (field(o, 'channel') !== undefined)
    out.channel = int(o, 'channel', 0, MAX_PICKED_CHANNEL, 'choice.channel');
  if (field(o, 'activation') !== undefined)
    out.activation = oneOf(field(o, 'activation'), ['sigmoid', 'softmax'] as const, 'choice.activation');
  return out;
}

const REQUEST_ID = Number.MAX_SAFE_INTEGER;

/** A day in milliseconds: no step of drawing a sample takes longer. */
const MAX_STEP_MS = 86_400_000;

function renderTimings(x: unknown): RenderTimings {
  const o = record(x, 'timings');
  const out: RenderTimings = {
    receivedAt: num(o, 'receivedAt', 0, 8.64e15, 'timings.receivedAt'),
    pageAt: num(o, 'pageAt', 0, 8.64e15, 'timings.pageAt'),
    readyAt: num(o, 'readyAt', 0, 8.64e15, 'timings.readyAt'),
    unpackMs: 0,
    modelMs: 0,
    imageMs: 0,
    gtMs: 0,
    probMs: 0,
    frameMs: 0,
    busyMs: 0,
  };
  for (const k of RENDER_TIMING_STEPS) out[k] = num(o, k, 0, MAX_STEP_MS, `timings.${k}`);
  return out;
}

/** One validator per message the webview may send; a message type without a row does not compile. */
const FROM_WEBVIEW: ValidatorTable<FromWebview> = {
  ready: (o) => ({ type: 'ready', version: int(o, 'version', 0, 1_000_000) }),
  rendered: (o) => {
    const msg: Extract<FromWebview, { type: 'rendered' }> = {
      type: 'rendered',
      requestId: int(o, 'requestId', 0, REQUEST_ID),
      width: int(o, 'width', 1, MAX_SIDE),
      height: int(o, 'height', 1, MAX_SIDE),
      layers: roles(field(o, 'layers'), 'layers'),
    };
    if (field(o, 'drawMs') !== undefined) msg.drawMs = num(o, 'drawMs', 0, 86_400_000);
    if (field(o, 'timings') !== undefined) msg.timings = renderTimings(field(o, 'timings'));
    return msg;
  },
  previewed: (o) => ({
    type: 'previewed',
    requestId: int(o, 'requestId', 0, REQUEST_ID),
    at: num(o, 'at', 0, 8.64e15),
  }),
  viewChanged: (o) => ({ type: 'viewChanged', view: viewOptions(field(o, 'view')) }),
  command: (o) => ({ type: 'command', command: oneOf(field(o, 'command'), WEBVIEW_COMMANDS, 'command') }),
  analysis: (o) => ({ type: 'analysis', request: parseAnalysisRequest(field(o, 'request')) }),
  dropFiles,
  setRole: (o) => {
    const uri = str(o, 'uri', MAX_URI);
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri)) fail('uri must be a URI');
    return { type: 'setRole', uri, choice: roleChoice(field(o, 'choice')) };
  },
  probe: (o) => ({
    type: 'probe',
    requestId: int(o, 'requestId', 0, REQUEST_ID),
    x: int(o, 'x', 0, MAX_SIDE),
    y: int(o, 'y', 0, MAX_SIDE),
  }),
  failed: (o) => {
    const message = str(o, 'message', MAX_STRING);
    if (field(o, 'requestId') === undefined) return { type: 'failed', message };
    return { type: 'failed', requestId: int(o, 'requestId', 0, REQUEST_ID), message };
  },
};

/**
 * Validates a message received from the webview. Returns a freshly built message (never the input object) or a
 * description of the first problem found.
 */
export function parseFromWebview(x: unknown): Parsed<FromWebview> {
  return parsed(() => byType(FROM_WEBVIEW, x, 'message'));
}

/**
 * What the webview accepts from the host: one light shape check per message type (the host is trusted, but a
 * webview can also receive messages from other frames). The accepted set is this table's keys.
 */
export const TO_WEBVIEW: TypeTable<ToWebview> = {
  init: (o) => typeof o.version === 'number' && typeof o.view === 'object' && o.view !== null,
  loading: (o) => typeof o.requestId === 'number',
  sample: (o) => Array.isArray(o.layers),
  problems: (o) => Array.isArray(o.problems),
  analysis: (o) => typeof o.requestId === 'number' && accepted(ANALYSIS_EVENT_TYPES, o.event) !== undefined,
  revealRegion: (o) => typeof o.requestId === 'number' && isImageRegion(o.region),
  probeTile: (o) =>
    typeof o.requestId === 'number' &&
    [o.x, o.y, o.width, o.height].every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0) &&
    Object.prototype.toString.call(o.values) === '[object ArrayBuffer]' &&
    (o.values as ArrayBuffer).byteLength === 4 * (o.width as number) * (o.height as number),
};

/** `x` when it is shaped like a host message (see TO_WEBVIEW), otherwise undefined. */
export function asToWebview(x: unknown): ToWebview | undefined {
  return accepted(TO_WEBVIEW, x);
}

function sampleRef(x: unknown): SampleRef {
  const o = record(x, 'sample');
  const out: SampleRef = {};
  for (const key of ['image', 'gt', 'pred', 'prob'] as const) {
    if (field(o, key) === undefined) continue;
    const uri = str(o, key, MAX_URI);
    // Only URIs with a scheme are reloaded; anything else in a persisted state is not ours.
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri)) fail(`sample.${key} must be a URI`);
    out[key] = uri;
  }
  return out;
}

/** Validates a persisted panel state (it comes back from the webview's storage after a reload). */
export function parseViewerState(x: unknown): Parsed<ViewerState> {
  return parsed(() => {
    const o = record(x, 'state');
    return {
      version: int(o, 'version', 0, 1_000_000),
      sample: sampleRef(field(o, 'sample')),
      view: viewOptions(field(o, 'view')),
    };
  });
}

/** Checks that a raster's buffer holds exactly the samples its header promises. */
export function rasterByteLength(r: Pick<RasterPayload, 'width' | 'height' | 'channels' | 'dtype'>): number {
  return r.width * r.height * r.channels * BYTES_PER_SAMPLE[r.dtype];
}
