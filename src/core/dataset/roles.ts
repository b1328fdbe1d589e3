/**
 * The pairing rules of docs/architecture.md §3 — which folder names and file-name suffixes mark an image, a ground-truth
 * mask, a probability map or a prediction — and the classification of one path by them. Both pairing
 * algorithms read these rules: the folder walk from an opened file (pairFile.ts) and the batch grouping of a
 * path list (pairing.ts, whose default glob patterns are derived from them).
 */
import { VOLUME_NAME_ENDINGS } from './nnunet';
import { basename, dirname, sameName, splitName } from './paths';

export type SampleRole = 'image' | 'gt' | 'prob' | 'pred';
export const SAMPLE_ROLES: readonly SampleRole[] = ['image', 'gt', 'prob', 'pred'];

export interface PairingRules {
  /** Folder names that hold images. @default ["images","imgs","img","image"] */
  imageFolders: string[];
  /** Sibling folder names that hold masks. @default ["masks","labels","gt","mask","label"] */
  maskFolders: string[];
  /** Stem suffixes that mark a mask. @default ["_mask","_gt","_label"] */
  maskSuffixes: string[];
  /**
   * Sibling folder names that hold probability maps, either flat (`probs/a.npy`) or one folder per model
   * (`probs/unet/a.npy`). @default ["probs","probabilities","prob"]
   */
  probFolders: string[];
  /** Stem suffixes that mark a probability map. @default ["_prob","_probs"] */
  probSuffixes: string[];
  /**
   * Sibling folder names that hold predicted masks, flat or one folder per model. Optional so that rules read
   * from older settings stay valid. @default ["preds","predictions","pred"]
   */
  predFolders?: string[];
  /** Stem suffixes that mark a predicted mask. @default ["_pred"] */
  predSuffixes?: string[];
}

