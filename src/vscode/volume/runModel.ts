/**
 * "Run Model Slice by Slice…" (`seglens.volume.runModel`, the play button of the SegLens Volume panel): a 2-D ONNX
 * model run on every slice of one plane of the panel's image volume, in the model worker under a cancellable
 * progress notification; the probability volume it writes (the extension's storage, NIfTI on the image's grid)
 * then becomes the panel's probability volume, so its heatmap, decoders and metrics show as if that file had been
 * opened with the image. The slicing itself is src/node/volume/sliceModel.ts (docs/volumes.md).
 *
 * It shares the model commands' dependencies (worker client, trust, settings, dialogs: ../model/deps.ts), which the
 * extension hands over at activation, like the dataset view's.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { PlaneName } from '../../core/volume/slice';
import {
  SLICE_AXES,
  isSliceAxis,
  type SliceIntensity,
  type VolumeRunSummary,
} from '../../node/volume/sliceModel';
import type { ModelCommandDeps } from '../model/deps';
import { baseName } from '../model/messages';
import { pickModelFile } from '../model/pickModelFile';
import { reportRunError } from '../model/runSupport';
import { checkTrust, configChoiceFor, labels } from '../model/session';
import { VolumePanel, type VolumePanelSnapshot } from './volumePanel';

interface VolumeModelSetup {
  deps: ModelCommandDeps;
  /** Where the probability volumes are written (the extension's storage). */
  storageDir: string;
}

let setup: VolumeModelSetup | undefined;

/** Called at activation with the model commands' dependencies and the extension's storage folder. */
export function setVolumeModelDeps(s: VolumeModelSetup | undefined): void {
  setup = s;
}

/** What the command may be given by code (tests, the panel): the model and axis skip their pickers. */
export interface RunModelArgs {
  model?: string;
  axis?: PlaneName;
  /** The panel to run on. @default the active SegLens Volume panel, else the last one opened */
  panelId?: number;
  /** How voxels become pixels. @default asked when the image leaves 0…255, else the stored values */
  intensity?: SliceIntensity;
}

export interface VolumeModelOutcome {
  summary: VolumeRunSummary;
  /** The panel once the probability volume is shown (metrics and decoders in its header). */
  snapshot: VolumePanelSnapshot;
}

function argsOf(raw: unknown): RunModelArgs {
  if (!raw || typeof raw !== 'object' || raw instanceof vscode.Uri) return {};
  const r = raw as Record<string, unknown>;
  return {
    ...(typeof r.model === 'string' ? { model: r.model } : {}),
    ...(isSliceAxis(r.axis) ? { axis: r.axis } : {}),
    ...(typeof r.panelId === 'number' ? { panelId: r.panelId } : {}),
    ...(isIntensity(r.intensity) ? { intensity: r.intensity } : {}),
  };
}

function isIntensity(x: unknown): x is SliceIntensity {
  if (!x || typeof x !== 'object') return false;
  const o = x as Record<string, unknown>;
  if (o.kind === 'stored' || o.kind === 'auto') return true;
  return (
    o.kind === 'window' &&
    typeof o.low === 'number' &&
    typeof o.high === 'number' &&
    Number.isFinite(o.low) &&
    Number.isFinite(o.high) &&
    o.high > o.low
  );
}

function targetPanel(panelId: number | undefined): VolumePanel | undefined {
  const all = [...VolumePanel.open];
  if (panelId !== undefined) return all.find((p) => p.id === panelId);
  return all.find((p) => p.active) ?? all[all.length - 1];
}

/** The model: a QuickPick of the workspace's .onnx files (the selected model first), or any file by a dialog. */
function pickModel(deps: ModelCommandDeps): Promise<string | undefined> {
  return pickModelFile(deps, {
    title: 'SegLens: Run Model Slice by Slice — the 2-D model',
    browseTitle: 'SegLens: pick a 2-D ONNX segmentation model',
    currentDetail: 'selected model',
    currentFirst: true,
  });
}

/** The plane: a QuickPick naming each plane's slice count and size, as the panel lays them out. */
async function pickAxis(deps: ModelCommandDeps, panel: VolumePanel): Promise<PlaneName | undefined> {
  const planes = panel.snapshot().header?.planes ?? [];
  const items = SLICE_AXES.map((axis) => {
    const p = planes.find((x) => x.plane === axis);
    return {
      label: axis,
      description: p ? `${p.slices} slices of ${p.width}×${p.height}` : undefined,
      detail: p ? `slices ${p.sliceLetters[0]}→${p.sliceLetters[1]}, fed as shown (radiological)` : undefined,
      value: axis,
    };
  });
  return deps.ui.pick(
    items,
    'SegLens: Run Model Slice by Slice — the plane',
    'the slices the 2-D model runs on',
  );
}

/**
 * The intensity mapping: an image in 0…255 goes as stored (an 8-bit picture, as the model's sidecar expects of
 * PNGs); anything else (16-bit, float MR, CT) is a choice between the viewer's default window mapped to an 8-bit
 * picture and the stored values as a 16-bit or float picture (docs/volumes.md).
 */
