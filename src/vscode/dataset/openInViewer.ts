/**
 * Opens one image of the dataset in the viewer: beside the table (a new editor group when the table is alone), with
 * the chosen model's map (`prob`, an absolute path), and decoders A/B set to the table's first two decoders once the
 * viewer's analysis of that map has started (its controller exists only after it read the files). Resolves with the
 * viewer once the sample is posted to it. A volume row opens in the three-plane volume panel instead (undefined).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { splitVolumeName } from '../../core/dataset/nnunet';
import type { AnalysisDecoder } from '../../core/viewmodel/analysisTypes';
import { liveControllers } from '../analysis/analysisController';
import type { ViewerContext } from '../viewer/context';
import { ViewerPanel } from '../viewer/viewerPanel';
import { VolumePanel } from '../volume/volumePanel';
import type { StoreItem } from './rowStore';

/** Whether a row is a volume's (its mask or map is a NIfTI, NRRD or MetaImage file): it opens in the volume panel. */
export function isVolumeRow(item: StoreItem, prob: string | undefined): boolean {
  return [item.gt, prob].some((p) => p !== undefined && splitVolumeName(path.basename(p)) !== undefined);
}

export async function openInViewer(
  ctx: ViewerContext,
  item: StoreItem,
  prob: string | undefined,
  decoders: AnalysisDecoder[],
  note: string,
): Promise<ViewerPanel | undefined> {
  if (isVolumeRow(item, prob)) {
    // A volume row: the three-plane volume panel, with the first decoder of the table turning the map into labels.
    const files = {
      ...(item.image ? { image: item.image } : {}),
      ...(item.gt ? { gt: item.gt } : {}),
      ...(prob ? { prob } : {}),
    };
    const labels = item.gt ? path.join(path.dirname(item.gt), 'labels.json') : undefined;
    await VolumePanel.show(
      ctx,
      { files, decoder: decoders[0], threshold: 0.5, ...(labels ? { labelsFile: labels } : {}) },
      [note],
    );
    return undefined;
  }
  const uris = {
    image: item.image ? vscode.Uri.file(item.image) : undefined,
    gt: item.gt ? vscode.Uri.file(item.gt) : undefined,
    prob: prob ? vscode.Uri.file(prob) : undefined,
  };
  if (ViewerPanel.open.length === 0 && vscode.window.tabGroups.all.length === 1) {
    // Keep the table in sight: the viewer opens in a new group beside it.
    await vscode.commands.executeCommand('workbench.action.newGroupRight');
  }
  const viewer = ViewerPanel.reuseOrCreate(ctx);
  await viewer.load(uris, [note]);
  if (decoders.length > 0 && uris.prob) void driveDecoders(viewer.id, uris.prob, decoders);
  return viewer;
}

/**
 * Sets the viewer's decoders A/B once its analysis of `prob` has started (the viewer's controller exists only after
 * it read the files), as the viewer's own tests drive it.
 */
async function driveDecoders(panelId: number, prob: vscode.Uri, decoders: AnalysisDecoder[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const c = [...liveControllers()].find((x) => x.panelId === panelId);
    if (c && c.shownProb === prob.toString()) {
      c.drive({ decoderA: decoders[0], ...(decoders[1] ? { decoderB: decoders[1] } : {}) });
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
