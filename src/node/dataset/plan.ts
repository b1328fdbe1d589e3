/**
 * Pairing preview of a dataset: which (image, ground truth, probability map per model) triples a folder holds,
 * and which files were left out and why. Two entry points build the same DatasetPlan:
 * - planFolder(root): the folder layout of the dataset view (images/, masks|labels|gt/, probs/ or probs/<model>/,
 *   labels.json beside them), paired by the rules of src/core/dataset (pairSamples);
 * - planFromFolders({gt, probs, images}): the explicit folders of `seglens eval --gt DIR --probs DIR [--images DIR]`,
 *   paired by file stem with the role suffixes (_mask, _gt, _label, _prob, _probs) stripped.
 * Only names are read here (and labels.json); no image is opened.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isSegLensExport } from '../../core/dataset/exports';
import { pairSamples } from '../../core/dataset/pairing';
import { splitVolumeName, VOLUME_NAME_ENDINGS } from '../../core/dataset/nnunet';
import {
  DEFAULT_PAIRING_RULES,
  MASK_EXTENSIONS,
  OPENABLE_EXTENSIONS,
  PROB_EXTENSIONS,
  suffixOf,
} from '../../core/dataset/roles';
import { InputError, errorMessage } from '../../core/errors';
import type { ClassLabel } from '../../core/pixels';
import { LABELS_FILE, labelsFileCandidates, parseClassLabels } from '../io/classLabels';

export interface DatasetItem {
  /** Sample id: the file stem, with sub-folders relative to the dataset root ("case1/a"); sorted by code point. */
  id: string;
  /** Absolute path of the input image, when there is one. */
  image?: string;
  /** Absolute path of the ground-truth mask, when there is one (without it only label-free scores exist). */
  gt?: string;
  /** Model name → absolute path of that model's probability map for this image. */
  probs: Record<string, string>;
}

export interface UnmatchedFile {
  path: string;
  /** Why the file is not part of any triple, in words ("no probability map with the same stem", …). */
  reason: string;
}

export interface DatasetPlan {
  /** The dataset folder (absolute). */
  root: string;
  /** Samples, sorted by id. */
  items: DatasetItem[];
  /** Files left out, with the reason; sorted by path. */
  unmatched: UnmatchedFile[];
  /** Model names (probability folders), A→Z. "probs" for a flat probs/ folder. */
  models: string[];
  /** Classes from labels.json (beside the masks or given), when found. */
  labels?: ClassLabel[];
  /** Where the labels came from. */
  labelsFile?: string;
  /** Number of classes from labels.json (max index + 1), when found. */
  numClasses?: number;
}

export interface PlanOptions {
  /** A labels.json to use instead of looking beside the data. */
  labelsFile?: string;
  /** Stop walking after this many files (a guard for huge trees). @default 200000 */
  maxFiles?: number;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__', '.seglens']);

/** Files under `root` (relative, '/'-separated), sorted; hidden files and tool folders skipped. */
function walk(root: string, maxFiles: number): string[] {
  const out: string[] = [];
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch (e) {
      if (rel === '') throw new InputError(`cannot list the folder: ${errorMessage(e)}`, root);
      continue;
    }
    for (const e of entries) {
      // SegLens's own exports (the export folder, marked file names) are never data.
      if (e.name.startsWith('.') || isSegLensExport(e.name)) continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) stack.push(p);
      } else if (e.isFile()) {
        out.push(p);
        if (out.length > maxFiles)
          throw new InputError(`holds more than ${maxFiles} files; choose a smaller folder`, root);
      }
    }
  }
  return out.sort();
}

