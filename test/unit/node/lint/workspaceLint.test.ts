// The batch driver of the whole-workspace loss lint: batches and progress counts, at most two lints in flight, the
// event loop served between batches, cancel between files, a failing file that does not stop the pass; and the
// Python file linter end to end on a generated repository through the worker-side engine, where exactly the files
// with the planted axis=-1 Dice get LL101 and a shared helper module is read from disk once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LintOptions } from '../../../../src/core/lint/types';
import { LintEngine } from '../../../../src/node/lint/lintEngine';
import { findWorkspaceFiles } from '../../../../src/node/lint/workspaceFiles';
import {
  pythonFileLinter,
  runLintPass,
  workspaceLintKey,
  type FileOutcome,
  type LintedFile,
  type PassProgress,
} from '../../../../src/node/lint/workspaceLint';
import { diskReader, type ReadModule } from '../../../../src/node/lint/workspaceModules';
import { wasmBytes } from '../../vscode/diagnostics/helpers';
import { writeRepo } from './workspaceRepo';

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `f${i}.py`);
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

describe('node/lint workspace pass (batch driver)', () => {
  it('reports once per batch with cumulative counts and results in file order', async () => {
    const seen: PassProgress[] = [];
    const order: string[] = [];
    const summary = await runLintPass(names(10), {
      batchSize: 3,
      lintFile: async (f) => {
        await tick();
        return f.toUpperCase();
      },
      onBatch: (outcomes, p) => {
        seen.push(p);
        for (const o of outcomes) order.push('result' in o ? o.result : 'error');
      },
    });
    assert.deepEqual(
      seen.map((p) => [p.done, p.total, p.failed]),
      [
        [3, 10, 0],
        [6, 10, 0],
        [9, 10, 0],
        [10, 10, 0],
      ],
    );
    assert.deepEqual(
      order,
      names(10).map((f) => f.toUpperCase()),
    );
    assert.equal(summary.done, 10);
    assert.equal(summary.cancelled, false);
  });

  it('keeps at most `inFlight` lints running (default 2)', async () => {
    for (const [inFlight, want] of [
      [undefined, 2],
      [1, 1],
      [3, 3],
    ] as const) {
      let running = 0;
      let peak = 0;
      await runLintPass(names(9), {
        batchSize: 9,
        inFlight,
        lintFile: async () => {
          peak = Math.max(peak, ++running);
          await tick();
          running--;
        },
      });
      assert.equal(peak, want, `inFlight ${String(inFlight)}`);
    }
  });

  it('one bad file does not stop the pass: it is reported with its error and counted as failed', async () => {
    const failures: Array<FileOutcome<string>> = [];
    const summary = await runLintPass(names(5), {
      batchSize: 2,
      lintFile: async (f) => {
        if (f === 'f2.py') throw new Error('not UTF-8 text');
        return f;
      },
      onBatch: (outcomes) => failures.push(...outcomes.filter((o) => 'error' in o)),
    });
    assert.deepEqual(failures, [{ file: 'f2.py', error: 'not UTF-8 text' }]);
    assert.deepEqual([summary.done, summary.failed, summary.cancelled], [5, 1, false]);
  });

  it('cancel stops before the next file: no file is started after it, the summary says so', async () => {
    const started: string[] = [];
    let cancel = false;
    const summary = await runLintPass(names(20), {
      batchSize: 4,
      lintFile: async (f) => {
        started.push(f);
        await tick();
      },
      onBatch: (_o, p) => {
        if (p.done >= 8) cancel = true;
      },
      cancelled: () => cancel,
    });
    assert.deepEqual(started, names(8));
    assert.deepEqual([summary.done, summary.total, summary.cancelled], [8, 20, true]);
  });

  it('yields to the event loop between batches (a callback queued during a batch runs before the next one)', async () => {
    const log: string[] = [];
    await runLintPass(names(4), {
      batchSize: 2,
      // Synchronous work only: without the yield nothing else could run until the whole pass ended.
      lintFile: async (f) => {
        log.push(f);
      },
      onBatch: () => setImmediate(() => log.push('other work')),
    });
    assert.deepEqual(log, ['f0.py', 'f1.py', 'other work', 'f2.py', 'f3.py', 'other work']);
  });

  it('an empty list finishes at once with zero counts', async () => {
    let batches = 0;
    const s = await runLintPass([], { lintFile: async () => 1, onBatch: () => batches++ });
    assert.deepEqual([s.done, s.total, s.failed, s.cancelled, batches], [0, 0, 0, false, 0]);
  });
});

