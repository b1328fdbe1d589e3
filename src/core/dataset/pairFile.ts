/**
 * Pairing from one opened file (docs/architecture.md §3): given the file a user opened, find the rest of its sample — the
 * image, its ground-truth mask, and every probability map and prediction made for it. Two rules, tried in order
 * for each partner:
 *
 *  1. suffixes next to the file: `case1.png` ↔ `case1_mask.png` / `case1_gt.png` / `case1_label.png`,
 *     `case1_prob.npy`, `case1_pred.png`;
 *  2. sibling folders with the same stem: `…/images/case1.png` ↔ `…/masks|labels|gt/case1.png`,
 *     `…/probs|probabilities/case1.npy` and `…/preds/case1.png` (a suffixed name in the sibling folder is
 *     accepted too). Probability and prediction folders may also hold one sub-folder per model
 *     (`…/probs/unet_bce/case1.npy`); each model is a candidate.
 *
 * Opening a mask, a probability map or a prediction first finds its image (by stripping the suffix or in a
 * sibling image folder), then the other partners of that image. The walk is pure: it sees POSIX paths (as in
 * `Uri.path`) and a directory-listing callback, so it runs in plain node tests, and the extension supplies the
 * workspace file system (remote and virtual folders included).
 */
import { isSegLensExport } from './exports';
import { basename, dirname, join, sameName, splitName } from './paths';
import {
  DEFAULT_PAIRING_RULES,
  ModelRole,
  OPENABLE_EXTENSIONS,
  PairingRules,
  SampleRole,
  acceptsExtension,
  isFolderOf,
  isOpenable,
  isRoleFolder,
  modelFolderOf,
  roleOf,
  roleRules,
  suffixOf,
} from './roles';

/** Lists the entry names (files and folders) of a directory; undefined when it does not exist or is unreadable. */
export type ListDir = (dir: string) => Promise<string[] | undefined>;

/** The same listing without SegLens's exports and export folders (see exports.ts). */
export function withoutExports(listDir: ListDir): ListDir {
  return async (dir) => (await listDir(dir))?.filter((name) => !isSegLensExport(name));
}

/** One probability map or prediction found for an image. */
export interface PairCandidate {
  path: string;
  /**
   * What the panel calls it: the model folder name for `probs/<model>/…`, otherwise the file's name relative to
   * the image's parent folder (`probs/a.npy`) or, next to the image, its file name (`a_prob.npy`).
   */
  label: string;
  /** The model folder name, for files in `probs/<model>/` or `preds/<model>/`. */
  model?: string;
}

export interface FilePairing {
  image?: string;
  gt?: string;
  /** The probability map shown: the opened one, or else the first of `probCandidates`. */
  prob?: string;
  /** The prediction shown: the opened one, or else the first of `predCandidates`. */
  pred?: string;
  /** Every probability map of the image: flat files first (suffix, then folders), then model folders A→Z. */
  probCandidates: PairCandidate[];
  /** Every prediction of the image, in the same order as `probCandidates`. */
  predCandidates: PairCandidate[];
  /** Human-readable notes on what was paired and by which rule (shown in the panel). */
  notes: string[];
}

const ROLE_NAMES: Record<SampleRole, string> = {
  image: 'Image',
  gt: 'Ground truth',
  prob: 'Probability map',
  pred: 'Prediction',
};

const ROLE_PLURALS: Record<ModelRole, string> = { prob: 'Probability maps', pred: 'Predictions' };

