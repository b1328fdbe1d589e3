/**
 * Framework functions the engine understands, with their positional parameter names, so `K.sum(x, -1)` and
 * `K.sum(x, axis=-1)` read the same. Keys are canonical names (imports.ts); keys starting with "." are tensor
 * methods (`x.sum(1)`), whose receiver is the operand.
 */
import { child, namedChildren, textOf, type SNode, type SyntaxTree } from './syntax';

/** Every kind of op the engine understands; each has exactly one handler in ops/index.ts. */
export const OP_KINDS = [
  'reduce',
  'flatten',
  'batchFlatten',
  'reshape',
  'permute',
  'swap',
  'squeeze',
  'unsqueeze',
  'onehot',
  'cast',
  'activation',
  'threshold',
  'argmax',
  'clip',
  'clampMin',
  'maximum',
  'log',
  'pow',
  'square',
  'abs',
  'identity',
  'break',
  'detach',
  'lossFn',
  'where',
  'epsilon',
  'binary',
  'einsum',
  'reciprocal',
] as const;

export type OpKind = (typeof OP_KINDS)[number];

export interface OpSpec {
  kind: OpKind;
  /** Positional parameter names, in order. */
  params: readonly string[];
  /**
   * Reduce: 'sum' | 'mean' | ...; activation: 'sigmoid' | 'softmax' | 'log_softmax' | 'log_sigmoid'; binary: the
   * Python operator the function stands for ('+' | '-' | '*' | '/').
   */
  sub?: string;
  /** Binary '/': a division that returns 0 where the divisor is 0 (`divide_no_nan`), never NaN. */
  nanSafe?: boolean;
  /** Loss functions: the parameter holding the target and the one holding the prediction. */
  truth?: string;
  pred?: string;
  /** Loss functions that apply the activation themselves (take logits). */
  takesLogits?: boolean;
  /** Default activation axis when none is given ('keras': -1; 'torch': the implicit rule). */
  implicitDim?: 'last' | 'torch';
}

const AXIS_NAMES = ['axis', 'dim', 'dims', 'axes'];

const specs = new Map<string, OpSpec>();
function def(names: string[], spec: OpSpec): void {
  for (const n of names) specs.set(n, spec);
}

// `einsum('bchw,bchw->bc', p, t)`: a product of its operands summed over the letters the output drops.
def(['torch.einsum', 'np.einsum', 'tf.einsum', 'ops.einsum', 'keras.ops.einsum'], {
  kind: 'einsum',
  params: ['equation', '*operands'],
});

const reduceSubs = ['sum', 'mean', 'max', 'min', 'prod', 'nansum', 'nanmean', 'amax', 'amin'];
for (const sub of reduceSubs) {
  def([`K.${sub}`, `ops.${sub}`, `keras.ops.${sub}`], {
    kind: 'reduce',
    sub,
    params: ['x', 'axis', 'keepdims'],
  });
  def([`tf.reduce_${sub}`], { kind: 'reduce', sub, params: ['input_tensor', 'axis', 'keepdims'] });
  def([`torch.${sub}`], { kind: 'reduce', sub, params: ['input', 'dim', 'keepdim'] });
  def([`np.${sub}`], { kind: 'reduce', sub, params: ['a', 'axis', 'dtype', 'out', 'keepdims'] });
  def([`.${sub}`], { kind: 'reduce', sub, params: ['dim', 'keepdim'] });
}
def(['tf.reduce_any', 'tf.reduce_all'], { kind: 'reduce', sub: 'any', params: ['input_tensor', 'axis'] });

