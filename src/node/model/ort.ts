/**
 * Lazy access to onnxruntime-node. The native module costs hundreds of milliseconds and tens of megabytes to
 * load, so it is required on the first model run, never when the extension activates (docs/architecture.md §7), and only
 * the few types the runner needs are named here.
 */
import type * as Ort from 'onnxruntime-node';

export type OrtModule = typeof Ort;
export type OrtSession = Ort.InferenceSession;
export type OrtTensor = Ort.Tensor;

let ort: OrtModule | undefined;

/** Loads onnxruntime-node on first call; later calls return the same module. */
export function loadOrt(): OrtModule {
  if (!ort) {
    // A plain require keeps the load synchronous and lets esbuild leave the native package external.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ort = require('onnxruntime-node') as OrtModule;
  }
  return ort;
}

/** True once onnxruntime-node has been loaded in this thread (tests check activation stays free of it). */
export function isOrtLoaded(): boolean {
  return ort !== undefined;
}