describe('node/lint workspace pass (Python files through the lint engine)', function () {
  this.timeout(60_000);
  let root: string;
  const engine = new LintEngine(async () => wasmBytes());
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'seglens-wspass-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  after(() => engine.dispose());

  it('on a generated 40-file repository exactly the planted axis=-1 files get LL101 (3 each), at the sums', async () => {
    const repo = writeRepo(root, 40, 3);
    assert.ok(repo.buggy.length >= 3, 'the generator planted the bug');
    // A file that cannot be read as text is part of real repositories too: it fails alone.
    writeFileSync(join(root, 'latin1.py'), Buffer.from([0x23, 0x20, 0xe9, 0x0a]));
    const found = await findWorkspaceFiles([root]);
    assert.equal(found.files.length, 41);
    const keys: string[] = [];
    const modulesSeen: Array<Record<string, string> | undefined> = [];
    const lintFile = pythonFileLinter({
      lint: (key, text, options: LintOptions) => {
        keys.push(key);
        modulesSeen.push(options.modules);
        return engine.lint({ key, text, options, keep: false });
      },
      read: diskReader(),
      roots: [root],
      optionsFor: () => ({}),
    });
    const linted: LintedFile[] = [];
    const errors: string[] = [];
    const summary = await runLintPass(found.files, {
      lintFile,
      onBatch: (outcomes) => {
        for (const o of outcomes) {
          if ('error' in o) errors.push(`${o.file}: ${o.error}`);
          else linted.push(o.result);
        }
      },
    });
    assert.deepEqual(errors, [`${join(root, 'latin1.py')}: not UTF-8 text`]);
    assert.deepEqual([summary.done, summary.failed], [41, 1]);
    const withLL101 = linted.filter((l) => l.findings.some((f) => f.rule === 'LL101')).map((l) => l.file);
    assert.deepEqual(withLL101.sort(), [...repo.buggy].sort());
    for (const l of linted.filter((x) => repo.buggy.includes(x.file))) {
      const ll101 = l.findings.filter((f) => f.rule === 'LL101');
      // The three reductions of dice_coef, found by hand in the generated text: every `K.sum(` with axis=-1.
      const lines = l.text.split('\n');
      const sums = lines.flatMap((line, n) =>
        [...line.matchAll(/K\.sum\([^)]*axis=-1\)/g)].map((m) => `${n}:${m.index}`),
      );
      assert.equal(sums.length, 3);
      assert.deepEqual(
        ll101.map((f) => `${f.range.start.line}:${f.range.start.character}`).sort(),
        sums.sort(),
      );
    }
    // The worker keys are the pass's own (never an open document's URI), and importing files got their modules.
    assert.ok(keys.every((k) => k.startsWith('seglens-workspace-pass:')));
    assert.equal(workspaceLintKey('/a.py'), 'seglens-workspace-pass:/a.py');
    const metricFiles = linted.filter((l) => l.file.includes('/metrics/metric_'));
    assert.ok(metricFiles.length >= 5);
    assert.ok(modulesSeen.filter((m) => m && 'utils.metrics' in m).length >= metricFiles.length);
  });

  it('a helper imported by many files is read from disk once (the shared reader caches by modification time)', async () => {
    writeRepo(root, 30);
    const reads = new Map<string, number>();
    const disk = diskReader();
    // Counts the reads that reach the file's bytes: the disk reader's cache answers the others from memory.
    const fsRead = (await import('node:fs')).promises;
    const original = fsRead.readFile;
    fsRead.readFile = (async (...args: Parameters<typeof original>) => {
      const f = String(args[0]);
      reads.set(f, (reads.get(f) ?? 0) + 1);
      return original(...args);
    }) as typeof original;
    try {
      const read: ReadModule = disk;
      const lintFile = pythonFileLinter({
        lint: (key, text, options) => engine.lint({ key, text, options, keep: false }),
        read,
        roots: [root],
        optionsFor: () => ({}),
      });
      const found = await findWorkspaceFiles([root]);
      const s = await runLintPass(found.files, { lintFile });
      assert.equal(s.failed, 0);
    } finally {
      fsRead.readFile = original;
    }
    const helper = join(root, 'utils', 'metrics.py');
    assert.equal(reads.get(helper), 1);
    assert.ok(
      [...reads.values()].every((n) => n === 1),
      JSON.stringify([...reads]),
    );
  });
});
