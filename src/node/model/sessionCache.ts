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
  /** Estimated memory held by the session, in bytes (see memoryEstimate). */
  bytes: number;
}

/** Default memory budget of the cached sessions, in MB (setting `seglens.model.cacheMemoryMB`). */
export const DEFAULT_CACHE_MEMORY_MB = 2048;
/** Largest accepted budget, in MB. */
export const MAX_CACHE_MEMORY_MB = 65536;

/**
 * How onnxruntime manages a session's CPU memory (docs/performance.md has the measurements behind the defaults).
 * With the memory pattern on, onnxruntime plans one block for a run's intermediate tensors after seeing a shape and
 * keeps it, next to the arena's own blocks: a model's second run on a new size roughly doubled the resident memory
 * (issue 13: ISNet-small 974 → 1,909 MiB). Off, the peak stays that of a single run at no measured cost in speed.
 */
export interface SessionMemoryOptions {
  /** onnxruntime's memory pattern optimisation. @default false */
  enableMemPattern?: boolean;
  /** onnxruntime's CPU arena (keeps freed blocks for the next run). @default true */
  enableCpuMemArena?: boolean;
}

export interface SessionCacheOptions extends SessionMemoryOptions {
  /** Threads onnxruntime may use inside one run. @default 0 (onnxruntime's choice: one per core) */
  intraOpNumThreads?: number;
  /**
   * Memory the cached sessions may hold together, in MB: the least recently used sessions are released while the
   * estimated total is above it (the session just used always stays). Each session is charged its model file
   * twice (weights as read and as optimised) or the growth of the resident memory while it was created, whichever
   * is larger. @default DEFAULT_CACHE_MEMORY_MB (2048); at most MAX_CACHE_MEMORY_MB
   */
  cacheMemoryMB?: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private loadCount = 0;

  /** Sessions created so far (a folder run reports it: one model, one load). */
  get loads(): number {
    return this.loadCount;
  }

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
    if (st.size === 0)
      throw new InputError('the model file is empty (0 bytes): not an ONNX model', modelPath);
    const cached = this.entries.get(path);
    if (cached) this.entries.delete(path);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) {
      // Re-inserting keeps the map in least-recently-used order.
      this.entries.set(path, cached);
      return cached.model;
    }
    if (cached) this.releaseLater(cached);
    const rssBefore = process.memoryUsage.rss();
    const entry: Entry = {
      mtimeMs: st.mtimeMs,
      size: st.size,
      model: this.create(path, modelPath),
      bytes: memoryEstimate(st.size, 0),
    };
    this.entries.set(path, entry);
    this.evict();
    // A failed load is not cached: the user will fix the file and try again.
    entry.model.then(
      () => {
        entry.bytes = memoryEstimate(st.size, process.memoryUsage.rss() - rssBefore);
        this.evict();
      },
      () => {
        if (this.entries.get(path) === entry) this.entries.delete(path);
      },
    );
    return entry.model;
  }

  /** Number of cached sessions (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /** The memory budget in bytes. */
  get budgetBytes(): number {
    return clampCacheMemoryMB(this.options.cacheMemoryMB) * 1024 * 1024;
  }

  /** Estimated memory of the cached sessions, in bytes. */
  get estimatedBytes(): number {
    let total = 0;
    for (const e of this.entries.values()) total += e.bytes;
    return total;
  }

  /** Releases least recently used sessions while the estimate is over budget; the newest always stays. */
  private evict(): void {
    const budget = this.budgetBytes;
    for (const [oldest, old] of this.entries) {
      if (this.entries.size <= 1 || this.estimatedBytes <= budget) break;
      this.entries.delete(oldest);
      this.releaseLater(old);
    }
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
        enableMemPattern: this.options.enableMemPattern ?? false,
        enableCpuMemArena: this.options.enableCpuMemArena ?? true,
        // onnxruntime's pool threads otherwise busy-wait after each run, taking the cores that our own
        // pre/post-processing, the extension host and the webview need next (measured: 4× slower post-processing).
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
        // Errors are reported to the user by us, with the model's name; onnxruntime's own log would duplicate them.
        logSeverityLevel: 4,
      });
    } catch (e) {
      throw new InputError(loadFailureMessage(e), source);
    }
    this.loadCount++;
    return { session, info: describeSession(session), path };
  }
}

/** A budget in MB: the default when absent, not a number or not positive, else at most MAX_CACHE_MEMORY_MB. */
export function clampCacheMemoryMB(mb: number | undefined): number {
  if (mb === undefined || !Number.isFinite(mb) || mb <= 0) return DEFAULT_CACHE_MEMORY_MB;
  return Math.min(MAX_CACHE_MEMORY_MB, mb);
}

/** What a session is charged: twice its file, or the resident growth measured while creating it if larger. */
export function memoryEstimate(fileBytes: number, rssGrowth: number): number {
  return Math.max(2 * fileBytes, rssGrowth);
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
 * Why a model file could not be loaded, in the user's terms. onnxruntime says "Protobuf parsing failed" for both a
 * file that is not ONNX at all and a truncated download, and "ModelProto does not have a graph" for a file that
 * parses as an empty message, each with its C++ source location, which is of no use to the user.
 */
export function loadFailureMessage(e: unknown): string {
  const msg = cleanOrtMessage(e);
  if (/Protobuf parsing failed/i.test(msg)) {
    return 'cannot load the model: the file is not an ONNX model, or it is truncated (it does not parse as ONNX)';
  }
  if (/does not have a graph/i.test(msg)) {
    return 'cannot load the model: the file holds no ONNX graph (not an ONNX model, or an empty one)';
  }
  return `cannot load the model (not a valid ONNX file?): ${msg}`;
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
  // Any other "/onnxruntime_src/…/model.cc:187 onnxruntime::Model::Model(args…) " prefix goes too.
  return msg.replace(/\/\S+\.(?:cc|cpp|h):\d+\s+(?:[\w:~<>]+\([^]*?\)\s+)?/g, '');
}
