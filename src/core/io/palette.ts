/**
 * Palettes for colour masks: which RGB colour stands for which class index. Accepted JSON forms (the first two
 * are the common hand-written ones, the third is SegLens' labels.json as in the demo workspace):
 *
 *   [[0, 0, 0], [255, 0, 0], …]                       index = position
 *   ["#000000", "#ff0000", …]                         index = position
 *   {"classes": [{"index": 1, "color": "#4363d8"}, …]}  entries without a colour are left out
 */
import { InputError } from '../errors';

/** palette[c] = [r, g, b] of class c, or undefined for a class without a colour. */
export type Palette = (readonly number[] | undefined)[];

/** The largest class index a palette may name (label maps hold at most 65,536 classes, as `numClasses`). */
export const MAX_CLASS_INDEX = 65535;

function colour(value: unknown, where: string, source: string): number[] {
  if (typeof value === 'string') {
    const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(value.trim());
    if (!m) throw new InputError(`${where}: '${value}' is not a #rrggbb colour`, source);
    return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
  }
  if (
    Array.isArray(value) &&
    value.length >= 3 &&
    value.slice(0, 3).every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255)
  ) {
    return value.slice(0, 3) as number[];
  }
  throw new InputError(`${where}: expected [r, g, b] with integers 0–255 or "#rrggbb"`, source);
}

/**
 * Parses a palette from parsed JSON.
 * @throws InputError naming `source` for an unknown form, a bad colour or two classes with the same colour.
 */
export function parsePalette(json: unknown, source = 'palette'): Palette {
  const palette: Palette = [];
  if (Array.isArray(json)) {
    json.forEach((v, i) => (palette[i] = colour(v, `entry ${i}`, source)));
  } else if (
    typeof json === 'object' &&
    json !== null &&
    Array.isArray((json as { classes?: unknown }).classes)
  ) {
    (json as { classes: unknown[] }).classes.forEach((e, i) => {
      if (typeof e !== 'object' || e === null) throw new InputError(`classes[${i}] is not an object`, source);
      const { index, color } = e as { index?: unknown; color?: unknown };
      const c = typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : i;
      // The palette is a dense array indexed by class: an index of 1e9 would allocate a billion entries (a heap
      // out-of-memory crash, found by fuzzing). Label maps hold at most 65,536 classes.
      if (c > MAX_CLASS_INDEX) {
        throw new InputError(
          `classes[${i}].index = ${c} is above the largest class index ${MAX_CLASS_INDEX}`,
          source,
        );
      }
      if (color !== undefined && color !== null) palette[c] = colour(color, `classes[${i}].color`, source);
    });
  } else {
    throw new InputError('a palette is a list of colours or {"classes": [{"index", "color"}]}', source);
  }
  const seen = new Map<number, number>();
  palette.forEach((rgb, c) => {
    if (!rgb) return;
    const key = rgb[0] * 65536 + rgb[1] * 256 + rgb[2];
    const other = seen.get(key);
    if (other !== undefined) throw new InputError(`classes ${other} and ${c} have the same colour`, source);
    seen.set(key, c);
  });
  if (seen.size === 0) throw new InputError('the palette has no colours', source);
  // A dense array (holes become explicit undefined), so callers can iterate it plainly.
  return Array.from({ length: palette.length }, (_, i) => palette[i]);
}
