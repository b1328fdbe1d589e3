/**
 * Pairing (DESIGN.md §3, first version): given the file a user opened, find the rest of its sample — the image,
 * its ground-truth mask and its probability map. Two rules, tried in order for each partner:
 *
 *  1. suffixes next to the file: `case1.png` ↔ `case1_mask.png` / `case1_gt.png` / `case1_label.png`, and
 *     `case1_prob.npy` for the probability map;
 *  2. sibling folders with the same stem: `…/images/case1.png` ↔ `…/masks|labels|gt/case1.png` and
 *     `…/probs|probabilities/case1.npy` (a suffixed name in the sibling folder is accepted too).
 *
 * Opening a mask or a probability map first finds its image (by stripping the suffix or in a sibling image
 * folder), then the other partners of that image. The logic is pure: it sees paths (POSIX, as in `Uri.path`) and
 * a directory-listing callback, so it runs in plain node tests and works on any file system VS Code can reach.
 */
import { posix } from 'node:path';

export interface PairingRules {
  /** Folder names that hold images. @default ["images","imgs","img"] */
  imageFolders: string[];
  /** Sibling folder names that hold masks. @default ["masks","labels","gt"] */
  maskFolders: string[];
  /** Stem suffixes that mark a mask. @default ["_mask","_gt","_label"] */
  maskSuffixes: string[];
  /** Sibling folder names that hold probability maps. @default ["probs","probabilities"] */
  probFolders: string[];
  /** Stem suffixes that mark a probability map. @default ["_prob"] */
  probSuffixes: string[];
}

export const DEFAULT_PAIRING_RULES: Readonly<PairingRules> = Object.freeze({
  imageFolders: ['images', 'imgs', 'img'],
  maskFolders: ['masks', 'labels', 'gt'],
  maskSuffixes: ['_mask', '_gt', '_label'],
  probFolders: ['probs', 'probabilities'],
  probSuffixes: ['_prob'],
});

/**
 * Extensions SegLens opens, in the order a partner file is preferred when several share a stem: lossless
 * label-friendly formats first, since a JPEG mask has compression noise in its class indices.
 */
export const OPENABLE_EXTENSIONS = [
  'png',
  'npy',
  'npz',
  'tif',
  'tiff',
  'bmp',
  'webp',
  'jpg',
  'jpeg',
] as const;

/** Probability maps are float arrays: NumPy files or float TIFFs. */
const PROB_EXTENSIONS = ['npy', 'npz', 'tif', 'tiff'];

/** Lists the file names in a directory; undefined when it does not exist or cannot be read. */
export type ListDir = (dir: string) => Promise<string[] | undefined>;

export interface PairingResult {
  image?: string;
  gt?: string;
  prob?: string;
  /** Human-readable notes on what was paired and by which rule (shown in the panel). */
  notes: string[];
}

export type FileRole = 'image' | 'gt' | 'prob';

interface NameParts {
  dir: string;
  stem: string;
  ext: string;
}

function split(path: string): NameParts {
  const base = posix.basename(path);
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  return { dir: posix.dirname(path), stem: dot > 0 ? base.slice(0, dot) : base, ext };
}

export function isOpenable(path: string): boolean {
  return (OPENABLE_EXTENSIONS as readonly string[]).includes(split(path).ext);
}