def(['K.flatten', 'tf.reshape_flat'], { kind: 'flatten', params: ['x'] });
def(['K.batch_flatten'], { kind: 'batchFlatten', params: ['x'] });
def(['.ravel', 'np.ravel', 'torch.ravel'], { kind: 'flatten', params: ['a'] });
def(['torch.flatten'], { kind: 'flatten', params: ['input', 'start_dim', 'end_dim'] });
def(['.flatten'], { kind: 'flatten', params: ['start_dim', 'end_dim'] });
def(['tf.reshape', 'K.reshape', 'ops.reshape', 'np.reshape', 'torch.reshape'], {
  kind: 'reshape',
  params: ['tensor', 'shape'],
});
def(['.view', '.reshape'], { kind: 'reshape', params: ['*shape'] });
def(['.permute'], { kind: 'permute', params: ['*dims'] });
def(['torch.permute', 'K.permute_dimensions', 'tf.transpose', 'ops.transpose', 'np.transpose'], {
  kind: 'permute',
  params: ['x', 'perm'],
});
def(['.transpose', 'torch.transpose', '.swapaxes', 'np.swapaxes'], {
  kind: 'swap',
  params: ['dim0', 'dim1'],
});
def(['.squeeze'], { kind: 'squeeze', params: ['dim'] });
def(['torch.squeeze', 'K.squeeze', 'tf.squeeze', 'np.squeeze', 'ops.squeeze'], {
  kind: 'squeeze',
  params: ['x', 'axis'],
});
def(['.unsqueeze'], { kind: 'unsqueeze', params: ['dim'] });
def(['torch.unsqueeze', 'K.expand_dims', 'tf.expand_dims', 'np.expand_dims', 'ops.expand_dims'], {
  kind: 'unsqueeze',
  params: ['x', 'axis'],
});
def(['F.one_hot', 'torch.one_hot', 'K.one_hot', 'tf.one_hot', 'ops.one_hot', 'keras.utils.to_categorical'], {
  kind: 'onehot',
  params: ['indices', 'num_classes'],
});
def(['.scatter_', '.scatter'], { kind: 'onehot', params: ['dim', 'index', 'src'] });
def(['K.cast', 'tf.cast', 'ops.cast', 'K.cast_to_floatx', 'tf.dtypes.cast'], {
  kind: 'cast',
  params: ['x', 'dtype'],
});
def(
  ['.float', '.double', '.half', '.to', '.type', '.astype', '.type_as', '.long', '.int', '.bool', '.byte'],
  {
    kind: 'cast',
    params: ['dtype'],
  },
);

const activations: Array<[string, string[]]> = [
  [
    'sigmoid',
    [
      'K.sigmoid',
      'tf.sigmoid',
      'torch.sigmoid',
      'F.sigmoid',
      '.sigmoid',
      'ops.sigmoid',
      'activations.sigmoid',
      'torch.special.expit',
      'tf.keras.activations.sigmoid',
    ],
  ],
  ['softmax', ['K.softmax', 'tf.softmax', 'ops.softmax', 'activations.softmax']],
  ['log_softmax', ['tf.log_softmax', 'ops.log_softmax']],
  ['log_sigmoid', ['F.logsigmoid', 'tf.log_sigmoid', 'ops.log_sigmoid']],
];
for (const [sub, names] of activations) {
  def(names, { kind: 'activation', sub, params: ['x', 'axis'], implicitDim: 'last' });
}
def(['F.softmax', 'torch.softmax', 'torch.nn.functional.softmax'], {
  kind: 'activation',
  sub: 'softmax',
  params: ['input', 'dim'],
  implicitDim: 'torch',
});
def(['F.log_softmax', 'torch.log_softmax'], {
  kind: 'activation',
  sub: 'log_softmax',
  params: ['input', 'dim'],
  implicitDim: 'torch',
});
def(['.softmax'], { kind: 'activation', sub: 'softmax', params: ['dim'], implicitDim: 'torch' });
def(['.log_softmax'], { kind: 'activation', sub: 'log_softmax', params: ['dim'], implicitDim: 'torch' });

