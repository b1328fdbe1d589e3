/**
 * Pairing (DESIGN.md §3, first version): given the file a user opened, find the other half of the sample — the
 * ground-truth mask of an image, or the image of a mask. Two rules, tried in order:
 *
 *  1. suffixes next to the file: `case1.png` ↔ `case1_mask.png` / `case1_gt.png` / `case1_label.png`;
 *  2. sibling folders with the same stem: `…/images/case1.png` ↔ `…/masks|labels|gt/case1.png`
 *     (a suffixed name in the sibling folder is accepted too).
 *
 * The logic is pure: it sees paths (POSIX, as in `Uri.path`) and a directory-listing callback, so it runs in plain
 * node tests and works for any file system VS Code can reach (local, remote, virtual).
 */
import { posix } from 'node:path';

export interface PairingRules {
  /** Folder names that hold images. @default ["images","imgs","img"] */
  imageFolders: string[];
  /** Sibling folder names that hold masks. @default ["masks","labels","gt"] */
  maskFolders: string[];
  /** Stem suffixes that mark a mask. @default ["_mask","_gt","_label"] */
  maskSuffixes: string[];
}

export const DEFAULT_PAIRING_RULES: Readonly<PairingRules> = Object.freeze({
  imageFolders: ['images', 'imgs', 'img'],
  maskFolders: ['masks', 'labels', 'gt'],
  maskSuffixes: ['_mask', '_gt', '_label'],
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

/** Lists the file names in a directory; undefined when it does not exist or cannot be read. */
export type ListDir = (dir: string) => Promise<string[] | undefined>;

export interface PairingResult {
  /** Path of the image, when known. */
  image?: string;
  /** Path of the ground-truth mask, when known. */
  gt?: string;
  /** Human-readable notes on what was paired and by which rule (shown in the panel). */
  notes: string[];
}

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

/** The first openable file in `names` whose stem is one of `stems` (stems tried in order, then by extension). */
function pick(names: readonly string[], stems: readonly string[], exclude?: string): string | undefined {
  for (const stem of stems) {
    const hits = names
      .filter((n) => n !== exclude && isOpenable(n) && split(n).stem === stem)
      .sort((a, b) => extRank(a) - extRank(b) || (a < b ? -1 : a > b ? 1 : 0));
    if (hits.length > 0) return hits[0];
  }
  return undefined;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The mask suffix a stem ends with, if any (longest first, so "_gt" never shadows a longer suffix). */
function maskSuffixOf(stem: string, rules: PairingRules): string | undefined {
  const sorted = [...rules.maskSuffixes].sort((a, b) => b.length - a.length);
  return sorted.find((s) => stem.length > s.length && stem.toLowerCase().endsWith(s.toLowerCase()));
}

/** Whether the file looks like a mask by its folder or its suffix. */
export function looksLikeMask(path: string, rules: PairingRules = DEFAULT_PAIRING_RULES): boolean {
  const { dir, stem } = split(path);
  const folder = posix.basename(dir);
  return rules.maskFolders.some((f) => sameName(f, folder)) || maskSuffixOf(stem, rules) !== undefined;
}

/** Finds the partner of `path` (its mask if it is an image, its image if it is a mask). */
export async function pairSample(
  path: string,
  rules: PairingRules = DEFAULT_PAIRING_RULES,
  listDir: ListDir,
): Promise<PairingResult> {
  return looksLikeMask(path, rules)
    ? pairFromMask(path, rules, listDir)
    : pairFromImage(path, rules, listDir);
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

async function pairFromImage(path: string, rules: PairingRules, listDir: ListDir): Promise<PairingResult> {
  const { dir, stem } = split(path);
  const base = posix.basename(path);
  const suffixed = rules.maskSuffixes.map((s) => stem + s);

  const here = (await listDir(dir)) ?? [];
  const bySuffix = pick(here, suffixed, base);
  if (bySuffix) {
    return {
      image: path,
      gt: posix.join(dir, bySuffix),
      notes: [`Ground truth ${bySuffix} paired by its suffix.`],
    };
  }
  for (const folder of await siblingFolders(dir, rules.maskFolders, listDir)) {
    const names = (await listDir(folder)) ?? [];
    const hit = pick(names, [stem, ...suffixed]);
    if (hit) {
      const rel = `${posix.basename(folder)}/${hit}`;
      return {
        image: path,
        gt: posix.join(folder, hit),
        notes: [`Ground truth ${rel} paired from the sibling folder.`],
      };
    }
  }
  const looked = [
    ...rules.maskSuffixes.map((s) => `${stem}${s}.*`),
    ...rules.maskFolders.map((f) => `../${f}/${stem}.*`),
  ];
  return { image: path, notes: [`No ground-truth mask found (looked for ${looked.join(', ')}).`] };
}

async function pairFromMask(path: string, rules: PairingRules, listDir: ListDir): Promise<PairingResult> {
  const { dir, stem } = split(path);
  const base = posix.basename(path);
  const suffix = maskSuffixOf(stem, rules);
  const bare = suffix ? stem.slice(0, stem.length - suffix.length) : stem;

  if (suffix) {
    const here = (await listDir(dir)) ?? [];
    const hit = pick(here, [bare], base);
    if (hit)
      return { image: posix.join(dir, hit), gt: path, notes: [`Image ${hit} paired by the mask's suffix.`] };
  }
  for (const folder of await siblingFolders(dir, rules.imageFolders, listDir)) {
    const names = (await listDir(folder)) ?? [];
    const hit = pick(names, bare === stem ? [stem] : [bare, stem]);
    if (hit) {
      const rel = `${posix.basename(folder)}/${hit}`;
      return {
        image: posix.join(folder, hit),
        gt: path,
        notes: [`Image ${rel} paired from the sibling folder.`],
      };
    }
  }
  return { gt: path, notes: [`Opened as a mask; no matching image found for ${base}.`] };
}
