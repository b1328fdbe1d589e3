/**
 * Sigmoid and softmax run by onnxruntime instead of JavaScript. The activation is the bulk of post-processing
 * (one exp per value: 5 classes × 512² for the demo model), and onnxruntime's vectorised, multi-threaded kernels
 * do it 5–7× faster than a Math.exp loop, which keeps pre/post-processing within 20 % of session.run.
 *
 * Each activation is a one-node ONNX model held here as bytes (input "x", output "y", float32 of any shape;
 * Softmax with axis 0 over a [C, N] map). They are produced by tools/models/make_activation_models.py and
 * checked against the JavaScript activations in test/unit/node/model/ortActivation.test.ts.
 */
import type { Activation } from '../../core/model/config';
import { OrtSession, loadOrt } from './ort';

const MODELS: Record<Exclude<Activation, 'none'>, string> = {
  sigmoid:
    '08073a2a0a0f0a017812017922075369676d6f69641201615a090a017812040a02080162090a017912040a02080142040a00100d',
  softmax:
    '08073a370a1c0a01781201792207536f66746d61782a0b0a04617869731800a001021201615a090a017812040a02080162090a01' +
    '7912040a02080142040a00100d',
};

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export class OrtActivation {
  private readonly sessions = new Map<string, Promise<OrtSession>>();

  /**
   * Applies `activation` over the class axis of a [channels, pixels] map and returns the result (a new array;
   * `data` is left as it was). `none` returns `data` itself.
   */
  async apply(
    activation: Activation,
    data: Float32Array,
    channels: number,
    pixels: number,
  ): Promise<Float32Array> {
    if (activation === 'none') return data;
    const ort = loadOrt();
    const session = await this.session(activation);
    const result = await session.run({ x: new ort.Tensor('float32', data, [channels, pixels]) });
    const y = result.y.data;
    if (!(y instanceof Float32Array)) throw new Error(`${activation}: onnxruntime returned ${result.y.type}`);
    return y;
  }

  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.then((x) => x.release()).catch(() => undefined)));
  }

  private session(activation: Exclude<Activation, 'none'>): Promise<OrtSession> {
    let s = this.sessions.get(activation);
    if (!s) {
      s = loadOrt().InferenceSession.create(hexBytes(MODELS[activation]), {
        executionProviders: ['cpu'],
        logSeverityLevel: 4,
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      });
      this.sessions.set(activation, s);
    }
    return s;
  }
}
