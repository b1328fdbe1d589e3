/**
 * Finds and loads the files of a sample for the viewer: pairing through the workspace file system (so remote and
 * virtual folders work), reading bytes asynchronously, decoding in the worker pool, and collecting every problem
 * as a message that names its file. Nothing here throws for bad input; the caller shows the problems.
 */
import { modelPath } from '../../core/viewmodel/modelMemory';
import { preferRememberedModel } from '../analysis/modelMemory';
import * as vscode from 'vscode';
import { CancelledError, InputError, errorMessage } from '../../core/errors';
import type { ClassLabel, Layer, LayerRole, Problem, RoleChoice, SampleRef } from '../../protocol';
import { labelsFileCandidates, parseClassLabels } from '../../node/io/load';
import { ListDir, PairingRules, assignRoles, isOpenable, pairSample } from '../../node/io/pairing';
import type { DecodeRole, Raster } from '../../node/io/load';
import type { WorkerPool } from '../../node/workers/pool';
import type { DecodedFile } from '../../node/workers/tasks';
import { fileRefusal } from '../../node/io/readRegularFile';
import { NamedRaster, checkSizes, previewLayer, toLayer } from './layers';
import { fileBytes, fileInfo, folderNames } from './workspaceFiles';

export interface SampleUris {
  image?: vscode.Uri;
  gt?: vscode.Uri;
  prob?: vscode.Uri;
}

/** Node's Buffer cannot exceed this, and no file we open is legitimately larger. */
const MAX_FILE_BYTES = 2 ** 31 - 1;

export function displayName(uri: vscode.Uri): string {
  return uri.scheme === 'file' || vscode.workspace.getWorkspaceFolder(uri)
    ? vscode.workspace.asRelativePath(uri, false)
    : uri.toString(true);
}

export function toSampleRef(uris: SampleUris): SampleRef {
  const ref: SampleRef = {};
  if (uris.image) ref.image = uris.image.toString();
  if (uris.gt) ref.gt = uris.gt.toString();
  if (uris.prob) ref.prob = uris.prob.toString();
  return ref;
}

export function fromSampleRef(ref: SampleRef): SampleUris {
  return {
    image: ref.image ? vscode.Uri.parse(ref.image, true) : undefined,
    gt: ref.gt ? vscode.Uri.parse(ref.gt, true) : undefined,
    prob: ref.prob ? vscode.Uri.parse(ref.prob, true) : undefined,
  };
}

const listDir =
  (base: vscode.Uri): ListDir =>
  async (dir) => {
    try {
      return await folderNames(base.with({ path: dir }));
    } catch {
      return undefined;
    }
  };

/** Pairs one opened file with its partner (mask ↔ image) using the configured rules. */
export async function pairFile(
  uri: vscode.Uri,
  rules: PairingRules,
): Promise<{ uris: SampleUris; notes: string[] }> {
  const result = await pairSample(uri.path, rules, listDir(uri));
  let prob = result.prob ? uri.with({ path: result.prob }) : undefined;
  let notes = result.notes;
  // A paired map (not the clicked file) comes from the model last chosen for its folder, when that one has it.
  if (prob && result.prob !== uri.path) {
    const first = modelPath(prob.path)?.model;
    const preferred = await preferRememberedModel(prob);
    if (preferred.note && first) {
      const chosen = modelPath(preferred.prob.path)?.model ?? first;
      notes = [
        ...notes.map((n) =>
          n
            .replace(`${first}/`, `${chosen}/`)
            .replace(`model folder ${first}.`, `model folder ${chosen}.`)
            .replace(`(showing ${first})`, `(showing ${chosen})`),
        ),
        preferred.note,
      ];
      prob = preferred.prob;
    }
  }
  return {
    uris: {
      image: result.image ? uri.with({ path: result.image }) : undefined,
      gt: result.gt ? uri.with({ path: result.gt }) : undefined,
      prob,
    },
    notes,
  };
}

/**
 * Assigns roles to files the user picked together: masks by folder or suffix, the rest as images. With a single
 * file, pairing finds its partner.
 */
