/** The dataset view's settings (`seglens.dataset.*`), checked like the viewer's (vscode/settings.ts). */
import * as vscode from 'vscode';

export interface DatasetSettings {
  /** What to do with a map that holds logits: refuse it (the row is skipped, saying why) or convert it. */
  logits: 'refuse' | 'sigmoid' | 'softmax';
  /** Decoders ticked in the pairing preview. @default ["threshold", "rankdice"] */
  decoders: string[];
}

export const DEFAULT_DATASET_DECODERS = ['threshold', 'rankdice'];

export function readDatasetSettings(scope?: vscode.Uri): DatasetSettings {
  const c = vscode.workspace.getConfiguration('seglens.dataset', scope);
  const logits = c.get('logits');
  const decoders = c.get('decoders');
  return {
    logits: logits === 'sigmoid' || logits === 'softmax' ? logits : 'refuse',
    decoders:
      Array.isArray(decoders) &&
      decoders.length > 0 &&
      decoders.every((d) => typeof d === 'string' && d.length < 64)
        ? (decoders as string[])
        : [...DEFAULT_DATASET_DECODERS],
  };
}
