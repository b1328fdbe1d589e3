/**
 * Model-level activation facts for Keras code: the activation of the last layer built in the file and the
 * losses handed to compile(). LL202 (sigmoid/softmax output compiled with a from_logits=True loss) and LL203
 * (linear output compiled with a probability loss) compare the two.
 */
import type { ModuleModel } from './module';
import { callArgs } from './signatures';
import { child, textOf, unparen, type SNode } from './syntax';

export interface CompiledLoss {
  /** The loss argument as written (a string, a loss object or a function call). */
  node: SNode;
  /** True / false when the loss applies the activation itself or expects probabilities; undefined: unknown. */
  fromLogits: boolean | undefined;
  compile: SNode;
}

export interface OutputActivation {
  node: SNode;
  /** 'sigmoid' | 'softmax' | 'linear' */
  activation: string;
}

const PROB_LOSS_STRINGS =
  /^['"](binary_crossentropy|categorical_crossentropy|sparse_categorical_crossentropy)['"]$/;

/** The activation of the last `layers.*` call before `before` (an Activation layer or an activation= keyword). */
export function lastLayerActivation(model: ModuleModel, before: number): OutputActivation | undefined {
  const { tree } = model;
  let last: OutputActivation | undefined;
  for (const call of model.calls) {
    if (call.start >= before) break;
    const f = child(call, 'function');
    const name = f ? model.resolve(f) : undefined;
    if (!name || !name.startsWith('layers.')) continue;
    const layer = name.slice('layers.'.length);
    const args = callArgs(tree, call);
    if (layer === 'Activation' || layer === 'Softmax') {
      const a =
        layer === 'Softmax' ? "'softmax'" : args.positional[0] ? textOf(tree, args.positional[0]) : '';
      last = { node: call, activation: a.replace(/['"]/g, '') };
      continue;
    }
    if (!/^(Conv[123]D|Conv[123]DTranspose|Dense|SeparableConv2D)$/.test(layer)) continue;
    const act = args.keywords.get('activation');
    const text = act ? textOf(tree, act).replace(/['"]/g, '') : 'linear';
    last = { node: call, activation: text === 'None' ? 'linear' : text };
  }
  return last;
}

const compiledMemo = new WeakMap<ModuleModel, CompiledLoss[]>();

export function compiledLosses(model: ModuleModel): CompiledLoss[] {
  const memo = compiledMemo.get(model);
  if (memo) return memo;
  const out = findCompiledLosses(model);
  compiledMemo.set(model, out);
  return out;
}

function findCompiledLosses(model: ModuleModel): CompiledLoss[] {
  const { tree } = model;
  const out: CompiledLoss[] = [];
  for (const call of model.calls) {
    const f = child(call, 'function');
    if (!f || f.type !== 'attribute' || textOf(tree, child(f, 'attribute') ?? f) !== 'compile') continue;
    const loss = callArgs(tree, call).keywords.get('loss');
    if (!loss) continue;
    const v = unparen(loss);
    let fromLogits: boolean | undefined;
    if (v.type === 'string') fromLogits = PROB_LOSS_STRINGS.test(textOf(tree, v)) ? false : undefined;
    else if (v.type === 'call') {
      const callee = child(v, 'function');
      const name = callee ? model.resolve(callee) : undefined;
      if (name && /^losses\.(Binary|Categorical|SparseCategorical|BinaryFocal)Crossentropy$/.test(name)) {
        const fl = callArgs(tree, v).keywords.get('from_logits');
        fromLogits = fl ? textOf(tree, fl) === 'True' : false;
      }
    }
    out.push({ node: v, fromLogits, compile: call });
  }
  return out;
}