export async function classifyFiles(
  files: vscode.Uri[],
  rules: PairingRules,
): Promise<{ uris: SampleUris; notes: string[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const usable = files.filter((f) => {
    if (isOpenable(f.path)) return true;
    problems.push({
      severity: 'error',
      source: displayName(f),
      message: `${displayName(f)}: unsupported file type (SegLens opens png, jpg, jpeg, tif, tiff, bmp, webp, npy, npz).`,
    });
    return false;
  });
  if (usable.length === 1) return { ...(await pairFile(usable[0], rules)), problems };
  const assigned = assignRoles(
    usable.map((f) => f.path),
    rules,
  );
  const byPath = (p: string | undefined) => usable.find((f) => f.path === p);
  const uris: SampleUris = {
    image: byPath(assigned.image),
    gt: byPath(assigned.gt),
    prob: byPath(assigned.prob),
  };
  const ignored = assigned.ignored.map((p) => byPath(p) as vscode.Uri);
  const notes = ignored.length
    ? [`Ignored ${ignored.map(displayName).join(', ')} (one image, mask and probability map per panel).`]
    : [];
  return { uris, notes, problems };
}

/**
 * A file read on the host (a labels file; a sample's file of another scheme, from a remote or virtual folder), with
 * the same refusals as the worker's reader of a sample's local files (fileRefusal, src/node/io/readRegularFile).
 */
async function readBytes(uri: vscode.Uri, label: string): Promise<Uint8Array> {
  let info: { folder: boolean; regular: boolean; size: number };
  try {
    info = await fileInfo(uri);
  } catch (e) {
    throw new InputError(`cannot read the file: ${errorMessage(e)}`, label);
  }
  const refusal = fileRefusal(info, MAX_FILE_BYTES);
  if (refusal) throw new InputError(refusal, label);
  try {
    return await fileBytes(uri);
  } catch (e) {
    throw new InputError(`cannot read the file: ${errorMessage(e)}`, label);
  }
}

/** An ArrayBuffer holding exactly the bytes, so it can be transferred to a worker without copying twice. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  ) {
    return bytes;
  }
  return bytes.slice();
}

/** When each file of a load was read and decoded, in ms from the load's start (the open-to-overlay log). */
export interface FileTimings {
  role: LayerRole;
  readMs: number;
  decodedMs: number;
}

export interface LoadedSample {
  layers: Layer[];
  /** The image's preview, when the image is large enough to send it first (see previewLayer). */
  preview?: Layer;
  problems: Problem[];
  timings: FileTimings[];
}

export async function loadSample(
  uris: SampleUris,
  maxPixels: number,
  pool: WorkerPool,
  signal?: AbortSignal,
  /** The user's role/channel choice per file (roleChoices.ts): the channel shown, logits converted. */
  choiceOf: (uri: string) => RoleChoice | undefined = () => undefined,
  /** Told of each file as soon as it is decoded, before the others are (the viewer packs it meanwhile). */
  onDecoded: (role: LayerRole, raster: Raster) => void = () => undefined,
): Promise<LoadedSample> {
  // The mask and the map first: on one thread (the pool's priority lane after an analysis was stopped) the host
  // packs them for the wire while the image, usually the slowest file, still decodes.
  const jobs: { role: LayerRole; decodeAs: DecodeRole; uri: vscode.Uri }[] = [];
  if (uris.gt) jobs.push({ role: 'gt', decodeAs: 'labels', uri: uris.gt });
  if (uris.prob) jobs.push({ role: 'prob', decodeAs: 'prob', uri: uris.prob });
  if (uris.image) jobs.push({ role: 'image', decodeAs: 'image', uri: uris.image });
  const problems: Problem[] = [];
  const timings: FileTimings[] = [];
  let imagePreview: DecodedFile['preview'];
  const t0 = Date.now();
  const decoded = await Promise.all(
    jobs.map(async (job): Promise<NamedRaster | undefined> => {
      const label = displayName(job.uri);
      try {
        const choice = choiceOf(job.uri.toString());
        const options = {
          source: label,
          maxPixels,
          role: job.decodeAs,
          ...(choice?.channel !== undefined ? { channel: choice.channel } : {}),
          ...(choice?.role === 'logits' ? { logits: choice.activation ?? 'sigmoid' } : {}),
        };
        // A user waits on this: ahead of the previous sample's analysis tasks, on the pool's priority lane (a thread
        // the analysis never uses) or a free thread (issue 13: command to overlay).
        let raster: Raster;
        let readMs: number;
        if (job.uri.scheme === 'file') {
          // A file of this machine: read where it is decoded, never through the host's event loop.
          const decoded = await pool.run(
            'decodeFile',
            { ...options, path: job.uri.fsPath, maxBytes: MAX_FILE_BYTES, preview: job.role === 'image' },
            { signal, priority: true },
          );
          raster = decoded.raster;
          readMs = decoded.readAt - t0;
          if (job.role === 'image') imagePreview = decoded.preview;
        } else {
          const bytes = ownBuffer(await readBytes(job.uri, label));
          readMs = Date.now() - t0;
          raster = await pool.run(
            'decodeRaster',
            { ...options, bytes },
            { transfer: [bytes.buffer as ArrayBuffer], signal, priority: true },
          );
        }
        timings.push({ role: job.role, readMs, decodedMs: Date.now() - t0 });
        onDecoded(job.role, raster);
        return { role: job.role, raster, label };
      } catch (e) {
        if (e instanceof CancelledError) throw e;
        const message = e instanceof InputError ? e.message : `${label}: ${errorMessage(e)}`;
        problems.push({ severity: 'error', source: label, message });
        return undefined;
      }
    }),
  );
  // Back in the sample's order: the image first (the base the others are checked against), then mask, then map.
  const order: LayerRole[] = ['image', 'gt', 'prob'];
  const ok = decoded
    .filter((d): d is NamedRaster => d !== undefined)
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
  const { kept, problems: sizeProblems } = checkSizes(ok);
  problems.push(...sizeProblems);
  const layers = kept.map((k) => {
    const uri = k.role === 'image' ? uris.image : k.role === 'gt' ? uris.gt : uris.prob;
    const name = uri ? (uri.path.split('/').pop() ?? k.label) : k.label;
    const layer = toLayer(k.role, k.raster, name, uri?.toString() ?? '');
    const choice = uri ? choiceOf(uri.toString()) : undefined;
    return choice ? { ...layer, choice } : layer;
  });
  // Notes about how a file was read name it by its file name: the full label of a file outside the workspace (a
  // model run's map in the extension's storage) is an internal path that means nothing to the reader. Each note once.
  const seen = new Set<string>();
  for (const [i, k] of kept.entries()) {
    for (const note of k.raster.notes) {
      const message = `${layers[i].name}: ${note}`;
      if (seen.has(message)) continue;
      seen.add(message);
      problems.push({ severity: 'info', source: k.label, message });
    }
  }
  const image = layers.find((l) => l.role === 'image');
  const preview = image && imagePreview ? previewLayer(image, imagePreview) : undefined;
  return { layers, problems, timings, ...(preview ? { preview } : {}) };
}

/**
 * Looks for a labels file near a mask (see labelsFileCandidates) and reads it. A missing file is normal; a broken
 * one is reported as a warning naming it, and the panel keeps its default names and colours.
 */
export async function findClassLabels(
  mask: vscode.Uri,
): Promise<{ labels?: ClassLabel[]; note?: string; problem?: Problem }> {
  const root = vscode.workspace.getWorkspaceFolder(mask)?.uri.path;
  for (const path of labelsFileCandidates(mask.path, root)) {
    const uri = mask.with({ path });
    let bytes: Uint8Array;
    const label = displayName(uri);
    try {
      // Checked like any input (a pipe named labels.json is skipped, not read forever).
      bytes = await readBytes(uri, label);
    } catch {
      continue;
    }
    try {
      const labels = parseClassLabels(new TextDecoder().decode(bytes), label);
      return { labels, note: `Class names and colours from ${label}.` };
    } catch (e) {
      const message = e instanceof InputError ? e.message : `${label}: ${errorMessage(e)}`;
      return { problem: { severity: 'warning', source: label, message } };
    }
  }
  return {};
}