function extRank(name: string): number {
  const i = (OPENABLE_EXTENSIONS as readonly string[]).indexOf(splitName(name).ext);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first file in `names` with one of `stems` (tried in order, then by extension) that `accept` allows. */
function pick(
  names: readonly string[],
  stems: readonly string[],
  accept: (name: string) => boolean,
): string | undefined {
  for (const stem of stems) {
    const hits = names
      .filter((n) => accept(n) && splitName(n).stem === stem)
      .sort((a, b) => extRank(a) - extRank(b) || byCodePoint(a, b));
    if (hits.length > 0) return hits[0];
  }
  return undefined;
}

/** Folders next to `dir` whose names are in `wanted`, matched case-insensitively, in the order of the rules. */
async function siblingFolders(dir: string, wanted: readonly string[], listDir: ListDir): Promise<string[]> {
  const parent = dirname(dir);
  if (parent === dir) return [];
  const entries = (await listDir(parent)) ?? [];
  const self = basename(dir);
  const out: string[] = [];
  for (const w of wanted) {
    for (const e of entries) if (sameName(e, w) && e !== self && !out.includes(e)) out.push(e);
  }
  return out.map((e) => join(parent, e));
}

/**
 * Model sub-folders of a probability or prediction folder, alphabetically. Entries named like openable files
 * are skipped without listing them, so a flat folder of thousands of maps costs one listing, not thousands.
 */
async function modelFolders(
  folder: string,
  entries: readonly string[],
  rules: PairingRules,
  listDir: ListDir,
) {
  const names = entries
    .filter((e) => !e.startsWith('.') && !isOpenable(e) && !isRoleFolder(e, rules))
    .sort((a, b) => byCodePoint(a.toLowerCase(), b.toLowerCase()) || byCodePoint(a, b));
  // Listed together: on a remote file system each listing is a round trip.
  const lists = await Promise.all(names.map((model) => listDir(join(folder, model))));
  const out: { model: string; entries: string[] }[] = [];
  names.forEach((model, i) => {
    const inner = lists[i];
    if (inner) out.push({ model, entries: inner });
  });
  return out;
}

/** The ground-truth mask of an image: suffix next to it, then sibling mask folders; the first hit wins. */
async function findMask(
  image: string,
  rules: PairingRules,
  listDir: ListDir,
): Promise<{ path?: string; note: string }> {
  const { dir, stem } = splitName(image);
  const { folders, suffixes } = roleRules('gt', rules);
  const suffixed = suffixes.map((s) => stem + s);
  const bySuffix = pick((await listDir(dir)) ?? [], suffixed, (n) => n !== basename(image) && isOpenable(n));
  if (bySuffix) return { path: join(dir, bySuffix), note: `Ground truth ${bySuffix} paired by its suffix.` };
  for (const folder of await siblingFolders(dir, folders, listDir)) {
    const hit = pick((await listDir(folder)) ?? [], [stem, ...suffixed], isOpenable);
    if (hit) {
      const rel = `${basename(folder)}/${hit}`;
      return { path: join(folder, hit), note: `Ground truth ${rel} paired from the sibling folder.` };
    }
  }
  const looked = [...suffixes.map((s) => `${stem}${s}.*`), ...folders.map((f) => `../${f}/${stem}.*`)];
  return { note: `No ground truth found (looked for ${looked.join(', ')}).` };
}

/** Every probability map (or prediction) of an image, in the documented order. */
async function findCandidates(
  image: string,
  role: ModelRole,
  rules: PairingRules,
  listDir: ListDir,
): Promise<PairCandidate[]> {
  const { dir, stem } = splitName(image);
  const { folders, suffixes } = roleRules(role, rules);
  const accept = (n: string) => acceptsExtension(role, n);
  const stems = [stem, ...suffixes.map((s) => stem + s)];
  const flat: PairCandidate[] = [];
  const models: PairCandidate[] = [];
  const bySuffix = pick(
    (await listDir(dir)) ?? [],
    stems.slice(1),
    (n) => n !== basename(image) && accept(n),
  );
  if (bySuffix) flat.push({ path: join(dir, bySuffix), label: bySuffix });
  for (const folder of await siblingFolders(dir, folders, listDir)) {
    const entries = (await listDir(folder)) ?? [];
    const hit = pick(entries, stems, accept);
    if (hit) flat.push({ path: join(folder, hit), label: `${basename(folder)}/${hit}` });
    for (const m of await modelFolders(folder, entries, rules, listDir)) {
      const inModel = pick(m.entries, stems, accept);
      if (inModel)
        models.push({ path: join(join(folder, m.model), inModel), label: m.model, model: m.model });
    }
  }
  // Two role folders (probs/ and probabilities/) may both have models: keep one alphabetical list of models.
  models.sort(
    (a, b) => byCodePoint(a.label.toLowerCase(), b.label.toLowerCase()) || byCodePoint(a.label, b.label),
  );
  return [...flat, ...models];
}

/** Says how a candidate was found, for the panel's notes. */
function candidateNote(role: ModelRole, c: PairCandidate, image: string): string {
  const name = ROLE_NAMES[role];
  if (c.model !== undefined)
    return `${name} ${c.model}/${basename(c.path)} paired from the model folder ${c.model}.`;
  if (dirname(c.path) === dirname(image)) return `${name} ${c.label} paired by its suffix.`;
  return `${name} ${c.label} paired from the sibling folder.`;
}

/** The label of a file the user opened directly, when the walk did not find it among the candidates. */
function openedCandidate(path: string, role: ModelRole, rules: PairingRules): PairCandidate {
  const model = modelFolderOf(path, role, rules);
  return model !== undefined ? { path, label: model, model } : { path, label: basename(path) };
}

/**
 * The image of a mask, probability map or prediction: strip its suffix in the same folder, or look in a sibling
 * image folder. A file in a model folder (`probs/unet/a.npy`) looks next to its role folder (`probs/`).
 */
async function findImage(
  path: string,
  role: Exclude<SampleRole, 'image'>,
  rules: PairingRules,
  listDir: ListDir,
): Promise<{ path?: string; note: string }> {
  const { dir, stem } = splitName(path);
  const base = basename(path);
  const suffix = suffixOf(stem, roleRules(role, rules).suffixes);
  const bare = suffix ? stem.slice(0, stem.length - suffix.length) : stem;
  // An image is never a file that is itself marked as a mask, a probability map or a prediction.
  const accept = (n: string) => n !== base && isOpenable(n) && roleOf(join(dir, n), rules) === 'image';
  if (suffix) {
    const hit = pick((await listDir(dir)) ?? [], [bare], accept);
    if (hit) return { path: join(dir, hit), note: `Image ${hit} paired by the file's suffix.` };
  }
  const inModel =
    role !== 'gt' &&
    !isFolderOf(basename(dir), roleRules(role, rules).folders) &&
    modelFolderOf(path, role, rules) !== undefined;
  const walkFrom = inModel ? dirname(dir) : dir;
  for (const folder of await siblingFolders(walkFrom, rules.imageFolders, listDir)) {
    const hit = pick((await listDir(folder)) ?? [], bare === stem ? [stem] : [bare, stem], isOpenable);
    if (hit) {
      const rel = `${basename(folder)}/${hit}`;
      return { path: join(folder, hit), note: `Image ${rel} paired from the sibling folder.` };
    }
  }
  return { note: `No matching image found for ${base}.` };
}

/**
 * Finds the sample of the opened file: its image, that image's mask, and all its probability maps and
 * predictions (the opened file keeps its role and is the one shown).
 */
export async function pairFile(
  path: string,
  rules: PairingRules = DEFAULT_PAIRING_RULES,
  listDir: ListDir,
): Promise<FilePairing> {
  // SegLens's own exports (and their folder) are never a partner: an exported mask is not ground truth.
  listDir = withoutExports(listDir);
  const role = roleOf(path, rules);
  const result: FilePairing = { notes: [], probCandidates: [], predCandidates: [] };
  if (role === 'image') {
    result.image = path;
  } else {
    result[role] = path;
    const image = await findImage(path, role, rules, listDir);
    result.notes.push(image.note);
    result.image = image.path;
  }
  const image = result.image;
  if (!image) {
    if (role === 'prob' || role === 'pred')
      result[`${role}Candidates`] = [openedCandidate(path, role, rules)];
    return result;
  }
  if (!result.gt) {
    const mask = await findMask(image, rules, listDir);
    result.gt = mask.path;
    result.notes.push(mask.note);
  }
  for (const partner of ['prob', 'pred'] as const) {
    const candidates = await findCandidates(image, partner, rules, listDir);
    const opened = result[partner];
    if (opened !== undefined && !candidates.some((c) => c.path === opened))
      candidates.unshift(openedCandidate(opened, partner, rules));
    result[`${partner}Candidates`] = candidates;
    if (opened === undefined && candidates.length > 0) {
      result[partner] = candidates[0].path;
      result.notes.push(candidateNote(partner, candidates[0], image));
    }
    // A missing probability map or prediction is normal (most users start with image + mask): no note for it.
    if (candidates.length > 1) {
      const shown = candidates.find((c) => c.path === result[partner]) ?? candidates[0];
      result.notes.push(
        `${ROLE_PLURALS[partner]} found: ${candidates.map((c) => c.label).join(', ')} (showing ${shown.label}).`,
      );
    }
  }
  return result;
}
