/**
 * The image a model runs on, as the loaders hand it over: decoded samples, interleaved and row-major. Its own
 * file so the preprocessing and the normalisation checks can both name it without importing each other.
 */
export interface ModelImage {
  width: number;
  height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA samples per pixel. */
  channels: number;
  data: Uint8Array | Uint16Array | Float32Array | Float64Array;
  /** What the decoder did to the file (EXIF orientation applied, bands kept, …), passed on to the run's notes. */
  notes?: string[];
}
