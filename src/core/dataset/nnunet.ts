/**
 * The Medical Segmentation Decathlon / nnU-Net folder layouts, as a pure function over a list of paths:
 *
 * - raw data: `imagesTr/CASE_0000.nii.gz` (one file per input channel, a 4-digit channel id) ↔
 *   `labelsTr/CASE.nii.gz`; the same for `imagesTs` / `labelsTs`. The Decathlon's own archives hold one 4-D file
 *   per case without the channel id (`imagesTr/CASE.nii.gz`), which pairs the same way;
 * - prediction folders (nnU-Net's `predict -o OUT --save_probabilities`): `CASE.nii.gz` (the segmentation) next to
 *   `CASE.npz` (`probabilities`, shape [C, z, y, x]: nnU-Net reads with SimpleITK, whose arrays are [z, y, x], the
 *   same order as SegLens's C-order [C, k, j, i]). The .npz has no geometry of its own: it is on the grid of the
 *   matching NIfTI (docs/volumes.md).
 *
 * Files whose names start with "._" (macOS resource forks, found in the Decathlon's tar archives) are skipped.
 */

/** File name endings of volumes, longest first so `x.seg.nrrd` is not read as `x.seg` + `nrrd`. */
export const VOLUME_NAME_ENDINGS = [
  '.nii.gz',
  '.seg.nrrd',
  '.nii',
  '.nrrd',
  '.nhdr',
  '.mha',
  '.mhd',
] as const;

const IMAGE_FOLDERS = ['imagesTr', 'imagesTs'] as const;
const LABEL_FOLDER: Record<(typeof IMAGE_FOLDERS)[number], string> = {
  imagesTr: 'labelsTr',
  imagesTs: 'labelsTs',
};

/** The stem and ending of a volume file name, or undefined when the name is not a volume's. */
export function splitVolumeName(name: string): { stem: string; ending: string } | undefined {
  const lower = name.toLowerCase();
  const ending = VOLUME_NAME_ENDINGS.find((e) => lower.endsWith(e) && name.length > e.length);
  return ending ? { stem: name.slice(0, name.length - ending.length), ending } : undefined;
}

export interface NnUnetCase {
  /** The case identifier (file stem without the channel id), prefixed by the split ("imagesTr/…" → "Tr/…"). */
  id: string;
  /** Input channels in channel-id order (`_0000`, `_0001`, …); one 4-D file for the Decathlon layout. */
  images: string[];
  /** The label map (labelsTr/CASE.*), when present. */
  gt?: string;
}

export interface NnUnetPrediction {
  id: string;
  /** The segmentation (CASE.nii.gz or another volume format). */
  pred: string;
  /** The probabilities (CASE.npz, array `probabilities` [C, z, y, x]), when saved. */
  prob?: string;
}

export interface NnUnetLayout {
  cases: NnUnetCase[];
  /** Labels without images (and the reverse) are listed here with the reason, never dropped silently. */
  unmatched: { path: string; reason: string }[];
}

const parts = (p: string): { dir: string; name: string } => {
  const path = p.replace(/\\/g, '/');
  const slash = path.lastIndexOf('/');
  return { dir: slash < 0 ? '' : path.slice(0, slash), name: path.slice(slash + 1) };
};
const lastFolder = (dir: string): string => dir.slice(dir.lastIndexOf('/') + 1);
const parentOf = (dir: string): string => (dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '');

/**
 * The cases of an MSD / nnU-Net raw dataset among the paths, or undefined when no `imagesTr` / `imagesTs` folder
 * holds volumes. Labels are looked up in the sibling `labelsTr` / `labelsTs` folder of the images folder.
 */
export function pairNnUnetRaw(paths: readonly string[]): NnUnetLayout | undefined {
  const cases = new Map<string, NnUnetCase & { channels: Map<number, string> }>();
  const labels = new Map<string, string>();
  const unmatched: NnUnetLayout['unmatched'] = [];
  for (const p of [...paths].sort()) {
    const { dir, name } = parts(p);
    if (name.startsWith('._')) {
      unmatched.push({ path: p, reason: 'macOS resource fork ("._" file), not a volume' });
      continue;
    }
    const split = splitVolumeName(name);
    const folder = lastFolder(dir);
    if (!split) continue;
    if ((IMAGE_FOLDERS as readonly string[]).includes(folder)) {
      const m = /^(.*)_(\d{4})$/.exec(split.stem);
      const caseName = m ? m[1] : split.stem;
      const channel = m ? Number(m[2]) : 0;
      const key = `${parentOf(dir)}|${folder}|${caseName}`;
      let c = cases.get(key);
      if (!c) {
        c = { id: `${folder.slice(6)}/${caseName}`, images: [], channels: new Map() };
        cases.set(key, c);
      }
      if (c.channels.has(channel)) {
        unmatched.push({ path: p, reason: `a second file for channel ${channel} of case ${caseName}` });
      } else c.channels.set(channel, p);
    } else if (folder === 'labelsTr' || folder === 'labelsTs') {
      labels.set(`${parentOf(dir)}|${folder}|${split.stem}`, p);
    }
  }
  if (cases.size === 0) return undefined;
  const used = new Set<string>();
  const out: NnUnetCase[] = [];
  for (const [key, c] of cases) {
    const [root, folder, caseName] = key.split('|');
    const labelKey = `${root}|${LABEL_FOLDER[folder as (typeof IMAGE_FOLDERS)[number]]}|${caseName}`;
    const gt = labels.get(labelKey);
    if (gt) used.add(labelKey);
    const ids = [...c.channels.keys()].sort((a, b) => a - b);
    const gap = ids.findIndex((id, i) => id !== i);
    if (gap >= 0) {
      unmatched.push({
        path: c.channels.get(ids[gap]) as string,
        reason: `case ${caseName}: channel ids must run 0000, 0001, … without gaps (found ${ids.join(', ')})`,
      });
    }
    out.push({ id: c.id, images: ids.map((i) => c.channels.get(i) as string), ...(gt ? { gt } : {}) });
  }
  for (const [key, path] of labels) {
    if (!used.has(key)) unmatched.push({ path, reason: 'a label map without images of the same case' });
  }
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { cases: out, unmatched };
}

/**
 * The predictions of an nnU-Net output folder: every volume `CASE.*` with its `CASE.npz` when present. An .npz
 * without a segmentation next to it is listed as unmatched (its geometry would be unknown).
 */
export function pairNnUnetPredictions(paths: readonly string[]): {
  predictions: NnUnetPrediction[];
  unmatched: { path: string; reason: string }[];
} {
  const volumes = new Map<string, string>();
  const npz = new Map<string, string>();
  for (const p of [...paths].sort()) {
    const { dir, name } = parts(p);
    if (name.startsWith('._')) continue;
    const split = splitVolumeName(name);
    if (split) volumes.set(`${dir}/${split.stem}`, p);
    else if (name.toLowerCase().endsWith('.npz')) npz.set(`${dir}/${name.slice(0, -4)}`, p);
  }
  const predictions: NnUnetPrediction[] = [];
  for (const [key, pred] of volumes) {
    const prob = npz.get(key);
    predictions.push({ id: key.slice(key.lastIndexOf('/') + 1), pred, ...(prob ? { prob } : {}) });
  }
  const unmatched = [...npz]
    .filter(([key]) => !volumes.has(key))
    .map(([, path]) => ({
      path,
      reason: 'probabilities without the segmentation volume that gives their geometry',
    }));
  return { predictions, unmatched };
}
