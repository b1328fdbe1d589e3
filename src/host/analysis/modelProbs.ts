/**
 * Probability maps of several models side by side: `probs/<model>/<stem>.npy` next to `images/` (the demo's
 * layout). When the pairing found no probability map, the first model (alphabetically, or the one chosen earlier in
 * the panel) is used and a note says which; the panel's dropdown switches between the models that have a map for
 * the sample.
 */
import * as vscode from 'vscode';
import type { SampleUris } from '../viewer/sampleLoader';

/** Folder names that hold one sub-folder of probability maps per model. */
const PROB_FOLDERS = ['probs', 'probabilities'];
const PROB_EXTENSIONS = ['.npy', '.npz'];

/** probs/<model>/<file> → the same file under probs/<other>/. */
export function modelUri(prob: vscode.Uri, model: string): vscode.Uri {
  const parts = prob.path.split('/');
  parts[parts.length - 2] = model;
  return prob.with({ path: parts.join('/') });
}

/** The models whose folder next to this one holds a map of the same name (the demo's probs/<model>/ layout). */
export async function listModels(prob: vscode.Uri): Promise<{ names: string[]; current?: string }> {
  const parts = prob.path.split('/');
  if (parts.length < 3 || !PROB_FOLDERS.includes(parts[parts.length - 3].toLowerCase())) return { names: [] };
  const file = parts[parts.length - 1];
  const root = prob.with({ path: parts.slice(0, -2).join('/') });
  try {
    const entries = await vscode.workspace.fs.readDirectory(root);
    const names: string[] = [];
    for (const [name, type] of entries.sort((a, b) => a[0].localeCompare(b[0]))) {
      if (!(type & vscode.FileType.Directory)) continue;
      try {
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, name, file));
        names.push(name);
      } catch {
        // This model has no map for the sample.
      }
    }
    return { names, current: parts[parts.length - 2] };
  } catch {
    return { names: [] };
  }
}

async function entries(dir: vscode.Uri): Promise<[string, vscode.FileType][]> {
  try {
    return (await vscode.workspace.fs.readDirectory(dir)).sort((a, b) => a[0].localeCompare(b[0]));
  } catch {
    return [];
  }
}

/**
 * Adds a model's probability map to a sample that has an image but no map: looks in ../probs/<model>/ (and
 * ../probabilities/<model>/) for the image's stem. Returns undefined when there is nothing to add.
 */
export async function withModelProb(
  uris: SampleUris,
  preferred?: string,
): Promise<{ uris: SampleUris; note: string } | undefined> {
  const image = uris.image;
  if (!image || uris.prob) return undefined;
  const parts = image.path.split('/');
  const stem = (parts[parts.length - 1] ?? '').replace(/\.[^.]+$/, '');
  const parent = image.with({ path: parts.slice(0, -2).join('/') || '/' });
  for (const [folder, type] of await entries(parent)) {
    if (!(type & vscode.FileType.Directory) || !PROB_FOLDERS.includes(folder.toLowerCase())) continue;
    const root = vscode.Uri.joinPath(parent, folder);
    const found: { model: string; uri: vscode.Uri }[] = [];
    for (const [model, t] of await entries(root)) {
      if (!(t & vscode.FileType.Directory)) continue;
      const files = await entries(vscode.Uri.joinPath(root, model));
      const hit = files.find(([n]) => PROB_EXTENSIONS.some((e) => n === stem + e));
      if (hit) found.push({ model, uri: vscode.Uri.joinPath(root, model, hit[0]) });
    }
    if (found.length === 0) continue;
    const pick = found.find((f) => f.model === preferred) ?? found[0];
    const others = found.length > 1 ? ` (${found.length} models; choose another in the analysis panel)` : '';
    return {
      uris: { ...uris, prob: pick.uri },
      note: `Probability map ${folder}/${pick.model}/${pick.uri.path.split('/').pop()} paired from model folder ${pick.model}${others}.`,
    };
  }
  return undefined;
}
