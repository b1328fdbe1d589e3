/**
 * Colours for class overlays. Label 0 (background) is always transparent. Classes 1…20 take a fixed qualitative
 * palette chosen to stay distinguishable on grey medical images and photos; higher labels follow the golden angle
 * around the hue circle, so every class gets a stable colour that does not depend on which other classes exist.
 * A mask file's own palette (palette PNG/BMP) wins when it is colourful, because that is what its author chose.
 */

export type Rgb = readonly [number, number, number];

/** Qualitative palette for classes 1..20 (Tableau 20 order, brightest first). */
export const CLASS_PALETTE: readonly Rgb[] = [
  [255, 127, 14],
  [31, 119, 180],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [23, 190, 207],
  [227, 119, 194],
  [188, 189, 34],
  [140, 86, 75],
  [255, 187, 120],
  [174, 199, 232],
  [152, 223, 138],
  [255, 152, 150],
  [197, 176, 213],
  [158, 218, 229],
  [247, 182, 210],
  [219, 219, 141],
  [196, 156, 148],
  [127, 127, 127],
  [199, 199, 199],
];

/** HSL (h in degrees, s and l in 0..1) to 8-bit RGB. */
export function hslToRgb(h: number, s: number, l: number): Rgb {
  const hh = (((h % 360) + 360) % 360) / 60;
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs((hh % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    hh < 1
      ? [c, x, 0]
      : hh < 2
        ? [x, c, 0]
        : hh < 3
          ? [0, c, x]
          : hh < 4
            ? [0, x, c]
            : hh < 5
              ? [x, 0, c]
              : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

const GOLDEN_ANGLE = 137.50776405003785;

/** The default colour of class `k` (k ≥ 1). */
export function defaultClassColour(k: number): Rgb {
  if (k >= 1 && k <= CLASS_PALETTE.length) return CLASS_PALETTE[k - 1];
  return hslToRgb(k * GOLDEN_ANGLE, 0.75, 0.55);
}

/** Whether a file palette carries real colours for the given classes (a grey ramp would vanish on grey images). */
export function isColourful(palette: readonly Rgb[] | undefined, classes: readonly number[]): boolean {
  if (!palette) return false;
  let coloured = 0;
  for (const k of classes) {
    if (k === 0) continue;
    const c = palette[k];
    if (!c) return false;
    if (!(c[0] === c[1] && c[1] === c[2])) coloured++;
  }
  return coloured > 0;
}

/** Colours chosen by the user for some classes (a labels file); they win over everything else. */
export type ColourOverrides = ReadonlyMap<number, Rgb>;

/**
 * The colour used for class k of a layer: a labels-file colour if given, else the file's palette when colourful,
 * else the default.
 */
export function classColour(
  k: number,
  palette: readonly Rgb[] | undefined,
  useFilePalette: boolean,
  overrides?: ColourOverrides,
): Rgb {
  const chosen = overrides?.get(k);
  if (chosen) return chosen;
  if (useFilePalette && palette && palette[k]) return palette[k];
  return defaultClassColour(k);
}

/**
 * A lookup table label → RGBA (alpha 0 for label 0 and for labels not in `classes`). Dense, so the overlay loop
 * is one array read per pixel; `size` must exceed the largest label.
 */
export function buildLut(
  classes: readonly number[],
  palette: readonly Rgb[] | undefined,
  size: number,
  overrides?: ColourOverrides,
): Uint8Array {
  const useFile = isColourful(palette, classes);
  const lut = new Uint8Array(size * 4);
  for (const k of classes) {
    if (k <= 0 || k >= size) continue;
    const c = classColour(k, palette, useFile, overrides);
    lut[k * 4] = c[0];
    lut[k * 4 + 1] = c[1];
    lut[k * 4 + 2] = c[2];
    lut[k * 4 + 3] = 255;
  }
  return lut;
}

/** CSS colour string for a swatch. */
export function cssColour(c: Rgb): string {
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/**
 * Viridis (matplotlib's perceptually uniform colour map) at nine evenly spaced stops; intermediate values are
 * interpolated linearly, which stays within a few levels of the full 256-entry table.
 */
export const VIRIDIS_STOPS: readonly Rgb[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** A 256-entry RGB table (index = round(255·p)) built from colour stops. */
export function colourMapLut(stops: readonly Rgb[] = VIRIDIS_STOPS): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  const segments = stops.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * segments;
    const k = Math.min(segments - 1, Math.floor(t));
    const f = t - k;
    for (let c = 0; c < 3; c++)
      lut[i * 3 + c] = Math.round(stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f);
  }
  return lut;
}

/** CSS gradient of a colour map, for the colour bar. */
export function colourMapGradient(stops: readonly Rgb[] = VIRIDIS_STOPS): string {
  return `linear-gradient(to right, ${stops.map(cssColour).join(', ')})`;
}
