/**
 * Which model the user chose, per folder of model outputs: `probs/<model>/<file>` maps of several models sit side by
 * side, the pairing picks the first model alphabetically, and the user's choice in the panel's Model dropdown
 * becomes the default for the next sample opened from the same folder (instead of always the first model). Pure
 * string logic on URI paths; the host keeps the record (host/analysis/modelMemory).
 */

/** Folder names that hold one sub-folder of probability maps per model. */
export const PROB_FOLDERS: readonly string[] = ['probs', 'probabilities'];

/** The parts of a `…/probs/<model>/<file>` path, or undefined when the path is not in that layout. */
export function modelPath(path: string): { root: string; model: string; file: string } | undefined {
  const parts = path.split('/');
  if (parts.length < 3) return undefined;
  if (!PROB_FOLDERS.includes(parts[parts.length - 3].toLowerCase())) return undefined;
  const model = parts[parts.length - 2];
  const file = parts[parts.length - 1];
  if (!model || !file) return undefined;
  return { root: parts.slice(0, -2).join('/'), model, file };
}

/** The same file under another model's folder. */
export function withModel(path: string, model: string): string {
  const parts = path.split('/');
  parts[parts.length - 2] = model;
  return parts.join('/');
}

/** Remembered folders at most (oldest forgotten first), so the workspace state stays small. */
export const MODEL_MEMORY_CAP = 100;

/**
 * The record with `model` remembered for `root`, as a new object: the entry moves to the end (most recent), and
 * the oldest entries beyond `cap` are dropped.
 */
export function rememberModel(
  record: Readonly<Record<string, string>>,
  root: string,
  model: string,
  cap: number = MODEL_MEMORY_CAP,
): Record<string, string> {
  const entries = Object.entries(record).filter(([k]) => k !== root);
  entries.push([root, model]);
  return Object.fromEntries(entries.slice(Math.max(0, entries.length - cap)));
}

/** A persisted record, checked: anything but string → string pairs is dropped. */
export function parseModelRecord(x: unknown): Record<string, string> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}
