/**
 * Scripted dependencies for the model commands in plain node: a UI whose answers the test decides and which records
 * every call, an in-memory workspace state, and the real model worker client (worker thread over tsx).
 */
import { ModelWorkerClient } from '../../../../src/node/model/modelWorkerClient';
import type { ModelCommandDeps, ModelResultForViewer, StateStore } from '../../../../src/vscode/model/deps';
import { ProbStore } from '../../../../src/vscode/model/probStore';
import type { ModelUi, PickItem } from '../../../../src/vscode/model/ui';
import { repoPath } from '../../../support/repo';

export const MODELS_DIR = repoPath('test/fixtures/models');
const SCRIPT = repoPath('src/node/model/modelWorker.ts');

export function workerClient(): ModelWorkerClient {
  return new ModelWorkerClient({ script: SCRIPT, execArgv: ['--require', require.resolve('tsx/cjs')] });
}

export interface UiCall {
  kind: 'info' | 'warn' | 'error' | 'confirm' | 'pick' | 'openFile' | 'openFolder' | 'progress' | 'status';
  message: string;
  detail?: string;
  actions?: string[];
  items?: PickItem<unknown>[];
}

/** Answers by kind; a missing answer is "dismissed". */
export interface Script {
  error?: (c: UiCall) => string | undefined;
  warn?: (c: UiCall) => string | undefined;
  info?: (c: UiCall) => string | undefined;
  confirm?: (c: UiCall) => string | undefined;
  pick?: (c: UiCall) => unknown;
  openFile?: () => string | undefined;
  openFolder?: () => string | undefined;
  /** Called with every progress report; may abort the run. */
  onProgress?: (message: string, abort: () => void) => void;
}

// Each answer is recorded before the script is asked: `script.x?.(record())` would skip the record when unset.
export class FakeUi implements ModelUi {
  readonly calls: UiCall[] = [];
  constructor(public script: Script = {}) {}

  of(kind: UiCall['kind']): UiCall[] {
    return this.calls.filter((c) => c.kind === kind);
  }
  private record(c: UiCall): UiCall {
    this.calls.push(c);
    return c;
  }
  async info(message: string, ...actions: string[]) {
    const c = this.record({ kind: 'info', message, actions });
    return this.script.info?.(c);
  }
  async warn(message: string, ...actions: string[]) {
    const c = this.record({ kind: 'warn', message, actions });
    return this.script.warn?.(c);
  }
  async error(message: string, ...actions: string[]) {
    const c = this.record({ kind: 'error', message, actions });
    return this.script.error?.(c);
  }
  async confirm(message: string, detail: string, ...actions: string[]) {
    const c = this.record({ kind: 'confirm', message, detail, actions });
    return this.script.confirm?.(c);
  }
  async pick<T>(items: PickItem<T>[], title: string) {
    const c = this.record({ kind: 'pick', message: title, items: items as PickItem<unknown>[] });
    return this.script.pick?.(c) as T | undefined;
  }
  async openFile(title: string) {
    this.record({ kind: 'openFile', message: title });
    return this.script.openFile?.();
  }
  async openFolder(title: string) {
    this.record({ kind: 'openFolder', message: title });
    return this.script.openFolder?.();
  }
  async progress<T>(title: string, task: (r: (m: string) => void, s: AbortSignal) => Promise<T>): Promise<T> {
    this.record({ kind: 'progress', message: title });
    const abort = new AbortController();
    return task((m) => {
      this.record({ kind: 'progress', message: m });
      this.script.onProgress?.(m, () => abort.abort());
    }, abort.signal);
  }
  status(message: string) {
    this.record({ kind: 'status', message });
  }
}

export class MemoryState implements StateStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown) {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}

export interface Fixture {
  deps: ModelCommandDeps;
  ui: FakeUi;
  state: MemoryState;
  shown: ModelResultForViewer[];
  /** Paths the summary's "Reveal in Explorer" button showed. */
  revealed: string[];
  settings: { path: unknown; config: unknown };
  /** How often the runner was asked for (never in an untrusted workspace). */
  runnerUses: () => number;
  trusted: { value: boolean };
}

export function makeDeps(client: ModelWorkerClient, storeDir: string, models: string[] = []): Fixture {
  const ui = new FakeUi();
  const state = new MemoryState();
  const shown: ModelResultForViewer[] = [];
  const revealed: string[] = [];
  const settings = { path: undefined as unknown, config: undefined as unknown };
  const trusted = { value: true };
  let uses = 0;
  const store = new ProbStore(storeDir);
  const deps: ModelCommandDeps = {
    ui,
    runner: () => {
      uses++;
      return client;
    },
    state,
    settings: () => settings,
    isTrusted: () => trusted.value,
    roots: () => [MODELS_DIR],
    findModels: async () => models,
    activeImage: () => undefined,
    storeMap: (m, i, p) => store.save(m, i, p),
    showInViewer: async (r) => {
      shown.push(r);
    },
    label: (p) => (p.startsWith(`${MODELS_DIR}/`) ? p.slice(MODELS_DIR.length + 1) : p),
    log: () => undefined,
    showLog: () => undefined,
    reveal: (p) => {
      revealed.push(p);
    },
  };
  return { deps, ui, state, shown, revealed, settings, runnerUses: () => uses, trusted };
}
