/**
 * The decoder-comparison panel's messages: requests the webview sends (wrapped in the viewer's `analysis`
 * message) and events the host posts back, each a union on `type` like every message of the protocol. The data
 * they carry (AnalysisBase, DecoderView, …) is plain view data the worker tasks compute, so it stays in
 * core/viewmodel/analysisTypes; this module owns only the messages and their validation.
 */
import {
  ANALYSIS_DECODERS,
  ANALYSIS_SHOWS,
  type AnalysisBase,
  type AnalysisDecoder,
  type AnalysisSettings,
  type AnalysisShow,
  type AnalysisViewState,
  type DecoderView,
  type ExpectedCurve,
} from '../core/viewmodel/analysisTypes';
import type { ViewWindow } from '../core/viewmodel/viewWindow';
import {
  type TypeTable,
  type ValidatorTable,
  byType,
  fail,
  field,
  num,
  oneOf,
  record,
  str,
} from './validate';

export {
  ANALYSIS_DECODERS,
  ANALYSIS_SHOWS,
  DEFAULT_ANALYSIS_VIEW,
  type AnalysisBase,
  type AnalysisDecoder,
  type AnalysisSettings,
  type AnalysisShow,
  type AnalysisViewState,
  type DecoderClassView,
  type DecoderView,
  type ExpectedCurve,
} from '../core/viewmodel/analysisTypes';

/** Sections of the panel that can be scrolled into view. */
export type AnalysisSection = 'decoders' | 'metrics' | 'objects' | 'charts';

export type AnalysisConsent = 'sigmoid' | 'softmax' | 'resize';
export const ANALYSIS_CONSENTS: readonly AnalysisConsent[] = ['sigmoid', 'softmax', 'resize'];

export type ExportWhat = 'mask-png' | 'mask-npy' | 'metrics-json' | 'metrics-csv';
export const EXPORT_WHATS: readonly ExportWhat[] = ['mask-png', 'mask-npy', 'metrics-json', 'metrics-csv'];

/** A Python file of the workspace with loss-lint findings (shown in the "no pixel reaches the threshold" callout). */
export interface LossLintFile {
  /** Workspace-relative path. */
  label: string;
  /** URI string; the panel sends it back to open the file (the host opens only files it listed). */
  uri: string;
  findings: number;
  /** 0-based line of the first finding, where the file is opened. */
  line: number;
}

/** The workspace's loss-lint findings: their total and the files that have any, most findings first. */
export interface LossLintSummary {
  findings: number;
  files: LossLintFile[];
}

// ---------------------------------------------------------------------------------------------------------------
// Host → panel

/** Analysis progress and results for the load `requestId` of the enclosing viewer message. */
export type AnalysisEvent =
  | { type: 'started'; models: string[]; model?: string; label: string }
  | { type: 'progress'; label: string; fraction: number }
  | { type: 'base'; base: AnalysisBase }
  | { type: 'decoder'; view: DecoderView }
  | { type: 'curve'; curve: ExpectedCurve }
  /** The threshold mask the worker computed for a slider position (slider mode 'worker'). */
  | { type: 'mask'; threshold: number; labels: Uint8Array | Uint16Array; selected: number }
  /** A problem of the analysis; `offer` names a fix the user may accept (never applied silently). */
  | { type: 'problem'; message: string; offer?: AnalysisConsent }
  | { type: 'exported'; path: string }
  /**
   * What the panel needs to explain an empty selection: the map's largest foreground probability and, when it is
   * below the threshold the analysis ran with, the workspace's loss-lint findings (undefined: not looked up).
   */
  | { type: 'explain'; maxProb: number; lint?: LossLintSummary }
  /**
   * The host changes the panel's choices as if the user had. Sent only through the extension's test API
   * (SegLensApi.test, present when the extension runs under test), never by the product itself.
   */
  | {
      type: 'apply';
      patch: Partial<AnalysisViewState>;
      reveal?: AnalysisSection;
      /** Press the object table's "zoom" of this row (0-based), then report the windows (a 'view' request). */
      zoomObject?: number;
    };

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;

/** What the panel accepts from the host: every event type, with the fields it reads first checked for shape. */
export const ANALYSIS_EVENT_TYPES: TypeTable<AnalysisEvent> = {
  started: (o) => Array.isArray(o.models),
  progress: (o) => typeof o.fraction === 'number',
  base: (o) => isObject(o.base),
  decoder: (o) => isObject(o.view),
  curve: (o) => isObject(o.curve),
  mask: (o) => ArrayBuffer.isView(o.labels),
  problem: (o) => typeof o.message === 'string',
  exported: (o) => typeof o.path === 'string',
  explain: (o) => typeof o.maxProb === 'number' && (o.lint === undefined || isObject(o.lint)),
  apply: (o) => isObject(o.patch),
};

// ---------------------------------------------------------------------------------------------------------------
// Panel → host

