// The dataset view end to end in a real extension host: "Evaluate Folder…" on demo/ → the pairing preview (12
// samples, two probability folders, labels.json's classes) → evaluate both models with threshold and RankDice in
// the worker pool → the rows the panel holds (and the webview drew) equal `seglens eval` run on the same folders,
// image by image; the summary's comparison, Spearman ρ, pooled Dice and pixel accuracy too → sort/filter drive the
// table → a row opens in the viewer → export asks before overwriting. Screenshots at each state.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { SegLensApi } from '../../src/extension';
import type { DatasetEvent, DatasetPanel } from '../../src/vscode/dataset/datasetPanel';
import type { SegLensTestApi } from '../../src/vscode/testApi';
import { log } from './support/log';
import { repoPath } from './support/paths';
import { requestScreenshot } from './support/screenshot';
import { seglensTestApi } from './support/testApi';

const run = promisify(execFile);

type Json = Record<string, unknown>;

/** A number of the CLI's JSON ("NaN" and "Infinity" are strings there). */
function num(v: unknown): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  assert.equal(typeof v, 'number', `a number, got ${JSON.stringify(v)}`);
  return v as number;
}

function same(a: number, b: number, what: string): void {
  if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || !Number.isFinite(b)) {
    assert.ok(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), `${what}: ${a} vs ${b}`);
    return;
  }
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: view ${a} vs seglens eval ${b}`);
}

let hooks: SegLensTestApi;
const setHooks: SegLensTestApi['setExportHooks'] = (h) => hooks.setExportHooks(h);
const livePanels = () => hooks.datasetPanels();

async function cliEval(model: string): Promise<Json> {
  const cli = repoPath('dist', 'cli.js');
  const { stdout } = await run(
    process.execPath,
    [
      cli,
      'eval',
      '--images',
      repoPath('demo', 'images'),
      '--gt',
      repoPath('demo', 'masks'),
      '--probs',
      repoPath('demo', 'probs', model),
      '--decoders',
      'threshold,rankdice',
      '--json',
      '--no-progress',
    ],
    { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 512 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as Json;
}

function waitFor(panel: DatasetPanel, match: (e: DatasetEvent) => boolean, from = 0, ms = 180_000) {
  return new Promise<DatasetEvent>((resolve, reject) => {
    const seen = panel.events.slice(from).find(match);
    if (seen) return resolve(seen);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(
        new Error(
          `no matching dataset event within ${ms} ms; last: ${JSON.stringify(panel.events.slice(-5))}`,
        ),
      );
    }, ms);
    const sub = panel.onEvent((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

describe('dataset view: evaluate the demo folder', function () {
  this.timeout(400_000);
  const demo = repoPath('demo');
  const models = ['unet_bce', 'unet_dice_axis_bug'];
  let panel: DatasetPanel;
  let api: SegLensApi;
  const cli: Record<string, Json> = {};

  before(async function () {
    if (!existsSync(path.join(demo, 'probs', models[1]))) this.skip();
    const ext = vscode.extensions.getExtension<SegLensApi>('seglens.seglens');
    assert.ok(ext);
    api = await ext.activate();
    hooks = await seglensTestApi();
    // The reference numbers first (the CLI is a separate process).
    for (const m of models) cli[m] = await cliEval(m);
  });

  after(async () => {
    setHooks(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the pairing preview from the explorer command', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('seglens.dataset.evaluateFolderFromExplorer', vscode.Uri.file(demo));
    const panels = [...livePanels()];
    assert.equal(panels.length, 1, 'one dataset panel');
    panel = panels[0];
    await waitFor(panel, (e) => e.type === 'ready', 0, 90_000);
    const preview = (await waitFor(panel, (e) => e.type === 'preview')) as Extract<
      DatasetEvent,
      { type: 'preview' }
    >;
    assert.equal(preview.total, 12);
    assert.deepEqual(preview.models, models);
    assert.equal(panel.datasetPlan?.numClasses, 6, 'labels.json read');
    // Clicking a role folder means the dataset above it: the same panel comes back.
    await vscode.commands.executeCommand(
      'seglens.dataset.evaluateFolderFromExplorer',
      vscode.Uri.file(path.join(demo, 'images')),
    );
    assert.equal(livePanels().length, 1);
    await requestScreenshot('dataset-preview');
  });

  it('evaluates both models with threshold and RankDice; every row equals seglens eval', async () => {
    const from = panel.events.length;
    void panel.evaluate(models, ['threshold', 'rankdice']);
    const done = (await waitFor(panel, (e) => e.type === 'finished', from)) as Extract<
      DatasetEvent,
      { type: 'finished' }
    >;
    assert.equal(done.cancelled, false);
    assert.equal(done.skipped, 0);
    await waitFor(panel, (e) => e.type === 'summary', from);
    const rendered = (await waitFor(
      panel,
      (e) => e.type === 'rendered' && e.rows === 12,
      from,
      60_000,
    )) as Extract<DatasetEvent, { type: 'rendered' }>;
    assert.equal(rendered.sort, 'dice@threshold asc', 'worst first by the first decoder');
    const store = panel.rows;
    assert.ok(store);
    assert.equal(store.completed, 12);
    models.forEach((model, m) => {
      const report = cli[model];
      const perDecoder = report.decoders as { decoder: string; images: Json[] }[];
      assert.deepEqual(
        perDecoder.map((d) => d.decoder),
        ['threshold', 'rankdice'],
      );
      perDecoder.forEach((dec, d) => {
        for (const img of dec.images) {
          const row = store.rowIndex(img.id as string);
          assert.ok(row !== undefined, `row ${img.id}`);
          const where = `${model}/${dec.decoder}/${img.id}`;
          same(store.value(row, m, d, 0, 'dice'), num(img.meanDice), `${where} Dice`);
          same(store.value(row, m, d, 0, 'expectedDice'), num(img.expectedDice), `${where} expected Dice`);
          const perClass = img.perClass as Record<string, { overlap: Json; surface: Json }>;
          store.classes.forEach((c, ci) => {
            const pc = perClass[String(c)];
            same(store.value(row, m, d, ci + 1, 'dice'), num(pc.overlap.dice), `${where} class ${c} Dice`);
            same(store.value(row, m, d, ci + 1, 'iou'), num(pc.overlap.iou), `${where} class ${c} IoU`);
            same(store.value(row, m, d, ci + 1, 'hd95'), num(pc.surface.hd95), `${where} class ${c} HD95`);
          });
        }
      });
    });
    const summary = panel.lastSummary;
    assert.ok(summary);
    models.forEach((model) => {
      const report = cli[model];
      const cmp = (report.comparisons as Json[])[0];
      const mine = summary.comparisons.find((c) => c.kind === 'decoder' && c.label.includes(model));
      assert.ok(mine, `decoder comparison of ${model}`);
      assert.equal(mine.wins, cmp.wins);
      assert.equal(mine.ties, cmp.ties);
      assert.equal(mine.losses, cmp.losses);
      same(mine.meanDiff ?? NaN, num(cmp.meanDifference), `${model} mean difference`);
      const ci = cmp.ci as Json;
      same(mine.ci?.[0] ?? NaN, num(ci.low), `${model} CI low`);
      same(mine.ci?.[1] ?? NaN, num(ci.high), `${model} CI high`);
      for (const [d, ev] of (report.expectedVsTrue as Json[]).entries()) {
        const s = summary.perDecoder.find((p) => p.model === model && p.decoder === ev.decoder);
        assert.ok(s);
        same(s.ranking.rho ?? NaN, num(ev.spearman), `${model} ${ev.decoder} Spearman ρ`);
        const ds = d === 0 ? (report.dataset as Json) : ((report.decoders as Json[])[d].dataset as Json);
        if (ds) {
          same(
            s.pooledDice ?? NaN,
            num(((ds.microOverClasses as Json).metrics as Json).dice),
            `${model} pooled Dice`,
          );
          same(s.pixelAccuracy ?? NaN, num((ds.pixelAccuracy as Json).pooled), `${model} pixel accuracy`);
        }
      }
    });
    assert.ok(
      summary.comparisons.some((c) => c.kind === 'model'),
      'model A vs B',
    );
    assert.ok(summary.labelErrors.length > 0, 'label-error candidates');
    assert.ok(summary.perDecoder.every((d) => d.gapSentence.length > 20));
    log(
      `dataset summary: ${summary.perDecoder.map((d) => `${d.model}/${d.decoder} ${d.dice.mean?.toFixed(3)}`).join(', ')}`,
    );
    await requestScreenshot('dataset-table');
  });

  it('sorts and filters the table as asked, and opens a row in the viewer', async () => {
    let from = panel.events.length;
    panel.apply({ type: 'apply', patch: { filter: 'dice<0.9' } });
    const filtered = (await waitFor(
      panel,
      (e) => e.type === 'rendered' && e.rows < 12,
      from,
      30_000,
    )) as Extract<DatasetEvent, { type: 'rendered' }>;
    const store = panel.rows;
    assert.ok(store);
    let below = 0;
    for (let r = 0; r < 12; r++) if (store.value(r, 0, 0, 0, 'dice') < 0.9) below++;
    assert.equal(filtered.rows, below);
    from = panel.events.length;
    panel.apply({ type: 'apply', patch: { filter: '', sortColumn: 6 + 0, sortDescending: true } });
    const sorted = (await waitFor(
      panel,
      (e) => e.type === 'rendered' && e.rows === 12 && e.sort.startsWith('dice@rankdice'),
      from,
      30_000,
    )) as Extract<DatasetEvent, { type: 'rendered' }>;
    let best = 0;
    for (let r = 1; r < 12; r++)
      if (store.value(r, 0, 1, 0, 'dice') > store.value(best, 0, 1, 0, 'dice')) best = r;
    assert.equal(sorted.first, best, 'best RankDice image first when sorted descending');
    // Back to worst first and step to the first row from the keyboard command (as Alt+J does from the viewer).
    panel.apply({ type: 'apply', patch: { sortColumn: 0, sortDescending: false } });
    await new Promise((r) => setTimeout(r, 1000));
    const viewersBefore = api.openViewerCount();
    from = panel.events.length;
    await vscode.commands.executeCommand('seglens.dataset.nextWorst');
    const opened = (await waitFor(panel, (e) => e.type === 'opened', from, 30_000)) as Extract<
      DatasetEvent,
      { type: 'opened' }
    >;
    let worst = 0;
    for (let r = 1; r < 12; r++)
      if (store.value(r, 0, 0, 0, 'dice') < store.value(worst, 0, 0, 0, 'dice')) worst = r;
    assert.equal(opened.row, worst, 'the worst image opens first');
    assert.equal(api.openViewerCount(), Math.max(1, viewersBefore));
    await new Promise((r) => setTimeout(r, 3000));
    await requestScreenshot('dataset-opened');
  });

  it('exports the table and the summary, and asks before replacing a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seglens-dataset-'));
    const table = vscode.Uri.file(path.join(dir, 'demo-table.csv'));
    const summaryFile = vscode.Uri.file(path.join(dir, 'demo-summary.json'));
    let asked = 0;
    setHooks({ saveUri: async () => table, confirmOverwrite: async () => (asked++, true) });
    let from = panel.events.length;
    await panel.exportAs('table-csv');
    await waitFor(panel, (e) => e.type === 'exported', from, 30_000);
    const lines = readFileSync(table.fsPath, 'utf8').trim().split('\n');
    assert.equal(lines.length, 13, 'header + 12 images');
    assert.equal(asked, 0);
    setHooks({ saveUri: async () => summaryFile, confirmOverwrite: async () => (asked++, true) });
    from = panel.events.length;
    await panel.exportAs('summary-json');
    await waitFor(panel, (e) => e.type === 'exported', from, 30_000);
    const json = JSON.parse(readFileSync(summaryFile.fsPath, 'utf8')) as {
      perDecoder: unknown[];
      comparisons: unknown[];
    };
    assert.equal(json.perDecoder.length, 4);
    setHooks({ saveUri: async () => table, confirmOverwrite: async () => (asked++, false) });
    await panel.exportAs('table-json');
    assert.equal(asked, 1, 'asked before replacing');
    assert.equal(
      readFileSync(table.fsPath, 'utf8').trim().split('\n').length,
      13,
      'declined: the file is kept',
    );
  });
});
