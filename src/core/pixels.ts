/** Pixel-level types shared by the loaders (src/node), the protocol and the webview. */

/** Sample storage types of a raster as it travels to the webview. */
export type PixelDtype = 'uint8' | 'uint16' | 'int32' | 'float32';

export const BYTES_PER_SAMPLE: Readonly<Record<PixelDtype, number>> = {
  uint8: 1,
  uint16: 2,
  int32: 4,
  float32: 4,
};

export interface ValueRange {
  /** Smallest finite sample (over all colour channels); NaN when the layer has no finite sample. */
  min: number;
  max: number;
}

/** A class's display name and (optionally) colour, from a labels file. */
export interface ClassLabel {
  index: number;
  name: string;
  /** [r, g, b]; when absent the class keeps its default colour. */
  color?: [number, number, number];
}
