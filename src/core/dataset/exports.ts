/**
 * SegLens's own exports, recognised by name so that pairing, "Run Model on Folder" and folder evaluations never
 * take them for data: an exported mask next to the images would otherwise be counted as one more image.
 *
 * Exports go to their own folder (`seglens-exports/` in the workspace by default, setting `seglens.export.folder`)
 * and carry a marker in the name: `<stem>.seglens-<decoder>.png` for a mask, `<stem>.seglens-<decoder>-metrics.csv`
 * for metrics. Files exported before this naming (`<stem>_<decoder>.png`, `<stem>_<decoder>_metrics.json`) are
 * recognised too. Pure: names only, no file access.
 */
import { basename, splitName } from './paths';

/** The default export folder, relative to the workspace folder. */
export const EXPORT_FOLDER = 'seglens-exports';

/** Decoder names of the panel's exports before the `.seglens-` marker (their old suffixes). */
const LEGACY_DECODERS = ['threshold', 'tunedThreshold', 'argmax', 'topk', 'rankdice', 'rankiou'];

const MARKED = /\.seglens-[A-Za-z0-9]+(-metrics)?\.(png|npy|json|csv)$/;
const LEGACY = new RegExp(`_(${LEGACY_DECODERS.join('|')})(_metrics)?\\.(png|npy|json|csv)$`);

export type ExportKind = 'mask' | 'metrics';

/** The file name of an export: `slice_068.seglens-rankdice.png`, `slice_068.seglens-rankdice-metrics.csv`. */
export function exportFileName(stem: string, decoder: string, kind: ExportKind, ext: string): string {
  return `${stem}.seglens-${decoder}${kind === 'metrics' ? '-metrics' : ''}.${ext}`;
}

/** Whether a file or folder name (or a path's last part) is a SegLens export or the export folder. */
export function isSegLensExport(pathOrName: string): boolean {
  const name = basename(pathOrName);
  if (name.toLowerCase() === EXPORT_FOLDER) return true;
  return MARKED.test(name) || LEGACY.test(name);
}

/** Whether a path lies in an export folder or is an export itself. */
export function isInExports(path: string): boolean {
  return path.split('/').some((part) => part.toLowerCase() === EXPORT_FOLDER) || isSegLensExport(path);
}

/** The stem SegLens names an export after (the image's, else the map's): `slice_068` from `…/slice_068.png`. */
export function exportStem(path: string | undefined): string {
  return path ? splitName(path).stem || 'sample' : 'sample';
}
