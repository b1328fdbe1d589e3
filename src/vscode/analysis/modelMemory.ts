/**
 * The model chosen per folder of model outputs, for this workspace (see core/viewmodel/modelMemory): the panel's
 * Model dropdown records the choice, the pairing of the next sample from the same folder uses it. Kept for the
 * window's session, seeded from restored panels' view options, and persisted in a Memento when one is attached
 * (the extension's workspaceState).
 */
import * as vscode from 'vscode';
import { modelPath, parseModelRecord, rememberModel, withModel } from '../../core/viewmodel/modelMemory';

const KEY = 'seglens.viewer.modelByFolder';

interface Store {
  record: Record<string, string>;
  memento?: vscode.Memento;
}

/** One store per extension host. */
const STORE: Store = { record: {} };

function store(): Store {
  return STORE;
}

/** Persists the choices in `memento` (workspaceState) and takes the ones it already holds. */
export function attachModelMemory(memento: vscode.Memento): void {
  const s = store();
  s.memento = memento;
  s.record = { ...parseModelRecord(memento.get(KEY)), ...s.record };
}

/** Records that the user chose `model` for the folder of this probability map (probs/<model>/<file>). */
export function rememberModelOf(prob: vscode.Uri, model: string): void {
  const p = modelPath(prob.path);
  if (!p) return;
  const s = store();
  const key = prob.with({ path: p.root }).toString();
  if (s.record[key] === model) return;
  s.record = rememberModel(s.record, key, model);
  void s.memento?.update(KEY, s.record);
}

/** The model remembered for the folder of this probability map. */
export function rememberedModel(prob: vscode.Uri): string | undefined {
  const p = modelPath(prob.path);
  return p ? store().record[prob.with({ path: p.root }).toString()] : undefined;
}

/**
 * The paired probability map under the remembered model instead of the pairing's first, when that model has a
 * map of this name; with a note saying so. Otherwise the map as paired.
 */
export async function preferRememberedModel(prob: vscode.Uri): Promise<{ prob: vscode.Uri; note?: string }> {
  const p = modelPath(prob.path);
  const model = rememberedModel(prob);
  if (!p || !model || model === p.model) return { prob };
  const other = prob.with({ path: withModel(prob.path, model) });
  try {
    await vscode.workspace.fs.stat(other);
  } catch {
    return { prob };
  }
  return { prob: other, note: `Showing model ${model}, the one last chosen for this folder.` };
}
