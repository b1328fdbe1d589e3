/**
 * One onnxruntime session per model file, reused across runs and replaced when the file changes.
 *
 * Creating a session parses and optimises the whole graph, which costs far more than a run on one image, so a
 * folder run or repeated clicks must not pay it again. A retrained model saved over the old file must not be
 * served from the stale session either: every lookup compares the file's mtime and size with those the session
 * was created from.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, errorMessage } from '../../core/errors';
import { ModelInfo, TensorInfo } from '../../core/model/resolve';
import { OrtSession, loadOrt } from './ort';

export interface LoadedModel {
  session: OrtSession;
  info: ModelInfo;
  /** Absolute path of the model file. */
  path: string;
}

interface Entry {
  mtimeMs: number;
  size: number;
  model: Promise<LoadedModel>;
}

export interface SessionCacheOptions {
  /** Threads onnxruntime may use inside one run. @default 0 (onnxruntime's choice: one per core) */
  intraOpNumThreads?: number;
  /**
   * Sessions kept at most; the least recently used one is released beyond that, since each holds the model's
   * weights and onnxruntime's buffers in memory. @default 4
   */
  maxSessions?: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: SessionCacheOptions = {}) {}

  /** The session for `modelPath`, created on first use or when the file changed since. */
  async get(modelPath: string): Promise<LoadedModel> {
    const path = resolve(modelPath);
    let st;
    try {
      st = await stat(path);
    } catch (e) {
      throw new InputError(`cannot read the model file: ${errorMessage(e)}`, modelPath);
    }
    if (!st.isFile()) throw new InputError('the model path is not a file', modelPath);
    const cached = this.entries.get(path);
    if (cached) this.entries.delete(path);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) {
      // Re-inserting keeps the map in least-recently-used order.
      this.entries.set(path, cached);
      return cached.model;
    }
    if (cached) this.releaseLater(cached);
    const entry: Entry = { mtimeMs: st.mtimeMs, size: st.size, model: this.create(path, modelPath) };
    this.entries.set(path, entry);
    const max = Math.max(1, this.options.maxSessions ?? 4);
    for (const [oldest, old] of this.entries) {
      if (this.entries.size <= max) break;
      this.entries.delete(oldest);
      this.releaseLater(old);
    }
    // A failed load is not cached: the user will fix the file and try again.
    entry.model.catch(() => {
      if (this.entries.get(path) === entry) this.entries.delete(path);
    });
    return entry.model;
  }

  /** Number of cached sessions (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /** Releases every session. */
  async dispose(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.model.then((m) => m.session.release()).catch(() => undefined)));
  }

  private releaseLater(entry: Entry): void {
    entry.model.then((m) => m.session.release()).catch(() => undefined);
  }

  private async create(path: string, source: string): Promise<LoadedModel> {
    const ort = loadOrt();
    let session: OrtSession;
    try {
      session = await ort.InferenceSession.create(path, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: this.options.intraOpNumThreads ?? 0,
        // onnxruntime's pool threads otherwise busy-wait after each run, taking the cores that our own
        // pre/post-processing, the extension host and the webview need next (measured: 4× slower post-processing).
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
        // Errors are reported to the user by us, with the model's name; onnxruntime's own log would duplicate them.
        logSeverityLevel: 4,
      });
    } catch (e) {
      throw new InputError(`cannot load the model (not a valid ONNX file?): ${cleanOrtMessage(e)}`, source);
    }
    return { session, info: describeSession(session), path };
  }
}

/** Converts onnxruntime's metadata into the core's runtime-independent description. */
export function describeSession(session: OrtSession): ModelInfo {
  const convert = (m: OrtSession['inputMetadata'][number]): TensorInfo =>
    m.isTensor
      ? { name: m.name, isTensor: true, type: m.type, shape: m.shape.length ? m.shape.slice() : undefined }
      : { name: m.name, isTensor: false };
  return { inputs: session.inputMetadata.map(convert), outputs: session.outputMetadata.map(convert) };
}

/**
 * onnxruntime messages carry C++ source locations and signatures; keep the part a user can act on, e.g.
 * "Reshape node: The input tensor cannot be reshaped to the requested shape. Input shape:{1,1,4,4}, …".
 */
export function cleanOrtMessage(e: unknown): string {
  let msg = errorMessage(e).trim();
  msg = msg.replace(/^Load model from .*? failed:\s*/, '');
  const node = /running (\w+) node\.[^]*?Status Message:\s*([^]*)$/.exec(msg);
  if (node) {
    // Drop "/path/file.h:91 Class::method(args) cond was false." down to the sentence after it.
    const detail = node[2].replace(/^\/\S+:\d+\s+[^]*?\)\s+/, '').replace(/^[^.]*? was false\.\s*/, '');
    return `${node[1]} node: ${detail}`;
  }
  return msg;
}
