/**
 * The host's handle on the linter: the lint runs in a worker thread (dist/lintWorker.js), started on the first
 * lint, over the worker RPC (../workers/rpc.ts). A worker that dies or hangs is replaced, and the requests it held fail with a message instead of never answering.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { notLinted } from '../../core/lint/linter';
import type { LintOptions, TextChange } from '../../core/lint/types';
import { RpcChannel, type WorkerLoss } from '../workers/rpc';
import type { LintMethods, LintResult } from './workerProtocol';

export type LintResponse = LintResult;

export interface LintClient {
  /** Lints `text`; `edits` lead from the last text linted under `key` (undefined: parse from scratch). */
  lint(
    key: string,
    text: string,
    options: LintOptions,
    edits: TextChange[] | undefined,
    keep: boolean,
  ): Promise<LintResponse>;
  /** Frees what is kept for `key` (its tree). */
  close(key: string): void;
  dispose(): void;
}

/**
 * A lint that takes longer than this is treated as a hang: the worker is terminated and replaced. Far above any
 * real file (a 40,000-line file lints in a few seconds), so it only catches pathological input.
 */
export const LINT_TIMEOUT_MS = 30_000;

/**
 * Heap budget of the lint worker (V8 old generation, MB). A file that needs more ends the worker with
 * ERR_WORKER_OUT_OF_MEMORY instead of taking the extension host down; the request is answered with one LL000
 * finding and the next lint starts a fresh worker.
 */
export const LINT_WORKER_HEAP_MB = 768;

function outOfMemory(loss: WorkerLoss): boolean {
  return 'error' in loss && (loss.error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/** Marks the error a request fails with when its worker ran out of memory. */
class WorkerOutOfMemory extends Error {}

/** The answer to a lint whose worker ran out of memory: one LL000 finding, no other findings. */
export function outOfMemoryResult(ms: number, heapMb: number): LintResponse {
  return {
    findings: [
      notLinted(
        `Not linted: the file is too large or complex to analyse within the memory budget ` +
          `(${heapMb} MB; stopped after ${Math.round(ms)} ms).`,
      ),
    ],
    hasSyntaxErrors: false,
    ms,
    incremental: false,
  };
}

function lostMessage(loss: WorkerLoss): string {
  return 'error' in loss
    ? `the lint worker failed: ${loss.error.message}`
    : `the lint worker exited (code ${loss.exitCode})`;
}

export class WorkerLintClient implements LintClient {
  private channel: RpcChannel<LintMethods> | undefined;

  constructor(
    private readonly script: string,
    private readonly extensionPath: string,
    private readonly onProblem: (message: string) => void,
    private readonly timeoutMs = LINT_TIMEOUT_MS,
    private readonly heapMb = LINT_WORKER_HEAP_MB,
  ) {}

  /** Drops `channel` (if current), says why, and fails every request it still held. */
  private drop(channel: RpcChannel<LintMethods>, why: string): void {
    if (this.channel === channel) {
      this.channel = undefined;
      this.onProblem(why);
    }
    void channel.terminate(new Error(why));
  }

  private start(): RpcChannel<LintMethods> {
    if (this.channel?.alive) return this.channel;
    const worker = new Worker(this.script, {
      workerData: { extensionPath: this.extensionPath },
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    // The worker is unref'd by the channel: it must not keep the extension host alive on shutdown.
    const channel: RpcChannel<LintMethods> = new RpcChannel<LintMethods>(worker, {
      lostError: (loss) =>
        outOfMemory(loss) ? new WorkerOutOfMemory(lostMessage(loss)) : new Error(lostMessage(loss)),
      onLost: (loss) => {
        if (this.channel !== channel) return;
        this.channel = undefined;
        // Out of memory is reported as the request's finding (outOfMemoryResult), not as a service problem.
        if (!outOfMemory(loss)) this.onProblem(lostMessage(loss));
      },
    });
    this.channel = channel;
    return channel;
  }

  lint(
    key: string,
    text: string,
    options: LintOptions,
    edits: TextChange[] | undefined,
    keep: boolean,
  ): Promise<LintResponse> {
    const channel = this.start();
    const timer = setTimeout(() => {
      // Its trees are lost with it; the next lint parses from scratch in a fresh worker.
      this.drop(channel, `lint took longer than ${this.timeoutMs / 1000} s; the lint worker was restarted`);
    }, this.timeoutMs);
    const started = performance.now();
    return channel
      .call('lint', { key, text, options, edits, keep })
      .catch((e: unknown) => {
        // Out of memory is an answer about the file, not a failure of the service.
        if (e instanceof WorkerOutOfMemory)
          return outOfMemoryResult(performance.now() - started, this.heapMb);
        throw e;
      })
      .finally(() => clearTimeout(timer));
  }

  close(key: string): void {
    this.channel?.call('close', { key }).catch(() => undefined);
  }

  dispose(): void {
    const c = this.channel;
    this.channel = undefined;
    void c?.terminate(new Error('the lint service stopped'));
  }
}

export function createLintClient(extensionPath: string, onProblem: (message: string) => void): LintClient {
  const script = path.join(extensionPath, 'dist', 'lintWorker.js');
  if (!existsSync(script)) {
    // Only a partial build gets here; every lint then fails with this message (shown on the status bar).
    throw new Error(`${script} is missing: build the extension (npm run build)`);
  }
  return new WorkerLintClient(script, extensionPath, onProblem);
}
