/**
 * The volume viewer's commands: "Open in SegLens" on a volume file in the explorer (the clicked file with the
 * selection, or with its folder's other volumes when it is alone) and "Open Volume…" in the palette (a file dialog).
 * Each resolves with the panel's snapshot once its first slices are drawn, so callers (and tests) read what it shows.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandHandlers } from '../commands/table';
import type { CommandsOf } from '../commands/ids';
import type { ViewerContext } from '../viewer/context';
import type { VolumeRole, VolumeSetInput } from '../../node/volume/volumeSet';
import { assignVolumeRoles, completeFromFolder, volumeEnding, type AssignedVolumes } from './roles';
import { VolumePanel, type VolumePanelSnapshot } from './volumePanel';
import { runModelOnVolumePanel } from './runModel';

/** The file dialog's filter: every volume ending (".nii.gz" is offered as "gz": VS Code filters on the last dot). */
const DIALOG_FILTERS = { 'Volumes (NIfTI, NRRD, MetaImage)': ['nii', 'gz', 'nrrd', 'nhdr', 'mha', 'mhd'] };

const isUri = (x: unknown): x is vscode.Uri => x instanceof vscode.Uri;

/** Only local files: the readers take paths (a .mhd's data file is read next to it). */
function localPaths(uris: readonly vscode.Uri[]): string[] {
  const bad = uris.find((u) => u.scheme !== 'file');
  if (bad) throw new Error(`the volume viewer opens local files only, not ${bad.toString()}`);
  return uris.map((u) => u.fsPath);
}

async function complete(paths: string[]): Promise<AssignedVolumes> {
  const vols = paths.filter((p) => volumeEnding(p) !== undefined);
  const skipped = paths.filter((p) => volumeEnding(p) === undefined);
  if (vols.length === 0) {
    throw new Error(
      `${path.basename(paths[0] ?? '')} is not a volume (.nii, .nii.gz, .nrrd, .seg.nrrd, .nhdr, .mha, .mhd)`,
    );
  }
  let out: AssignedVolumes;
  if (vols.length === 1) {
    const dir = path.dirname(vols[0]);
    const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(dir));
    out = completeFromFolder(
      vols[0],
      entries.filter(([, t]) => t === vscode.FileType.File).map(([n]) => n),
    );
    out.files = Object.fromEntries(
      Object.entries(out.files).map(([r, p]) => [r, path.join(dir, path.basename(p as string))]),
    ) as Partial<Record<VolumeRole, string>>;
  } else out = assignVolumeRoles(vols);
  for (const s of skipped) out.notes.push(`${path.basename(s)} left out: not a volume`);
  return out;
}

/** The labels.json beside the ground truth (else the image, else any file of the set). */
function labelsFileOf(files: Partial<Record<VolumeRole, string>>): string | undefined {
  const anchor = files.gt ?? files.image ?? files.pred ?? files.prob;
  return anchor ? path.join(path.dirname(anchor), 'labels.json') : undefined;
}

export async function openVolumes(ctx: ViewerContext, paths: string[]): Promise<VolumePanelSnapshot> {
  const { files, notes } = await complete(paths);
  const input: VolumeSetInput = { files, threshold: 0.5 };
  const labelsFile = labelsFileOf(files);
  if (labelsFile) input.labelsFile = labelsFile;
  return VolumePanel.show(ctx, input, notes);
}

export function volumeCommands(ctx: ViewerContext): CommandHandlers<CommandsOf<'volume'>> {
  return {
    'seglens.volume.open': {
      async run(...args: unknown[]) {
        // Called with URIs (from code or a test) it opens them; from the palette it asks.
        const given = args.flatMap((a) => (Array.isArray(a) ? a.filter(isUri) : isUri(a) ? [a] : []));
        const uris =
          given.length > 0
            ? given
            : await vscode.window.showOpenDialog({
                canSelectMany: true,
                openLabel: 'Open in SegLens',
                title:
                  'Open a volume (add its ground truth, prediction or probability volume to open them together)',
                filters: DIALOG_FILTERS,
              });
        if (!uris || uris.length === 0) return undefined;
        return openVolumes(ctx, localPaths(uris));
      },
    },
    'seglens.volume.openFromExplorer': {
      async run(clicked?: unknown, selected?: unknown) {
        const sel = Array.isArray(selected) ? selected.filter(isUri) : [];
        const uris = sel.length > 1 ? sel : isUri(clicked) ? [clicked] : sel;
        if (uris.length === 0) throw new Error('Open in SegLens needs a volume file from the explorer');
        return openVolumes(ctx, localPaths(uris));
      },
    },
    // A 2-D model on every slice of one plane of the panel's image (runModel.ts).
    'seglens.volume.runModel': { run: (arg?: unknown) => runModelOnVolumePanel(arg) },
  };
}