export const DEFAULT_PAIRING_RULES: Readonly<Required<PairingRules>> = Object.freeze({
  imageFolders: ['images', 'imgs', 'img', 'image'],
  maskFolders: ['masks', 'labels', 'gt', 'mask', 'label'],
  maskSuffixes: ['_mask', '_gt', '_label'],
  probFolders: ['probs', 'probabilities', 'prob'],
  probSuffixes: ['_prob', '_probs'],
  predFolders: ['preds', 'predictions', 'pred'],
  predSuffixes: ['_pred'],
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

/**
 * Volume endings as pairing extensions ("nii.gz", "seg.nrrd", …): a pattern's lazy stem takes the longest ending
 * that matches, so "case_01.nii.gz" pairs as "case_01" (docs/volumes.md).
 */
const VOLUME_EXTENSIONS: readonly string[] = VOLUME_NAME_ENDINGS.map((e) => e.slice(1));

/** Probability maps are float arrays: NumPy files, float TIFFs, or probability volumes. */
export const PROB_EXTENSIONS: readonly string[] = ['npy', 'npz', 'tif', 'tiff', ...VOLUME_EXTENSIONS];

/** Masks (ground truth and predictions) must keep exact class indices, so lossy formats are left out. */
export const MASK_EXTENSIONS: readonly string[] = ['png', 'tif', 'tiff', 'npy', 'npz', ...VOLUME_EXTENSIONS];

export function isOpenable(path: string): boolean {
  return (OPENABLE_EXTENSIONS as readonly string[]).includes(splitName(path).ext);
}

/** Whether a file of this name can hold the role's data (a probability map must be a float format). */
export function acceptsExtension(role: SampleRole, path: string): boolean {
  return role === 'prob' ? PROB_EXTENSIONS.includes(splitName(path).ext) : isOpenable(path);
}

/** The folder names and suffixes of one role (images have no suffix). */
export function roleRules(role: SampleRole, rules: PairingRules): { folders: string[]; suffixes: string[] } {
  switch (role) {
    case 'image':
      return { folders: rules.imageFolders, suffixes: [] };
    case 'gt':
      return { folders: rules.maskFolders, suffixes: rules.maskSuffixes };
    case 'prob':
      return { folders: rules.probFolders, suffixes: rules.probSuffixes };
    case 'pred':
      return {
        folders: rules.predFolders ?? DEFAULT_PAIRING_RULES.predFolders,
        suffixes: rules.predSuffixes ?? DEFAULT_PAIRING_RULES.predSuffixes,
      };
  }
}

export function isFolderOf(folder: string, names: readonly string[]): boolean {
  return names.some((n) => sameName(n, folder));
}

/** Whether a folder name is one of the role folders (images/, masks/, probs/, preds/ and their synonyms). */
export function isRoleFolder(name: string, rules: PairingRules = DEFAULT_PAIRING_RULES): boolean {
  return SAMPLE_ROLES.some((role) => isFolderOf(name, roleRules(role, rules).folders));
}

/** The suffix a stem ends with, if any (longest first, so a short suffix never shadows a longer one). */
export function suffixOf(stem: string, suffixes: readonly string[]): string | undefined {
  const sorted = [...suffixes].sort((a, b) => b.length - a.length);
  return sorted.find((s) => stem.length > s.length && stem.toLowerCase().endsWith(s.toLowerCase()));
}

/** Roles that may keep one sub-folder per model inside their folder (`probs/<model>/a.npy`). */
export const MODEL_ROLES = ['prob', 'pred'] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/**
 * The model folder a file sits in, when its folder's parent is a folder of a model role
 * (`…/probs/unet_bce/a.npy` → "unet_bce"), and its extension fits that role.
 */
export function modelFolderOf(
  path: string,
  role: ModelRole,
  rules: PairingRules = DEFAULT_PAIRING_RULES,
): string | undefined {
  const dir = dirname(path);
  const model = basename(dir);
  const parent = basename(dirname(dir));
  if (dirname(dir) === dir || !isFolderOf(parent, roleRules(role, rules).folders)) return undefined;
  // `…/preds/images/a.png` is a project folder named "preds" holding an images/ folder, not a model called
  // "images": a folder that names a role is never a model.
  if (isRoleFolder(model, rules)) return undefined;
  return acceptsExtension(role, path) ? model : undefined;
}

/**
 * What a file is by its folder, its model folder or its suffix. Probability maps are checked first, then masks,
 * then predictions; anything else is an image.
 */
export function roleOf(path: string, rules: PairingRules = DEFAULT_PAIRING_RULES): SampleRole {
  const { dir, stem } = splitName(path);
  const folder = basename(dir);
  for (const role of ['prob', 'gt', 'pred'] as const) {
    const { folders, suffixes } = roleRules(role, rules);
    if (isFolderOf(folder, folders) || suffixOf(stem, suffixes)) return role;
    if (role !== 'gt' && modelFolderOf(path, role, rules) !== undefined) return role;
  }
  return 'image';
}

/** Whether the file looks like a mask by its folder or its suffix. */
export function looksLikeMask(path: string, rules: PairingRules = DEFAULT_PAIRING_RULES): boolean {
  return roleOf(path, rules) === 'gt';
}

/** Files picked together, one per role, and the ones left over. */
export interface AssignedRoles {
  image?: string;
  gt?: string;
  prob?: string;
  pred?: string;
  ignored: string[];
}

/**
 * Assigns roles to files picked together (a multi-selection or the open dialog): each takes the role its folder
 * or suffix gives it; unmarked files fill the image slot first, then the mask slot, which is the order the
 * dialog's title names them. Files left over are returned as ignored.
 */
export function assignRoles(
  paths: readonly string[],
  rules: PairingRules = DEFAULT_PAIRING_RULES,
): AssignedRoles {
  const out: AssignedRoles = { ignored: [] };
  // Files marked as masks, probability maps or predictions claim their slots first, so an unmarked second image
  // never takes the mask slot from a real mask that comes later in the list.
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