function extRank(name: string): number {
  const i = (OPENABLE_EXTENSIONS as readonly string[]).indexOf(split(name).ext);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/** The first file in `names` with one of `stems` (tried in order, then by extension) that `accept` allows. */
function pick(
  names: readonly string[],
  stems: readonly string[],
  accept: (name: string) => boolean,
): string | undefined {
  for (const stem of stems) {
    const hits = names
      .filter((n) => accept(n) && split(n).stem === stem)
      .sort((a, b) => extRank(a) - extRank(b) || (a < b ? -1 : a > b ? 1 : 0));
    if (hits.length > 0) return hits[0];
  }
  return undefined;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The suffix a stem ends with, if any (longest first, so a short suffix never shadows a longer one). */
function suffixOf(stem: string, suffixes: readonly string[]): string | undefined {
  const sorted = [...suffixes].sort((a, b) => b.length - a.length);
  return sorted.find((s) => stem.length > s.length && stem.toLowerCase().endsWith(s.toLowerCase()));
}

/** What a file is by its folder and suffix: a probability map, a mask, or (otherwise) an image. */
export function roleOf(path: string, rules: PairingRules = DEFAULT_PAIRING_RULES): FileRole {
  const { dir, stem } = split(path);
  const folder = posix.basename(dir);
  if (rules.probFolders.some((f) => sameName(f, folder)) || suffixOf(stem, rules.probSuffixes)) return 'prob';
  if (rules.maskFolders.some((f) => sameName(f, folder)) || suffixOf(stem, rules.maskSuffixes)) return 'gt';
  return 'image';
}

/** Whether the file looks like a mask by its folder or its suffix. */
export function looksLikeMask(path: string, rules: PairingRules = DEFAULT_PAIRING_RULES): boolean {
  return roleOf(path, rules) === 'gt';
}

async function siblingFolders(dir: string, wanted: readonly string[], listDir: ListDir): Promise<string[]> {
  // Sibling folders are matched case-insensitively (Masks/ and masks/ both count), in the order of the rules.
  const parent = posix.dirname(dir);
  if (parent === dir) return [];
  const entries = (await listDir(parent)) ?? [];
  const self = posix.basename(dir);
  const out: string[] = [];
  for (const w of wanted) {
    for (const e of entries) if (sameName(e, w) && e !== self && !out.includes(e)) out.push(e);
  }
  return out.map((e) => posix.join(parent, e));
}

const ROLE_NAMES: Record<FileRole, string> = { image: 'Image', gt: 'Ground truth', prob: 'Probability map' };

/** Finds the partner of role `role` for the image at `image`: suffix next to it, then sibling folders. */
async function findPartner(
  image: string,
  role: 'gt' | 'prob',
  rules: PairingRules,
  listDir: ListDir,
): Promise<{ path?: string; note: string }> {
  const { dir, stem } = split(image);
  const suffixes = role === 'gt' ? rules.maskSuffixes : rules.probSuffixes;
  const folders = role === 'gt' ? rules.maskFolders : rules.probFolders;
  const accept = (n: string) => isOpenable(n) && (role === 'gt' || PROB_EXTENSIONS.includes(split(n).ext));
  const suffixed = suffixes.map((s) => stem + s);
  const here = (await listDir(dir)) ?? [];
  const bySuffix = pick(here, suffixed, (n) => n !== posix.basename(image) && accept(n));
  if (bySuffix)
    return { path: posix.join(dir, bySuffix), note: `${ROLE_NAMES[role]} ${bySuffix} paired by its suffix.` };
  for (const folder of await siblingFolders(dir, folders, listDir)) {
    const hit = pick((await listDir(folder)) ?? [], [stem, ...suffixed], accept);
    if (hit) {
      const rel = `${posix.basename(folder)}/${hit}`;
      return {
        path: posix.join(folder, hit),
        note: `${ROLE_NAMES[role]} ${rel} paired from the sibling folder.`,
      };
    }
  }
  const looked = [...suffixes.map((s) => `${stem}${s}.*`), ...folders.map((f) => `../${f}/${stem}.*`)];
  return { note: `No ${ROLE_NAMES[role].toLowerCase()} found (looked for ${looked.join(', ')}).` };
}

/** Finds the image of a mask or probability map: strip its suffix in the same folder, or a sibling image folder. */
async function findImage(path: string, role: 'gt' | 'prob', rules: PairingRules, listDir: ListDir) {
  const { dir, stem } = split(path);
  const base = posix.basename(path);
  const suffix = suffixOf(stem, role === 'gt' ? rules.maskSuffixes : rules.probSuffixes);
  const bare = suffix ? stem.slice(0, stem.length - suffix.length) : stem;
  // An image is never a file that is itself marked as a mask or a probability map.
  const accept = (n: string) => n !== base && isOpenable(n) && roleOf(posix.join(dir, n), rules) !== role;
  if (suffix) {
    const hit = pick((await listDir(dir)) ?? [], [bare], accept);
    if (hit) return { path: posix.join(dir, hit), note: `Image ${hit} paired by the file's suffix.` };
  }
  for (const folder of await siblingFolders(dir, rules.imageFolders, listDir)) {
    const hit = pick((await listDir(folder)) ?? [], bare === stem ? [stem] : [bare, stem], (n) =>
      isOpenable(n),
    );
    if (hit) {
      const rel = `${posix.basename(folder)}/${hit}`;
      return { path: posix.join(folder, hit), note: `Image ${rel} paired from the sibling folder.` };
    }
  }
  return { note: `No matching image found for ${base}.` };
}

/** Finds the sample of the opened file: its image and that image's mask and probability map. */
export async function pairSample(
  path: string,
  rules: PairingRules = DEFAULT_PAIRING_RULES,
  listDir: ListDir,
): Promise<PairingResult> {
  const role = roleOf(path, rules);
  const result: PairingResult = { notes: [] };
  if (role === 'image') {
    result.image = path;
  } else {
    result[role] = path;
    const image = await findImage(path, role, rules, listDir);
    result.notes.push(image.note);
    result.image = image.path;
  }
  if (!result.image) return result;
  for (const partner of ['gt', 'prob'] as const) {
    if (result[partner]) continue;
    const found = await findPartner(result.image, partner, rules, listDir);
    result[partner] = found.path;
    // A missing probability map is normal (most users start with image + mask); only say so for masks.
    if (found.path || partner === 'gt') result.notes.push(found.note);
  }
  return result;
}

/**
 * Assigns roles to files picked together (a multi-selection or the open dialog): each takes the role its folder
 * or suffix gives it; unmarked files fill the image slot first, then the mask slot, which is the order the
 * dialog's title names them. Files left over are returned as ignored.
 */
export function assignRoles(
  paths: readonly string[],
  rules: PairingRules = DEFAULT_PAIRING_RULES,
): { image?: string; gt?: string; prob?: string; ignored: string[] } {
  const out: { image?: string; gt?: string; prob?: string; ignored: string[] } = { ignored: [] };
  // Files marked as masks or probability maps claim their slots first, so an unmarked second image never takes
  // the mask slot from a real mask that comes later in the list.
  const unmarked: string[] = [];
  for (const p of paths) {
    const role = roleOf(p, rules);
    if (role === 'image') unmarked.push(p);
    else if (!out[role]) out[role] = p;
    else out.ignored.push(p);
  }
  for (const p of unmarked) {
    if (!out.image) out.image = p;
    else if (!out.gt) out.gt = p;
    else out.ignored.push(p);
  }
  return out;
}