def(
  [
    'K.round',
    'tf.round',
    'torch.round',
    '.round',
    'np.round',
    'np.rint',
    'ops.round',
    'K.greater',
    'K.greater_equal',
    'K.less',
    'K.less_equal',
    'K.equal',
    'tf.greater',
    'tf.greater_equal',
    'tf.less',
    'tf.less_equal',
    'tf.equal',
    'torch.gt',
    'torch.ge',
    'torch.lt',
    'torch.le',
    'torch.eq',
    '.gt',
    '.ge',
    '.lt',
    '.le',
    'ops.greater',
    'torch.floor',
    'torch.ceil',
    'K.sign',
    'torch.sign',
  ],
  { kind: 'threshold', params: ['x', 'y'] },
);
def(['K.argmax', 'tf.argmax', 'ops.argmax', 'np.argmax'], { kind: 'argmax', params: ['x', 'axis'] });
def(['torch.argmax'], { kind: 'argmax', params: ['input', 'dim'] });
def(['.argmax'], { kind: 'argmax', params: ['dim'] });
def(['K.clip', 'tf.clip_by_value', 'ops.clip', 'np.clip', 'torch.clamp', 'torch.clip'], {
  kind: 'clip',
  params: ['x', 'min', 'max'],
});
def(['.clamp', '.clip'], { kind: 'clip', params: ['min', 'max'] });
def(['.clamp_min', '.clamp_min_'], { kind: 'clampMin', params: ['min'] });
def(['K.maximum', 'tf.maximum', 'torch.maximum', 'torch.max_elementwise', 'np.maximum', 'ops.maximum'], {
  kind: 'maximum',
  params: ['x', 'y'],
});
def(['K.log', 'tf.log', 'torch.log', '.log', 'np.log', 'ops.log', 'math.log'], {
  kind: 'log',
  params: ['x'],
});
def(['K.pow', 'tf.pow', 'torch.pow', 'np.power', 'ops.power'], { kind: 'pow', params: ['x', 'a'] });
def(['.pow'], { kind: 'pow', params: ['a'] });
def(['K.square', 'tf.square', 'torch.square', '.square', 'np.square', 'ops.square'], {
  kind: 'square',
  params: ['x'],
});
// `torch.reciprocal(x)`, `tf.math.reciprocal(x)`: 1 / x (a generalised-Dice class weight when x is (Σt)²).
def(['torch.reciprocal', '.reciprocal', 'tf.math.reciprocal', 'np.reciprocal', 'ops.reciprocal'], {
  kind: 'reciprocal',
  params: ['x'],
});
def(['K.abs', 'tf.abs', 'torch.abs', '.abs', 'np.abs', 'ops.abs'], { kind: 'abs', params: ['x'] });
def(['.contiguous', '.clone', '.cuda', '.cpu'], { kind: 'identity', params: [] });
def(['.numpy', '.item', '.tolist', 'np.asarray', 'np.array'], { kind: 'break', params: ['x'] });
def(['.detach', 'tf.stop_gradient', 'K.stop_gradient'], { kind: 'detach', params: ['x'] });
def(['K.switch', 'tf.where', 'torch.where', 'np.where', 'ops.where'], {
  kind: 'where',
  params: ['condition', 'x', 'y'],
});
def(['K.epsilon', 'keras.backend.epsilon', 'keras.config.epsilon'], { kind: 'epsilon', params: [] });

// Function forms of the arithmetic operators: `torch.div(a, b)` reads as `a / b`, `x.mul(y)` as `x * y`.
const binaryForms: Array<[string, string[]]> = [
  ['/', ['div', 'divide', 'true_divide']],
  ['*', ['mul', 'multiply']],
  ['+', ['add']],
  ['-', ['sub', 'subtract']],
];
for (const [sub, names] of binaryForms) {
  def(
    names.map((n) => `torch.${n}`),
    { kind: 'binary', sub, params: ['input', 'other'] },
  );
  def(
    names.map((n) => `.${n}`),
    { kind: 'binary', sub, params: ['other'] },
  );
  def(
    names.flatMap((n) => [`ops.${n}`, `np.${n}`]),
    { kind: 'binary', sub, params: ['x1', 'x2'] },
  );
}
def(['tf.divide', 'tf.truediv', 'tf.realdiv'], { kind: 'binary', sub: '/', params: ['x', 'y'] });
def(['tf.multiply'], { kind: 'binary', sub: '*', params: ['x', 'y'] });
def(['tf.add'], { kind: 'binary', sub: '+', params: ['x', 'y'] });
def(['tf.subtract'], { kind: 'binary', sub: '-', params: ['x', 'y'] });
def(['tf.divide_no_nan', 'ops.divide_no_nan'], {
  kind: 'binary',
  sub: '/',
  params: ['x', 'y'],
  nanSafe: true,
});

