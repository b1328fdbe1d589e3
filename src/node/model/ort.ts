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
    try {
      // A plain require keeps the load synchronous and lets esbuild leave the native package external.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ort = require('onnxruntime-node') as OrtModule;
    } catch (e) {
      throw new Error(ortUnavailableMessage(process.platform, process.arch, e), { cause: e });
    }
  }
  return ort;
}

/** True once onnxruntime-node has been loaded in this thread (tests check activation stays free of it). */
export function isOrtLoaded(): boolean {
  return ort !== undefined;
}

/**
 * Why onnxruntime could not load, in the user's terms. onnxruntime-node 1.30 ships binaries for Windows and Linux
 * (x64, arm64) and macOS arm64 only, so on an Intel Mac running models is unavailable while everything else works.
 */
export function ortUnavailableMessage(platform: string, arch: string, cause: unknown): string {
  const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  if (platform === 'darwin' && arch === 'x64') {
    return 'Running ONNX models is not available on Intel Macs: onnxruntime-node ships no macOS x64 binary. Viewing, metrics, decoders and the loss lint work as usual.';
  }
  return `onnxruntime could not be loaded on ${platform}-${arch} (${detail}); install the SegLens VSIX built for this platform.`;
}