export type AnalysisRequest =
  | { type: 'settings'; settings: AnalysisSettings; decoders: AnalysisDecoder[] }
  | { type: 'export'; decoder: AnalysisDecoder; what: ExportWhat }
  | { type: 'model'; model: string }
  | { type: 'consent'; consent: AnalysisConsent }
  /** The slider moved on a map over the ranking budget: compute the threshold mask alone (no metrics). */
  | { type: 'threshold'; threshold: number }
  /** Stop the running analysis tasks (their worker threads are stopped). */
  | { type: 'cancel' }
  /**
   * What the stage and the side-by-side views show after a zoom to an object: the object's inclusive pixel box
   * and both view windows (core/viewmodel/viewWindow). Reported as a viewer event (tests check they agree).
   */
  | { type: 'view'; box: number[]; stage: ViewWindow | null; views: ViewWindow }
  /** Open a file of the last 'explain' event's lint list at its first finding (the callout's link). */
  | { type: 'openLossFile'; uri: string }
  /** The panel drew the analysis (a viewer event for timings and tests); `summary` is a short description. */
  | { type: 'drawn'; decoderA: AnalysisDecoder; show: AnalysisShow; summary: string };

function decoderName(v: unknown, what: string): AnalysisDecoder {
  return oneOf(v, ANALYSIS_DECODERS, what);
}

/** A threshold in [0, 1]. */
function threshold(o: Record<string, unknown>, what: string): number {
  return num(o, 'threshold', 0, 1, what);
}

export function parseAnalysisSettings(x: unknown): AnalysisSettings {
  const o = record(x, 'settings');
  const out: AnalysisSettings = {
    threshold: threshold(o, 'settings.threshold'),
    solver: oneOf(field(o, 'solver'), ['auto', 'exact', 'rma'] as const, 'settings.solver'),
  };
  const k = field(o, 'topK');
  if (k !== undefined) {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 2 ** 31)
      fail('settings.topK must be a positive integer');
    out.topK = k;
  }
  const logits = field(o, 'logits');
  if (logits !== undefined) out.logits = oneOf(logits, ['sigmoid', 'softmax'] as const, 'settings.logits');
  const resize = field(o, 'resize');
  if (resize !== undefined) {
    if (typeof resize !== 'boolean') fail('settings.resize must be a boolean');
    out.resize = resize;
  }
  return out;
}

/** A model folder name: one path segment, no separators or dots-only names. */
function modelName(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 255 || /[/\\]/.test(v) || /^\.+$/.test(v))
    fail('model must be a folder name');
  return v;
}

/** The analysis part of persisted view options. */
export function parseAnalysisView(x: unknown): AnalysisViewState {
  const o = record(x, 'analysis');
  const out: AnalysisViewState = {
    decoderA: decoderName(field(o, 'decoderA'), 'analysis.decoderA'),
    decoderB: decoderName(field(o, 'decoderB'), 'analysis.decoderB'),
    show: oneOf(field(o, 'show'), ANALYSIS_SHOWS, 'analysis.show'),
    settings: parseAnalysisSettings(field(o, 'settings')),
  };
  const model = field(o, 'model');
  if (model !== undefined) out.model = modelName(model);
  return out;
}

function viewWindow(x: unknown, what: string): ViewWindow {
  const o = record(x, what);
  const out = { cx: field(o, 'cx'), cy: field(o, 'cy'), zoom: field(o, 'zoom') };
  for (const [k, v] of Object.entries(out))
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${what}.${k} must be a finite number`);
  return out as ViewWindow;
}

const REQUEST_VALIDATORS: ValidatorTable<AnalysisRequest> = {
  settings: (o) => {
    const list = field(o, 'decoders');
    if (!Array.isArray(list) || list.length > ANALYSIS_DECODERS.length)
      fail('request.decoders must be a short list of decoders');
    const decoders = [...new Set(list.map((d) => decoderName(d, 'request.decoders[]')))];
    return { type: 'settings', settings: parseAnalysisSettings(field(o, 'settings')), decoders };
  },
  export: (o) => ({
    type: 'export',
    decoder: decoderName(field(o, 'decoder'), 'request.decoder'),
    what: oneOf(field(o, 'what'), EXPORT_WHATS, 'request.what'),
  }),
  model: (o) => ({ type: 'model', model: modelName(field(o, 'model')) }),
  consent: (o) => ({
    type: 'consent',
    consent: oneOf(field(o, 'consent'), ANALYSIS_CONSENTS, 'request.consent'),
  }),
  cancel: () => ({ type: 'cancel' }),
  view: (o) => {
    const box = field(o, 'box');
    if (
      !Array.isArray(box) ||
      box.length !== 4 ||
      !box.every((v) => typeof v === 'number' && Number.isFinite(v))
    )
      fail('request.box must be four finite numbers');
    const stage = field(o, 'stage');
    return {
      type: 'view',
      box: box as number[],
      stage: stage === null ? null : viewWindow(stage, 'request.stage'),
      views: viewWindow(field(o, 'views'), 'request.views'),
    };
  },
  threshold: (o) => ({ type: 'threshold', threshold: threshold(o, 'request.threshold') }),
  openLossFile: (o) => ({ type: 'openLossFile', uri: str(o, 'uri', 4096, 'request.uri') }),
  drawn: (o) => ({
    type: 'drawn',
    decoderA: decoderName(field(o, 'decoderA'), 'request.decoderA'),
    show: oneOf(field(o, 'show'), ANALYSIS_SHOWS, 'request.show'),
    summary: str(o, 'summary', 2000, 'request.summary'),
  }),
};

/** Validates a request of the panel; throws `Invalid` (validate.ts) naming the first bad field. */
export function parseAnalysisRequest(x: unknown): AnalysisRequest {
  return byType(REQUEST_VALIDATORS, x, 'request');
}
