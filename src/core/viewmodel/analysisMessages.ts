/**
 * Validation of the analysis parts of webview messages and of the persisted view state. The webview is untrusted
 * (docs/architecture.md §8): every field is checked and a fresh object built; the first problem is thrown as a RangeError
 * naming the field, which protocol.ts turns into its own rejection.
 */
import {
  ANALYSIS_CONSENTS,
  ANALYSIS_DECODERS,
  ANALYSIS_SHOWS,
  AnalysisDecoder,
  AnalysisRequest,
  AnalysisSettings,
  AnalysisViewState,
  EXPORT_WHATS,
} from './analysisTypes';
import type { ViewWindow } from './viewWindow';

type Obj = Record<string, unknown>;

function obj(x: unknown, what: string): Obj {
  if (typeof x !== 'object' || x === null || Array.isArray(x))
    throw new RangeError(`${what} must be an object`);
  const proto = Object.getPrototypeOf(x) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new RangeError(`${what} must be a plain object`);
  return x as Obj;
}

function own(o: Obj, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], what: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw new RangeError(`${what} must be one of ${allowed.join(', ')}`);
  return v as T;
}

function decoderName(v: unknown, what: string): AnalysisDecoder {
  return oneOf(v, ANALYSIS_DECODERS, what);
}

export function parseAnalysisSettings(x: unknown): AnalysisSettings {
  const o = obj(x, 'settings');
  const t = own(o, 'threshold');
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 1)
    throw new RangeError('settings.threshold must be a number in [0, 1]');
  const out: AnalysisSettings = {
    threshold: t,
    solver: oneOf(own(o, 'solver'), ['auto', 'exact', 'rma'] as const, 'settings.solver'),
  };
  const k = own(o, 'topK');
  if (k !== undefined) {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 2 ** 31)
      throw new RangeError('settings.topK must be a positive integer');
    out.topK = k;
  }
  const logits = own(o, 'logits');
  if (logits !== undefined) out.logits = oneOf(logits, ['sigmoid', 'softmax'] as const, 'settings.logits');
  const resize = own(o, 'resize');
  if (resize !== undefined) {
    if (typeof resize !== 'boolean') throw new RangeError('settings.resize must be a boolean');
    out.resize = resize;
  }
  return out;
}

/** A model folder name: one path segment, no separators or dots-only names. */
function modelName(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 255 || /[/\\]/.test(v) || /^\.+$/.test(v))
    throw new RangeError('model must be a folder name');
  return v;
}

export function parseAnalysisView(x: unknown): AnalysisViewState {
  const o = obj(x, 'analysis');
  const out: AnalysisViewState = {
    decoderA: decoderName(own(o, 'decoderA'), 'analysis.decoderA'),
    decoderB: decoderName(own(o, 'decoderB'), 'analysis.decoderB'),
    show: oneOf(own(o, 'show'), ANALYSIS_SHOWS, 'analysis.show'),
    settings: parseAnalysisSettings(own(o, 'settings')),
  };
  const model = own(o, 'model');
  if (model !== undefined) out.model = modelName(model);
  return out;
}

function viewWindow(x: unknown, what: string): ViewWindow {
  const o = obj(x, what);
  const out = { cx: own(o, 'cx'), cy: own(o, 'cy'), zoom: own(o, 'zoom') };
  for (const [k, v] of Object.entries(out))
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new RangeError(`${what}.${k} must be a finite number`);
  return out as ViewWindow;
}

export function parseAnalysisRequest(x: unknown): AnalysisRequest {
  const o = obj(x, 'request');
  const kind = own(o, 'kind');
  switch (kind) {
    case 'settings': {
      const list = own(o, 'decoders');
      if (!Array.isArray(list) || list.length > ANALYSIS_DECODERS.length)
        throw new RangeError('request.decoders must be a short list of decoders');
      const decoders = [...new Set(list.map((d) => decoderName(d, 'request.decoders[]')))];
      return { kind, settings: parseAnalysisSettings(own(o, 'settings')), decoders };
    }
    case 'export':
      return {
        kind,
        decoder: decoderName(own(o, 'decoder'), 'request.decoder'),
        what: oneOf(own(o, 'what'), EXPORT_WHATS, 'request.what'),
      };
    case 'model':
      return { kind, model: modelName(own(o, 'model')) };
    case 'consent':
      return { kind, consent: oneOf(own(o, 'consent'), ANALYSIS_CONSENTS, 'request.consent') };
    case 'cancel':
      return { kind };
    case 'view': {
      const box = own(o, 'box');
      if (
        !Array.isArray(box) ||
        box.length !== 4 ||
        !box.every((v) => typeof v === 'number' && Number.isFinite(v))
      )
        throw new RangeError('request.box must be four finite numbers');
      const stage = own(o, 'stage');
      return {
        kind,
        box: box as number[],
        stage: stage === null ? null : viewWindow(stage, 'request.stage'),
        views: viewWindow(own(o, 'views'), 'request.views'),
      };
    }
    case 'threshold': {
      const t = own(o, 'threshold');
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 1)
        throw new RangeError('request.threshold must be a number in [0, 1]');
      return { kind, threshold: t };
    }
    case 'drawn': {
      const summary = own(o, 'summary');
      if (typeof summary !== 'string' || summary.length > 2000)
        throw new RangeError('request.summary must be a short string');
      return {
        kind,
        decoderA: decoderName(own(o, 'decoderA'), 'request.decoderA'),
        show: oneOf(own(o, 'show'), ANALYSIS_SHOWS, 'request.show'),
        summary,
      };
    }
    default:
      throw new RangeError(
        'request.kind must be settings, export, model, consent, threshold, view, cancel or drawn',
      );
  }
}
