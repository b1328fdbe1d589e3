/**
 * The batch driver of the whole-workspace loss lint (issue 15): lints a list of files in batches through the lint
 * worker, reports progress after each batch, stops between files when cancelled, and goes on past a file that
 * fails (unreadable, not UTF-8, a worker failure) instead of ending the pass.
 *
 * The work on the calling thread per file is a read and an import scan; the parse and the rules run in the lint
 * worker. Two lints are kept in flight so the worker, which serves requests one at a time, never waits for the
 * host to read the next file; no more, because the client's hang timeout (LINT_TIMEOUT_MS) starts when a request
 * is sent, so a long queue would count queueing as hanging. Between batches the driver yields to the event loop, so
 * the extension host stays responsive (docs/architecture.md §7: nothing holds it for more than 100 ms).
 *
 * Used by "SegLens: Lint Workspace Loss Code" (src/vscode/diagnostics/workspaceLint.ts) and timed by
 * bench/lint.bench.ts through the same functions.
 */
import { promises as fs } from 'node:fs';
import type { Finding, LintOptions } from '../../core/lint/types';
import { resolveModules, type ReadModule } from './workspaceModules';
import type { LintResult } from './workerProtocol';

/** What happened to one file: its result, or why it could not be linted. */
export type FileOutcome<R> = { file: string; result: R } | { file: string; error: string };

export interface PassProgress {
  /** Files finished (linted or failed). */
  done: number;
  total: number;
  failed: number;
}

export interface PassOptions<R> {
  /** Lints one file; a throw marks that file failed and the pass goes on. */
  lintFile: (file: string) => Promise<R>;
  /** Files per batch: progress and results are reported once per batch. @default 8 */
  batchSize?: number;
  /** Lints sent before the previous one answered (see the file comment). @default 2 */
  inFlight?: number;
  /** Called after each batch with its outcomes and the progress so far. */
  onBatch?: (outcomes: ReadonlyArray<FileOutcome<R>>, progress: PassProgress) => void;
  /** Checked before each file is started; true stops the pass (files already sent still finish). */
  cancelled?: () => boolean;
}

export interface PassSummary extends PassProgress {
  cancelled: boolean;
  ms: number;
}

/** A file's text; throws (naming why) when it cannot be read or is not UTF-8. */
async function readUtf8(file: string): Promise<string> {
  const bytes = await fs.readFile(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new Error('not UTF-8 text');
  }
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Lets other work on the event loop run (a timer phase passes, not only microtasks). */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `options.lintFile` over `files` in batches; resolves when every started file has finished. */
export async function runLintPass<R>(
  files: readonly string[],
  options: PassOptions<R>,
): Promise<PassSummary> {
  const started = performance.now();
  const batchSize = Math.max(1, options.batchSize ?? 8);
  const inFlight = Math.max(1, options.inFlight ?? 2);
  const progress: PassProgress = { done: 0, total: files.length, failed: 0 };
  let cancelled = false;
  for (let from = 0; from < files.length && !cancelled; from += batchSize) {
    const batch = files.slice(from, from + batchSize);
    const outcomes: Array<FileOutcome<R> | undefined> = new Array(batch.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < batch.length) {
        if (options.cancelled?.()) {
          cancelled = true;
          return;
        }
        const i = next++;
        const file = batch[i];
        try {
          outcomes[i] = { file, result: await options.lintFile(file) };
        } catch (e) {
          outcomes[i] = { file, error: errorText(e) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, batch.length) }, lane));
    const finished = outcomes.filter((o): o is FileOutcome<R> => o !== undefined);
    progress.done += finished.length;
    progress.failed += finished.filter((o) => 'error' in o).length;
    options.onBatch?.(finished, { ...progress });
    await yieldToLoop();
  }
  return { ...progress, cancelled, ms: performance.now() - started };
}

/** One linted Python file: its text (to place diagnostics without opening it) and its findings. */
export interface LintedFile {
  file: string;
  text: string;
  findings: Finding[];
  hasSyntaxErrors: boolean;
  ms: number;
}

export interface PythonFileLinterOptions {
  /** Sends one lint to the worker (LintClient.lint without keeping a tree). */
  lint: (key: string, text: string, options: LintOptions) => Promise<LintResult>;
  /**
   * Reads the file and the modules it imports. Pass the one reader the editor's lint uses (diskReader(), cached by
   * modification time), so a helper imported by fifty losses is read once; the worker's linter then parses it
   * once too (it keeps parsed modules by content digest).
   */
  read: ReadModule;
  /** Workspace roots imports are resolved from. */
  roots: readonly string[];
  /** Linter options (settings) for a file. */
  optionsFor: (file: string) => LintOptions;
}

/**
 * The worker key of a workspace-pass lint: apart from the editor's keys (document URIs), so a pass never disposes
 * the tree the worker keeps for an open document.
 */
export const workspaceLintKey = (file: string): string => `seglens-workspace-pass:${file}`;

/** A `lintFile` for runLintPass that lints one `.py` file from disk with its workspace imports. */
export function pythonFileLinter(o: PythonFileLinterOptions): (file: string) => Promise<LintedFile> {
  return async (file) => {
    // Through the shared reader first (a file already read as someone's import is not read again); a file over
    // its module size cap (MAX_MODULE_BYTES) but within the lint's own limit is read directly.
    const source = (await o.read(file)) ?? { text: await readUtf8(file) };
    const resolved = await resolveModules(file, source.text, { roots: o.roots, read: o.read });
    const base = o.optionsFor(file);
    const options = Object.keys(resolved.modules).length ? { ...base, modules: resolved.modules } : base;
    const r = await o.lint(workspaceLintKey(file), source.text, options);
    return { file, text: source.text, findings: r.findings, hasSyntaxErrors: r.hasSyntaxErrors, ms: r.ms };
  };
}