/** Reads a labels.json into the plan's labels fields. */
export function readLabels(path: string): { labels: ClassLabel[]; labelsFile: string; numClasses: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read: ${errorMessage(e)}`, path);
  }
  const labels = parseClassLabels(text, path);
  if (labels.length === 0) throw new InputError('lists no classes', path);
  return { labels, labelsFile: path, numClasses: Math.max(...labels.map((l) => l.index)) + 1 };
}

/** The first labels.json of the candidates that exists. */
function findLabels(candidates: readonly string[]): string | undefined {
  return candidates.find((p) => existsSync(p) && statSync(p).isFile());
}

function withLabels(plan: DatasetPlan, file: string | undefined): DatasetPlan {
  return file ? { ...plan, ...readLabels(file) } : plan;
}

const byPath = (a: UnmatchedFile, b: UnmatchedFile): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
const byId = (a: DatasetItem, b: DatasetItem): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The pairing preview of a dataset folder. Items need a probability map or an image (an image alone can be
 * evaluated with an ONNX model); masks without either, and other files, are listed as unmatched with a reason.
 */
export async function planFolder(root: string, options: PlanOptions = {}): Promise<DatasetPlan> {
  const abs = resolve(root);
  const files = walk(abs, options.maxFiles ?? 200000);
  const labelsRel = files.filter((f) => basename(f) === LABELS_FILE);
  const paired = pairSamples(files.filter((f) => basename(f) !== LABELS_FILE));
  const full = (p: string): string => join(abs, ...p.split('/'));
  const unmatched: UnmatchedFile[] = paired.unmatched.map((p) => ({
    path: full(p),
    reason: 'not an image, mask or probability map (unknown file type)',
  }));
  for (const c of paired.conflicts) {
    for (const p of c.ignored)
      unmatched.push({
        path: full(p),
        reason: `duplicate ${c.role} for '${c.id}': ${basename(c.used)} is used`,
      });
  }
  const models = new Set<string>();
  const items: DatasetItem[] = [];
  for (const s of paired.samples) {
    const probs: Record<string, string> = {};
    if (s.probCandidates) {
      for (const c of s.probCandidates) {
        const name = c.model ?? basename(dirname(full(c.path)));
        probs[name] = full(c.path);
      }
    } else if (s.prob) probs[basename(dirname(full(s.prob)))] = full(s.prob);
    for (const m of Object.keys(probs)) models.add(m);
    if (Object.keys(probs).length === 0 && !s.image) {
      for (const p of [s.gt, s.pred].filter((x): x is string => x !== undefined))
        unmatched.push({ path: full(p), reason: 'no image or probability map with the same stem' });
      continue;
    }
    if (s.pred)
      unmatched.push({
        path: full(s.pred),
        reason: 'predicted masks are not evaluated (give probability maps)',
      });
    items.push({
      id: s.id,
      ...(s.image ? { image: full(s.image) } : {}),
      ...(s.gt ? { gt: full(s.gt) } : {}),
      probs,
    });
  }
  // Items of a model that lack that model's map are reported too: the view shows them as skipped rows.
  const plan: DatasetPlan = {
    root: abs,
    items: items.sort(byId),
    unmatched: unmatched.sort(byPath),
    models: [...models].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()) || (a < b ? -1 : 1)),
  };
  const labelsFile =
    options.labelsFile ??
    (labelsRel.includes(LABELS_FILE)
      ? join(abs, LABELS_FILE)
      : findLabels(
          [items.find((i) => i.gt)?.gt]
            .filter((x): x is string => x !== undefined)
            .flatMap((g) => labelsFileCandidates(g.split(sep).join('/'), abs.split(sep).join('/'))),
        ));
  return withLabels(plan, labelsFile);
}

const PROB_SUFFIXES = DEFAULT_PAIRING_RULES.probSuffixes;
const MASK_SUFFIXES = DEFAULT_PAIRING_RULES.maskSuffixes;

/** Files of one folder by stem with role suffixes stripped; duplicates of a stem are reported. */
function filesByStem(
  dir: string,
  suffixes: readonly string[],
  exts: readonly string[],
  unmatched: UnmatchedFile[],
): Map<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new InputError(`cannot list the folder: ${errorMessage(e)}`, dir);
  }
  const out = new Map<string, string>();
  for (const name of names) {
    const dot = name.lastIndexOf('.');
    if (name.startsWith('.') || name === LABELS_FILE || isSegLensExport(name)) continue;
    const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
    // Volumes (NIfTI, NRRD, MetaImage) pair by the stem before their whole ending ("case_01.nii.gz" → "case_01").
    const volume = splitVolumeName(name);
    if (!volume && !exts.includes(ext)) {
      if (statSync(join(dir, name)).isFile())
        unmatched.push({
          path: join(dir, name),
          reason: `not a ${exts.filter((e) => !splitVolumeName(`x.${e}`)).join('/')} file or a volume (${VOLUME_NAME_ENDINGS.join(', ')})`,
        });
      continue;
    }
    let stem = volume ? volume.stem : name.slice(0, dot);
    const suffix = suffixOf(stem, suffixes);
    if (suffix) stem = stem.slice(0, -suffix.length);
    const had = out.get(stem);
    if (had && ext === 'npz' && exts === PROB_EXTENSIONS && splitVolumeName(basename(had))) {
      // nnU-Net's predict --save_probabilities writes CASE.nii.gz (the segmentation) beside CASE.npz (the
      // probabilities): in a probability folder the .npz is the map.
      unmatched.push({
        path: had,
        reason: `the segmentation beside its probabilities (nnU-Net layout): ${name} is used`,
      });
      out.set(stem, join(dir, name));
    } else if (had)
      unmatched.push({ path: join(dir, name), reason: `duplicate stem '${stem}': ${basename(had)} is used` });
    else out.set(stem, join(dir, name));
  }
  return out;
}

export interface FolderPlanInput {
  /** Folder of ground-truth masks. */
  gt?: string;
  /** Folder(s) of probability maps, one per model; the first is the primary model of a report. */
  probs?: string | readonly string[];
  /** Name of the model of a single probability folder, or of the ONNX model. @default the folder's name */
  model?: string;
  /** Folder of images (needed with an ONNX model). */
  images?: string;
  /** labels.json to use; otherwise looked for beside the masks (their folder and two parents) and the maps. */
  labelsFile?: string;
}

/**
 * The plan of explicit folders (`seglens eval`). Samples are the stems present in the masks folder and in a
 * probability folder (or the images folder, for a model run); every other file is unmatched with its reason. With
 * several probability folders a stem missing from one of them stays a sample: that model's row is reported skipped.
 * Models are named by their folders (which must differ) and keep the order given.
 */
export function planFromFolders(input: FolderPlanInput): DatasetPlan {
  const unmatched: UnmatchedFile[] = [];
  const gts = input.gt
    ? filesByStem(resolve(input.gt), MASK_SUFFIXES, MASK_EXTENSIONS, unmatched)
    : undefined;
  const probDirs =
    input.probs === undefined ? [] : typeof input.probs === 'string' ? [input.probs] : [...input.probs];
  const names = probDirs.map((d) =>
    probDirs.length === 1 && input.model ? input.model : basename(resolve(d)),
  );
  const dupName = names.find((n, k) => names.indexOf(n) !== k);
  if (dupName !== undefined) {
    throw new InputError(
      `two probability folders are both called '${dupName}'; give folders with distinct names`,
      'eval',
    );
  }
  const probs = probDirs.map((d) => filesByStem(resolve(d), PROB_SUFFIXES, PROB_EXTENSIONS, unmatched));
  const images = input.images
    ? filesByStem(resolve(input.images), [], OPENABLE_EXTENSIONS, unmatched)
    : undefined;
  const models = probDirs.length ? names : [input.model ?? 'model'];
  // The partner that defines a sample: a map of any model (probability mode), else the image (model mode).
  let primary: Map<string, string> | undefined;
  if (probs.length) {
    primary = new Map();
    for (const m of probs) for (const [id, p] of m) if (!primary.has(id)) primary.set(id, p);
  } else primary = images;
  if (!primary) throw new InputError('give a probability folder or an images folder', 'eval');
  const ids = [...primary.keys()].filter((id) => !gts || gts.has(id));
  for (const m of probs.length ? probs : [primary])
    for (const [id, p] of m)
      if (gts && !gts.has(id)) unmatched.push({ path: p, reason: 'no mask with the same stem' });
  if (gts) {
    for (const [id, p] of gts)
      if (!primary.has(id))
        unmatched.push({
          path: p,
          reason: `no ${probs.length ? 'probability map' : 'image'} with the same stem`,
        });
  }
  if (probs.length && images) {
    for (const [id, p] of images)
      if (!primary.has(id)) unmatched.push({ path: p, reason: 'no probability map with the same stem' });
  }
  const items: DatasetItem[] = ids.sort().map((id) => {
    const itemProbs: Record<string, string> = {};
    probs.forEach((m, k) => {
      const p = m.get(id);
      if (p !== undefined) itemProbs[names[k]] = p;
    });
    return {
      id,
      ...(images?.has(id) ? { image: images.get(id) } : {}),
      ...(gts ? { gt: gts.get(id) } : {}),
      probs: itemProbs,
    };
  });
  const root = resolve(input.gt ?? probDirs[0] ?? input.images ?? '.');
  const plan: DatasetPlan = {
    root: dirname(root) === root ? root : dirname(root),
    items,
    unmatched: unmatched.sort(byPath),
    models,
  };
  const candidates = [
    ...(input.gt ? labelsFileCandidates(resolve(input.gt, 'x').split(sep).join('/')) : []),
    ...probDirs.flatMap((d) => labelsFileCandidates(resolve(d, 'x').split(sep).join('/'))),
  ];
  return withLabels(plan, input.labelsFile ?? findLabels(candidates));
}

/** A path relative to the plan root for messages ("masks/a.png"). */
export function planRelative(plan: DatasetPlan, path: string): string {
  const r = relative(plan.root, path);
  return r.startsWith('..') ? path : r.split(sep).join('/');
}
