/**
 * Class names and colours from a `labels.json` file next to the masks (the demo ships one):
 * `{"classes": [{"index": 1, "name": "caudate", "color": "#4363d8"}, …]}`. Parsing is strict about types and
 * lenient about omissions (a class without a colour keeps its default colour); any problem is an InputError
 * naming the file. Pure: the viewer finds the file, this reads its text.
 */
import { posix } from 'node:path';
import { InputError } from '../../core/errors';
import type { ClassLabel } from '../../core/pixels';

/** The file name looked for. */
export const LABELS_FILE = 'labels.json';
/** More classes than this is not a label list a panel can show. */
const MAX_LABELS = 4096;

/**
 * A value as a message shows it: scalars as JSON, lists and objects by kind only — JSON.stringify of a deeply
 * nested value overflows the stack (found by fuzzing), and a long one would make a long message.
 */
function shown(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function hexColour(v: unknown, where: string, source: string): [number, number, number] | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(v)) {
    throw new InputError(`${where}: color must be "#rrggbb", got ${shown(v)}`, source);
  }
  return [parseInt(v.slice(1, 3), 16), parseInt(v.slice(3, 5), 16), parseInt(v.slice(5, 7), 16)];
}

export function parseClassLabels(text: string, source: string): ClassLabel[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${e instanceof Error ? e.message : String(e)})`, source);
  }
  const classes = (json as { classes?: unknown } | null)?.classes;
  if (!Array.isArray(classes))
    throw new InputError('expected {"classes": [{"index", "name", "color"?}, …]}', source);
  if (classes.length > MAX_LABELS)
    throw new InputError(`lists ${classes.length} classes (at most ${MAX_LABELS})`, source);
  const seen = new Set<number>();
  return classes.map((c: unknown, i): ClassLabel => {
    const where = `classes[${i}]`;
    if (typeof c !== 'object' || c === null) throw new InputError(`${where} must be an object`, source);
    const { index, name, color } = c as { index?: unknown; name?: unknown; color?: unknown };
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > 0x7fffffff) {
      throw new InputError(`${where}: index must be an integer ≥ 0, got ${shown(index)}`, source);
    }
    if (seen.has(index)) throw new InputError(`${where}: class ${index} is listed twice`, source);
    seen.add(index);
    if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
      throw new InputError(`${where}: name must be a non-empty string`, source);
    }
    const rgb = hexColour(color, where, source);
    return rgb ? { index, name, color: rgb } : { index, name };
  });
}

/**
 * Folders searched for the labels file of a mask, nearest first: the mask's folder and up to two parents
 * (`demo/masks/x.png` finds `demo/labels.json`), never above `root` when one is given.
 */
export function labelsFileCandidates(maskPath: string, root?: string): string[] {
  const out: string[] = [];
  let dir = posix.dirname(maskPath);
  for (let i = 0; i < 3; i++) {
    out.push(posix.join(dir, LABELS_FILE));
    if (root !== undefined && (dir === root || !dir.startsWith(root))) break;
    const parent = posix.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}
