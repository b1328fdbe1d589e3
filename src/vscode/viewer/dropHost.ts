/**
 * The VS Code side of a drop on the viewer panel: asks dropFiles (pure, unit-tested) what may be opened, then
 * assigns roles exactly like the "Open Image/Mask/Probability Files…" command — one file is paired like "Open in
 * SegLens", several are sorted by folder and suffix — and loads them into the panel the files were dropped on.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { Problem } from '../../protocol';
import type { ViewerContext } from './context';
import { checkSample, refusalOf } from './access';
import { planDrop } from './dropFiles';
import { SampleUris, classifyFiles } from './sampleLoader';

/** The panel a drop landed on. */
export interface DropTarget {
  load(uris: SampleUris, notes: string[], problems: Problem[]): Promise<void>;
  /** Shows problems in the panel without replacing what it shows. */
  refuse(problems: Problem[]): void;
}

export async function openDroppedFiles(
  msg: { uris: readonly string[]; refused?: string },
  ctx: ViewerContext,
  target: DropTarget,
): Promise<void> {
  const plan = planDrop(msg, { folders: vscode.workspace.workspaceFolders?.map((f) => f.uri.toString()) });
  if (plan.kind === 'refused') {
    ctx.log.warn(`viewer drop: ${plan.message}`);
    target.refuse([{ severity: 'error', message: plan.message }]);
    return;
  }
  // Built from the checked parts, so the file opened is exactly the one the policy looked at.
  const files = plan.files.map((f) =>
    vscode.Uri.from({ scheme: f.scheme, authority: f.authority, path: f.path }),
  );
  // The text of each URI was checked above; its real path (symlinks followed) must be inside the workspace too.
  for (const file of files) {
    const reason = await refusalOf(file);
    if (reason !== undefined) return refuseDrop(reason, ctx, target);
  }
  let classified: Awaited<ReturnType<typeof classifyFiles>>;
  try {
    classified = await classifyFiles(files, ctx.settings(files[0]).pairing);
  } catch (e) {
    target.refuse([{ severity: 'error', message: `Opening the dropped files failed: ${errorMessage(e)}` }]);
    return;
  }
  const { notes, problems } = classified;
  // A partner found by pairing (a mask next to the dropped image) may itself be a link out of the workspace.
  const { allowed: uris, refused } = await checkSample(classified.uris);
  if (refused.length > 0) return refuseDrop(refused[0], ctx, target);
  if (plan.skipped.length > 0) notes.push(`Skipped ${plan.skipped.join(', ')}: not a format SegLens reads.`);
  if (!uris.image && !uris.gt && !uris.prob) {
    target.refuse(
      problems.length > 0
        ? problems
        : [{ severity: 'error', message: 'Nothing to open in the dropped files.' }],
    );
    return;
  }
  await target.load(uris, notes, problems);
}

function refuseDrop(reason: string, ctx: ViewerContext, target: DropTarget): void {
  const message = `Drop refused: ${reason}; SegLens opens dropped files only from the open workspace (or files opened this session).`;
  ctx.log.warn(`viewer drop: ${message}`);
  target.refuse([{ severity: 'error', message }]);
}
