/**
 * Public API of the core readers: NPY/NPZ/PNG parsing, label-map normalisation, probability-map layout and logits
 * detection, and format dispatch by magic bytes. All take bytes (Uint8Array) and a source name for errors.
 */
export { readNpy, readNpyHeader, writeNpy } from './npy';
export type { NpyHeader, NpyReadOptions } from './npy';
export { readNpz, isZip } from './npz';
export type { NpzReadOptions } from './npz';
export { decodePngImage, readPngHeader, isPng } from './png';
export type { DecodedPngImage, PngHeader, PngReadOptions } from './png';
export { normaliseLabelMap } from './labelMap';
export { parsePalette } from './palette';
export type { Palette } from './palette';
export type { LabelMapOptions } from './labelMap';
export { detectProbLayout, toProbMap, detectValueKind, logitsToProbabilities } from './probMap';
export type { ProbLayout, ProbLayoutResult, ValueKind } from './probMap';
export { readArrayFile, loadLabelMap, loadProbMap, PREFERRED_NPZ_KEYS } from './load';
export type { ArrayReadOptions, ProbReadOptions } from './load';
