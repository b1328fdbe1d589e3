/**
 * Which opened volume is the image, the ground truth, the prediction or the probability volume: by name (and the
 * nnU-Net / Decathlon folders `imagesTr`, `labelsTr`), and for a single clicked file, which of its folder's other
 * volumes complete the set. Pure (no vscode), so it is unit-tested in plain node; the panel lists the folder.
 */
import type { VolumeRole } from '../../node/volume/volumeSet';

/** Volume file endings (longest first, so ".seg.nrrd" wins over ".nrrd"). */
export const VOLUME_ENDINGS = ['.seg.nrrd', '.nii.gz', '.nrrd', '.nhdr', '.nii', '.mha', '.mhd'] as const;

/** The ending of a volume file name (lower case), or undefined when the name is not a volume's. */
export function volumeEnding(name: string): string | undefined {
  const lower = name.toLowerCase();
  return VOLUME_ENDINGS.find((e) => lower.endsWith(e));
}

const WORD = (words: string) => new RegExp(`(^|[^a-z])(${words})([^a-z]|$)`);
const PROB = WORD('prob|probs|proba|probability|probabilities|softmax|sigmoid|heatmap');
const PRED = WORD('pred|preds|prediction|predictions|predicted|output|inference');
const GT = WORD('gt|label|labels|mask|masks|seg|segmentation|truth|ground|annotation|reference|ref');

/** The role a file's name (and folder) suggests; "image" when nothing else matches. */
export function volumeRoleOfName(path: string): VolumeRole {
  const parts = path.split(/[\\/]/);
  const name = parts[parts.length - 1];
  const folder = (parts[parts.length - 2] ?? '').toLowerCase();
  const ending = volumeEnding(name) ?? '';
  const stem = name.slice(0, name.length - ending.length).toLowerCase();
  if (PROB.test(stem)) return 'prob';
  if (PRED.test(stem)) return 'pred';
  if (GT.test(stem) || /^labels/.test(folder)) return 'gt';
  // A Slicer segmentation file is a label map whatever its name says.
  if (ending === '.seg.nrrd') return 'gt';
  return 'image';
}

export interface AssignedVolumes {
  files: Partial<Record<VolumeRole, string>>;
  /** What was decided, for the panel's notes (e.g. a second file of a role left out). */
  notes: string[];
}

const baseName = (p: string) => p.replace(/^.*[\\/]/, '');

/** The format a volume ending belongs to (a NIfTI GT prefers a NIfTI prediction, an NRRD one an NRRD one). */
function family(ending: string | undefined): string | undefined {
  if (ending === '.nii' || ending === '.nii.gz') return 'nifti';
  if (ending === '.nrrd' || ending === '.seg.nrrd' || ending === '.nhdr') return 'nrrd';
  if (ending === '.mha' || ending === '.mhd') return 'metaimage';
  return undefined;
}

/** Roles for files the user chose together (a multi-selection or a dialog): one file per role, first wins. */
export function assignVolumeRoles(paths: readonly string[]): AssignedVolumes {
  const files: Partial<Record<VolumeRole, string>> = {};
  const notes: string[] = [];
  for (const p of paths) {
    const role = volumeRoleOfName(p);
    if (files[role] === undefined) files[role] = p;
    else notes.push(`${baseName(p)} left out: ${baseName(files[role])} is already the ${role}`);
  }
  return { files, notes };
}

/**
 * The set of a single clicked volume: the clicked file in its role, and for every other role the best of its
 * folder's volumes with that role — the same format as the clicked file first, then the shortest name (so
 * `pred.nii.gz` wins over `pred_origin.nii.gz`). `siblings` are the folder's file names.
 */
export function completeFromFolder(clicked: string, siblings: readonly string[]): AssignedVolumes {
  const dir = clicked.slice(0, clicked.length - baseName(clicked).length);
  const fam = family(volumeEnding(clicked));
  const files: Partial<Record<VolumeRole, string>> = { [volumeRoleOfName(clicked)]: clicked };
  const notes: string[] = [];
  const byRole = new Map<VolumeRole, string[]>();
  for (const name of siblings) {
    if (name === baseName(clicked) || !volumeEnding(name) || name.startsWith('._')) continue;
    // A detached data file's header (.mhd/.nhdr) is the volume; the .raw/.zraw never has a volume ending.
    const role = volumeRoleOfName(dir + name);
    if (files[role] !== undefined) continue;
    byRole.set(role, [...(byRole.get(role) ?? []), name]);
  }
  for (const [role, names] of byRole) {
    names.sort(
      (a, b) =>
        Number(family(volumeEnding(b)) === fam) - Number(family(volumeEnding(a)) === fam) ||
        a.length - b.length ||
        (a < b ? -1 : a > b ? 1 : 0),
    );
    files[role] = dir + names[0];
    if (names.length > 1)
      notes.push(`${role}: ${names[0]} chosen from ${names.length} candidates in the folder`);
  }
  return { files, notes };
}