async function pickIntensity(
  deps: ModelCommandDeps,
  panel: VolumePanel,
): Promise<SliceIntensity | undefined> {
  const img = panel.snapshot().header?.image;
  if (!img || (img.min >= 0 && img.max <= 255)) return { kind: 'stored' };
  const f = (x: number) => String(Number(x.toPrecision(5)));
  return deps.ui.pick<SliceIntensity>(
    [
      {
        label: `Window ${f(img.low)} … ${f(img.high)} → 8-bit picture`,
        description: "the viewer's default window (0.5th–99.5th percentile)",
        detail: 'for a model trained on 8-bit slice exports',
        value: { kind: 'window', low: img.low, high: img.high },
      },
      {
        label: 'Stored values',
        description: `${f(img.min)} … ${f(img.max)} as a 16-bit or float picture`,
        detail: "the model config's scale / inputRange apply to these values",
        value: { kind: 'stored' },
      },
    ],
    'SegLens: Run Model Slice by Slice — the intensities',
    `this image's values run ${f(img.min)} … ${f(img.max)}, outside an 8-bit picture's 0…255`,
  );
}

const stem = (p: string): string => baseName(p).replace(/\.(nii\.gz|seg\.nrrd|[^.]+)$/i, '');
/** `<image>_prob_<model>_<axis>.nii`: "prob" makes it the probability volume when opened with the image. */
export function resultName(image: string, model: string, axis: PlaneName): string {
  return `${stem(image)}_prob_${stem(model)}_${axis}.nii`;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;

/** The whole flow; resolves to the outcome, or undefined when the user stopped or it failed (and was told). */
export async function runModelOnVolumePanel(raw?: unknown): Promise<VolumeModelOutcome | undefined> {
  const s = setup;
  if (!s) throw new Error('the model runner is not ready yet; try again in a moment');
  const { deps } = s;
  if (!checkTrust(deps)) return undefined;
  const args = argsOf(raw);
  const panel = targetPanel(args.panelId);
  if (!panel) {
    void deps.ui.info(
      'SegLens: open a volume first (SegLens: Open Volume…), then run a model on its slices.',
    );
    return undefined;
  }
  const image = panel.files.image;
  if (!image) {
    void deps.ui.error(
      'SegLens: this volume panel has no image volume to run a model on (it shows only masks or probabilities).',
    );
    return undefined;
  }
  const model = args.model ?? (await pickModel(deps));
  if (!model) return undefined;
  const axis = args.axis ?? (await pickAxis(deps, panel));
  if (!axis) return undefined;
  const intensity = args.intensity ?? (await pickIntensity(deps, panel));
  if (!intensity) return undefined;

  await mkdir(s.storageDir, { recursive: true });
  // Named so the viewer's role rules read it as a probability volume when it is opened again or saved.
  const output = join(s.storageDir, resultName(image, model, axis));
  const shown = labels(deps, model, image, output);
  const run = async (): Promise<VolumeModelOutcome | undefined> => {
    let summary: VolumeRunSummary;
    try {
      const choice = await configChoiceFor(deps, model);
      const runner = deps.runner();
      if (!runner.runVolume) throw new Error('this model runner cannot run on volumes');
      const runVolume = runner.runVolume.bind(runner);
      summary = await deps.ui.progress(
        `SegLens: ${baseName(model)} on the ${axis} slices of ${baseName(image)}`,
        (report, signal) =>
          runVolume(model, image, axis, output, {
            choice,
            intensity,
            signal,
            onProgress: (p) =>
              report(`${p.done}/${p.total} slices, about ${seconds(p.etaMs)} left`, 100 / p.total),
          }),
      );
    } catch (e) {
      let retried: VolumeModelOutcome | undefined;
      await reportRunError(deps, e, model, shown, async () => {
        retried = await run();
      });
      return retried;
    }
    deps.log(
      `${model} on ${summary.slices} ${axis} slices of ${image}: [${summary.shape.join(', ')}] in ` +
        `${seconds(summary.timings.totalMs)} → ${output}`,
    );
    for (const n of summary.notes) deps.log(`  note: ${n}`);
    const note =
      `Probability volume of ${baseName(model)}, run slice by slice on the ${summary.slices} ${axis} slices ` +
      `(${summary.intensity})`;
    const snapshot = await panel.showProbability(output, [note, ...summary.notes]);
    void offerSave(deps, output, image, model, axis);
    return { summary, snapshot };
  };
  return run();
}

/** A notification with "Save As…": the result lives in the extension's storage until the user keeps a copy. */
async function offerSave(
  deps: ModelCommandDeps,
  output: string,
  image: string,
  model: string,
  axis: PlaneName,
): Promise<void> {
  const pick = await deps.ui.info(
    `SegLens: ${baseName(model)} ran on the ${axis} slices of ${baseName(image)}; the probability volume is shown ` +
      'in the panel.',
    'Save As…',
  );
  if (pick !== 'Save As…') return;
  const suggested = join(dirname(image), resultName(image, model, axis));
  const target = await vscode.window.showSaveDialog({
    // The system dialog asks before replacing an existing file.
    defaultUri: vscode.Uri.file(suggested),
    filters: { NIfTI: ['nii'] },
    title: 'SegLens: save the probability volume',
  });
  if (!target || target.scheme !== 'file') return;
  try {
    await copyFile(output, target.fsPath);
    deps.log(`probability volume saved to ${target.fsPath}`);
  } catch (e) {
    void deps.ui.error(
      `SegLens: ${deps.label(target.fsPath)}: cannot save the probability volume: ${errorMessage(e)}`,
    );
  }
}
