/**
 * Probability maps of several models side by side: `probs/<model>/<stem>.npy` next to `images/` (the demo's
 * layout). The pairing (core/dataset) picks the first model; the panel's dropdown lists the models that have a map
 * for the sample and switches between them.
 */
import * as vscode from 'vscode';
import { PROB_FOLDERS, withModel } from '../../core/viewmodel/modelMemory';

/** probs/<model>/<file> → the same file under probs/<other>/. */
export function modelUri(prob: vscode.Uri, model: string): vscode.Uri {
  return prob.with({ path: withModel(prob.path, model) });
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