// Loss functions: argument roles and whether they apply the activation themselves.
def(['K.binary_crossentropy', 'K.categorical_crossentropy', 'K.sparse_categorical_crossentropy'], {
  kind: 'lossFn',
  params: ['target', 'output', 'from_logits'],
  truth: 'target',
  pred: 'output',
});
def(
  [
    'losses.binary_crossentropy',
    'losses.categorical_crossentropy',
    'losses.sparse_categorical_crossentropy',
    'losses.binary_focal_crossentropy',
    'keras.losses.binary_crossentropy',
    'metrics.binary_crossentropy',
  ],
  { kind: 'lossFn', params: ['y_true', 'y_pred', 'from_logits'], truth: 'y_true', pred: 'y_pred' },
);
def(['F.binary_cross_entropy', 'F.mse_loss', 'F.l1_loss', 'F.nll_loss', 'F.kl_div'], {
  kind: 'lossFn',
  params: ['input', 'target'],
  truth: 'target',
  pred: 'input',
});
def(['F.binary_cross_entropy_with_logits', 'F.cross_entropy'], {
  kind: 'lossFn',
  params: ['input', 'target'],
  truth: 'target',
  pred: 'input',
  takesLogits: true,
});
def(
  [
    'tf.sigmoid_cross_entropy_with_logits',
    'tf.softmax_cross_entropy_with_logits',
    'tf.sparse_softmax_cross_entropy_with_logits',
  ],
  {
    kind: 'lossFn',
    params: ['labels', 'logits'],
    truth: 'labels',
    pred: 'logits',
    takesLogits: true,
  },
);

/** Loss classes whose instances take logits (`nn.BCEWithLogitsLoss()(logits, target)`). */
export const LOGIT_LOSS_CLASSES = new Set(['nn.BCEWithLogitsLoss', 'nn.CrossEntropyLoss']);
/** Loss classes whose instances take probabilities unless `from_logits=True`. */
export const KERAS_LOSS_CLASSES = new Set([
  'losses.BinaryCrossentropy',
  'losses.CategoricalCrossentropy',
  'losses.SparseCategoricalCrossentropy',
  'losses.BinaryFocalCrossentropy',
]);

export function opSpec(canonical: string): OpSpec | undefined {
  return specs.get(canonical);
}

/** Every registered signature, by canonical name (for tests that check the op table covers them). */
export function registeredOpSpecs(): ReadonlyMap<string, OpSpec> {
  return specs;
}

export interface CallArgs {
  positional: SNode[];
  keywords: Map<string, SNode>;
  /** `*args` / `**kwargs` present: positions after it are unknown. */
  splat: boolean;
}

/** Argument lists never change for a node object (reused subtrees keep their content), so they are cached. */
const argsCache = new WeakMap<SNode, CallArgs>();

export function callArgs(tree: SyntaxTree, call: SNode): CallArgs {
  const cached = argsCache.get(call);
  if (cached) return cached;
  const out = computeCallArgs(tree, call);
  argsCache.set(call, out);
  return out;
}

function computeCallArgs(tree: SyntaxTree, call: SNode): CallArgs {
  const positional: SNode[] = [];
  const keywords = new Map<string, SNode>();
  let splat = false;
  const list = child(call, 'arguments');
  if (list && list.type === 'argument_list') {
    for (const a of namedChildren(list)) {
      if (a.type === 'keyword_argument') {
        const name = child(a, 'name');
        const value = child(a, 'value');
        if (name && value) keywords.set(textOf(tree, name), value);
      } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') splat = true;
      else positional.push(a);
    }
  } else if (list && list.type === 'generator_expression') positional.push(list);
  return { positional, keywords, splat };
}

/**
 * The argument bound to parameter `name` (positional index from the spec, or keyword). For a method spec the
 * receiver is not counted. The axis parameter is also found under its other spellings (axis/dim/dims).
 */
export function argFor(
  args: CallArgs,
  spec: OpSpec,
  name: string,
): { node: SNode; keyword: boolean } | undefined {
  const kwNames = AXIS_NAMES.includes(name) ? AXIS_NAMES : [name];
  for (const k of kwNames) {
    const v = args.keywords.get(k);
    if (v) return { node: v, keyword: true };
  }
  const index = spec.params.indexOf(name);
  if (index >= 0 && index < args.positional.length) return { node: args.positional[index], keyword: false };
  return undefined;
}

/** The name of the axis parameter of a spec ('axis', 'dim', ...). */
export function axisParam(spec: OpSpec): string | undefined {
  return spec.params.find((p) => AXIS_NAMES.includes(p));
}
