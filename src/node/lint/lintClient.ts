/**
 * The host's handle on the linter: the lint runs in a worker thread (dist/lintWorker.js), started on the first
 * lint, over the worker RPC (../workers/rpc.ts). A worker that dies or hangs is replaced, and the requests it held fail with a message instead of never answering.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
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
    const worker = new Worker(this.script, { workerData: { extensionPath: this.extensionPath } });
    // The worker is unref'd by the channel: it must not keep the extension host alive on shutdown.
    const channel: RpcChannel<LintMethods> = new RpcChannel<LintMethods>(worker, {
      lostError: (loss) => new Error(lostMessage(loss)),
      onLost: (loss) => {
        if (this.channel !== channel) return;
        this.channel = undefined;
        this.onProblem(lostMessage(loss));
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
    return channel.call('lint', { key, text, options, edits, keep }).finally(() => clearTimeout(timer));
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
