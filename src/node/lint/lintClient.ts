/**
 * The host's handle on the linter: the lint runs in a worker thread (dist/lintWorker.js), started on the first
 * lint. A worker that dies or hangs is replaced, and the requests it held fail with a message instead of never answering.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Finding, LintOptions, TextChange } from '../../core/lint/types';
import type { LintReply, LintRequest } from './workerProtocol';

export interface LintResponse {
  findings: Finding[];
  hasSyntaxErrors: boolean;
  ms: number;
  incremental: boolean;
}

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

interface Pending {
  worker: Worker;
  resolve: (r: LintResponse) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class WorkerLintClient implements LintClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly script: string,
    private readonly extensionPath: string,
    private readonly onProblem: (message: string) => void,
    private readonly timeoutMs = LINT_TIMEOUT_MS,
  ) {}

  /** Drops `worker` (if current) and fails every request it still held. */
  private fail(worker: Worker, why: string): void {
    if (this.worker === worker) {
      this.worker = undefined;
      this.onProblem(why);
    }
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue;
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(new Error(why));
    }
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { workerData: { extensionPath: this.extensionPath } });
    worker.on('message', (reply: LintReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      clearTimeout(p.timer);
      if (reply.type === 'error') p.reject(new Error(reply.message));
      else p.resolve(reply);
    });
    const fail = (why: string): void => this.fail(worker, why);
    worker.on('error', (e) => fail(`the lint worker failed: ${e.message}`));
    worker.on('exit', (code) => fail(`the lint worker exited (code ${code})`));
    // The worker must not keep the extension host alive on shutdown.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  lint(
    key: string,
    text: string,
    options: LintOptions,
    edits: TextChange[] | undefined,
    keep: boolean,
  ): Promise<LintResponse> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<LintResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Its trees are lost with it; the next lint parses from scratch in a fresh worker.
        this.fail(worker, `lint took longer than ${this.timeoutMs / 1000} s; the lint worker was restarted`);
        void worker.terminate();
      }, this.timeoutMs);
      this.pending.set(id, { worker, resolve, reject, timer });
      const req: LintRequest = { type: 'lint', id, key, text, options, edits, keep };
      worker.postMessage(req);
    });
  }

  close(key: string): void {
    const req: LintRequest = { type: 'close', key };
    this.worker?.postMessage(req);
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('the lint service stopped'));
    }
    this.pending.clear();
    void w?.terminate();
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
