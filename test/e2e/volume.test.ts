// The three-plane volume viewer in the real workbench at 1280 × 800: the demo's T1 volume opened from the explorer
// ("Open in SegLens" on a .nii.gz) finds its labels and probability volume, the panel shows axial, coronal and
// sagittal planes with their letters and the error map, and the whole-volume metrics beside them. A click in the
// axial plane moves the other two planes' slices; the keyboard zooms every plane to 4×. Screenshots at 1× and 4×.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { repoRoot } from '../../tools/harness/server';
import { Workbench } from '../../tools/harness/workbench';

type Frame = { requestAnimationFrame(f: () => void): void };

async function settled(view: FrameLocator): Promise<void> {
  await view.locator('body').evaluate(() => {
    const w = globalThis as unknown as Frame;
    return new Promise<void>((r) => w.requestAnimationFrame(() => w.requestAnimationFrame(() => r())));
  });
}

describe('e2e: the three-plane volume viewer', function () {
  this.timeout(300_000);
  let wb: Workbench | undefined;
  let view: FrameLocator;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot('volume-failed');
  });
  after(async () => {
    await wb?.close();
  });

  it('opens the demo volume from the explorer in three labelled planes with the error map and metrics', async () => {
    wb = await Workbench.open({
      folder: path.join(repoRoot, 'demo'),
      viewport: { width: 1280, height: 800 },
    });
    wb.page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    await wb.rightClickExplorerItem('volume/t1.nii.gz');
    const labels = await wb.menuLabels();
    assert.equal(labels.filter((l) => l === 'Open in SegLens').length, 1, labels.join(', '));
    await wb.clickMenuItem('Open in SegLens');
    view = await wb.webview();
    await view.locator('.vol-metrics tr.vol-class-row[data-cls="5"]').waitFor({ timeout: 120_000 });
    for (const plane of ['axial', 'coronal', 'sagittal']) {
      const cell = view.locator(`.vol-plane[data-plane="${plane}"]`);
      await cell.waitFor();
      const title = (await cell.locator('.vol-plane-title').textContent()) ?? '';
      assert.match(title, new RegExp(`^${plane[0].toUpperCase()}${plane.slice(1)} \\d+/\\d+`, 'i'));
      const letters = await cell.locator('.vol-letter').allTextContents();
      assert.equal(letters.length, 4);
      const canvas = await cell.locator('canvas').boundingBox();
      assert.ok(
        canvas && canvas.width > 150 && canvas.height > 100,
        `${plane} canvas ${JSON.stringify(canvas)}`,
      );
    }
    // The RAS demo volume in radiological display: axial R on the left, A at the top.
    assert.deepEqual(await view.locator('.vol-plane[data-plane="axial"] .vol-letter').allTextContents(), [
      'R',
      'L',
      'A',
      'P',
    ]);
    assert.deepEqual(await view.locator('.vol-plane[data-plane="sagittal"] .vol-letter').allTextContents(), [
      'A',
      'P',
      'S',
      'I',
    ]);
    const caudate = (await view.locator('.vol-metrics tr.vol-class-row[data-cls="1"]').textContent()) ?? '';
    assert.match(caudate, /caudate/);
    const body = await view.locator('body').evaluate((e) => {
      const b = e as unknown as { scrollWidth: number; clientWidth: number };
      return [b.scrollWidth, b.clientWidth];
    });
    assert.ok(body[0] <= body[1] + 1, `sideways overflow ${body.join(' > ')}`);
    // The metrics list fits its side column: no column is cut off.
    const sideBox = await view.locator('.vol-side').evaluate((e) => {
      const b = e as unknown as { scrollWidth: number; clientWidth: number };
      return [b.scrollWidth, b.clientWidth];
    });
    assert.ok(sideBox[0] <= sideBox[1] + 1, `metrics list overflows ${sideBox.join(' > ')}`);
    await settled(view);
    const file = await wb.screenshot('volume-1-three-planes');
    // docs/volumes.md shows this view; refreshed on request like the viewer's documentation images.
    if (process.env.SEGLENS_UPDATE_DOC_IMAGES === '1')
      copyFileSync(file, path.join(repoRoot, 'docs', 'images', 'volume-three-planes.png'));
  });

  it('a click in the axial plane moves the coronal and sagittal slices', async () => {
    const title = (p: string) => view.locator(`.vol-plane[data-plane="${p}"] .vol-plane-title`).textContent();
    const before = [await title('coronal'), await title('sagittal'), await title('axial')];
    const axial = view.locator('.vol-plane[data-plane="axial"] canvas');
    const box = await axial.boundingBox();
    assert.ok(box);
    await axial.click({ position: { x: box.width * 0.3, y: box.height * 0.35 } });
    await view
      .locator('.vol-plane[data-plane="coronal"] .vol-plane-title', { hasNotText: before[0] ?? '' })
      .waitFor({ timeout: 30_000 });
    assert.notEqual(await title('sagittal'), before[1]);
    // The axial slice itself stays.
    assert.equal(await title('axial'), before[2]);
    // The wheel scrolls the axial plane by one slice.
    await axial.hover();
    await wb!.page.mouse.wheel(0, -100);
    await view
      .locator('.vol-plane[data-plane="axial"] .vol-plane-title', { hasNotText: before[2] ?? '' })
      .waitFor({ timeout: 30_000 });
  });

  it('"missed" steps the crosshair into a ground-truth object the prediction does not touch', async () => {
    const button = view.locator('button.vol-object-jump.missed:not([disabled])').first();
    const count = await view.locator('button.vol-object-jump.missed:not([disabled])').count();
    if (count === 0) {
      // The demo prediction may find every object; then every "missed" button says 0 and is disabled.
      assert.equal(await view.locator('button.vol-object-jump.missed', { hasText: /^0 missed$/ }).count(), 5);
      return;
    }
    const cls = await button.evaluate(
      (e) => (e as unknown as { closest(s: string): { dataset: { cls: string } } }).closest('tr').dataset.cls,
    );
    const name = (
      (await view.locator(`tr.vol-class-row[data-cls="${cls}"] .vol-class`).getAttribute('title')) ?? ''
    ).trim();
    await button.click();
    await view.locator('.vol-readout', { hasText: `ground truth: ${name}` }).waitFor({ timeout: 30_000 });
    // Missed: the prediction does not have the class there.
    assert.ok(!((await view.locator('.vol-readout').textContent()) ?? '').includes(`prediction: ${name}`));
    await wb!.screenshot('volume-3-missed-object');
  });

  it('zoomed to 4× with the keyboard, each plane stays centred on the crosshair', async () => {
    for (const plane of ['axial', 'coronal', 'sagittal']) {
      const canvas = view.locator(`.vol-plane[data-plane="${plane}"] canvas`);
      await canvas.focus();
      await canvas.press('+');
      await canvas.press('+');
      await view
        .locator(`.vol-plane[data-plane="${plane}"] .vol-plane-title`, { hasText: '4×' })
        .waitFor({ timeout: 10_000 });
    }
    await settled(view);
    await wb!.screenshot('volume-2-zoom-4x');
  });

  it('logs how long a slice step takes, key press to the drawn slice (webview slice cache; never asserted)', async () => {
    // Measured in the webview: ArrowUp on the axial plane, paced like a held key (about 30 repeats a second), until
    // its title shows the next slice. A step the cache holds is drawn within the key handler; one it does not waits
    // for the host. Then a jump to the last slice (End: a host round trip unless prefetched) and back with the slider.
    // No named functions inside: the page gets the callback's source as it is.
    const r = await view.locator('.vol-plane[data-plane="axial"] canvas').evaluate(async (canvas) => {
      type El = {
        dispatchEvent(e: unknown): boolean;
        closest(s: string): {
          querySelector(s: string): {
            textContent: string;
            value: string;
            dispatchEvent(e: unknown): boolean;
          };
        };
      };
      const g = globalThis as unknown as {
        KeyboardEvent: new (type: string, init: { key: string; bubbles: boolean }) => unknown;
        Event: new (type: string) => unknown;
        requestAnimationFrame(f: () => void): void;
        setTimeout(f: () => void, ms: number): void;
        performance: { now(): number };
      };
      const c = canvas as unknown as El;
      const cell = c.closest('.vol-plane');
      const title = cell.querySelector('.vol-plane-title');
      const keys = [...Array(10).fill('ArrowUp'), ...Array(10).fill('ArrowDown'), 'End'] as string[];
      const slider = cell.querySelector('input[type="range"]');
      const back = slider.value;
      const times: number[] = [];
      const cached: boolean[] = [];
      for (const key of keys) {
        const before = title.textContent;
        const t0 = g.performance.now();
        c.dispatchEvent(new g.KeyboardEvent('keydown', { key, bubbles: true }));
        cached.push(title.textContent !== before);
        while (title.textContent === before)
          await new Promise<void>((res) => g.requestAnimationFrame(() => res()));
        times.push(g.performance.now() - t0);
        const rest = 33 - (g.performance.now() - t0);
        if (rest > 0) await new Promise<void>((res) => g.setTimeout(() => res(), rest));
      }
      const jump = times.pop() as number;
      const jumpCached = cached.pop() as boolean;
      const inHandler = cached.filter(Boolean).length;
      slider.value = back;
      slider.dispatchEvent(new g.Event('input'));
      return { steps: times, inHandler, jump, jumpCached };
    });
    const sorted = [...r.steps].sort((a, b) => a - b);
    console.log(
      `      slice step (3 planes, key → drawn, webview cache): median ${sorted[10].toFixed(1)} ms, max ${sorted[19].toFixed(1)} ms over 20 steps at 30/s, ${r.inHandler}/20 drawn within the key handler`,
    );
    console.log(
      `      jump to the last slice (End): ${r.jump.toFixed(1)} ms, ${r.jumpCached ? 'already prefetched' : 'a host round trip'}`,
    );
    await view
      .locator('.vol-plane[data-plane="axial"] .vol-plane-title', { hasNotText: /\b(\d+)\/\1\b/ })
      .waitFor({ timeout: 30_000 });
  });

  it("neurological display puts the patient's right on the screen's right", async () => {
    await view
      .locator('.toolbar select', { has: view.locator('option[value="neurological"]') })
      .selectOption('neurological');
    await view
      .locator('.vol-plane[data-plane="axial"] .vol-letter.left', { hasText: 'L' })
      .waitFor({ timeout: 30_000 });
    assert.deepEqual(await view.locator('.vol-plane[data-plane="coronal"] .vol-letter').allTextContents(), [
      'L',
      'R',
      'S',
      'I',
    ]);
    await view
      .locator('.toolbar select', { has: view.locator('option[value="radiological"]') })
      .selectOption('radiological');
    await view
      .locator('.vol-plane[data-plane="axial"] .vol-letter.left', { hasText: 'R' })
      .waitFor({ timeout: 30_000 });
  });

  it('the probability volume as a heatmap overlay', async () => {
    await view.locator('.toolbar select').first().selectOption('prob');
    await settled(view);
    await wb!.screenshot('volume-4-heatmap-4x');
  });
});
