/**
 * What a tensor from a paused training step probably is — an image, a ground-truth mask, probabilities or logits —
 * from its dtype, its values and its name (docs/debugging.md, "Roles"). Pure. The values decide first (a tensor
 * with negative values is not a probability map, whatever its name); the name decides between what the values
 * allow (`y_true` of floats 0/1 is a mask, `y_pred` of floats 0/1 is probabilities). The user can change the role
 * in the viewer.
 */

export type TensorRole = 'image' | 'mask' | 'prob' | 'logits';

export interface TensorFacts {
  /** The expression or variable name, e.g. "y_true", "batch['mask']", "outputs.logits". */
  name: string;
  /** NumPy dtype name, e.g. "float32", "uint8", "bool". */
  dtype: string;
  min?: number;
  max?: number;
  /** Distinct values (counted up to 257). */
  distinct?: number;
  /** The distinct values, when few. */
  values?: readonly number[];
}

export interface RoleGuess {
  role: TensorRole;
  /** One sentence: which facts decided. */
  why: string;
}

const NAME_HINTS: readonly [TensorRole, RegExp][] = [
  ['logits', /logit/i],
  ['mask', /(^|[^a-z])(y_?true|true|targets?|gts?|ground_?truth|masks?|labels?|seg|annotations?)([^a-z]|$)/i],
  [
    'prob',
    /(^|[^a-z])(y_?pred|preds?|predictions?|probs?|probabilit(y|ies)|outputs?|out|sigmoid|softmax|scores?)([^a-z]|$)/i,
  ],
  ['image', /(^|[^a-z])(x|images?|imgs?|inputs?|pixels?|scans?|slices?|volumes?|batch_x|x_batch)([^a-z]|$)/i],
];

/** The role the name suggests, if any (the last path component counts most: `batch['mask']` is a mask). */
export function roleFromName(name: string): TensorRole | undefined {
  const parts = name.split(/[.[\]'"()\s,]+/).filter(Boolean);
  for (const part of [...parts].reverse()) {
    for (const [role, re] of NAME_HINTS) if (re.test(part)) return role;
  }
  return undefined;
}

const isInteger = (dtype: string): boolean => /^(u?int\d+|bool)$/.test(dtype);

export function guessRole(facts: TensorFacts): RoleGuess {
  const hint = roleFromName(facts.name);
  const { min, max } = facts;
  const named = (role: TensorRole) => hint === role;
  if (min === undefined || max === undefined) {
    return { role: hint ?? 'image', why: 'no finite values; chosen by name' };
  }
  const integral =
    isInteger(facts.dtype) || (facts.values !== undefined && facts.values.every((v) => Number.isInteger(v)));
  const fewLabels = integral && facts.distinct !== undefined && facts.distinct <= 32 && min >= 0;
  if (min < 0 || max > 1) {
    if (fewLabels && !named('image')) return { role: 'mask', why: `few integer labels (${facts.distinct})` };
    if (min < 0 && !named('image') && !isInteger(facts.dtype)) {
      return {
        role: 'logits',
        why: `negative values (min ${min.toPrecision(3)}): scores before a sigmoid or softmax`,
      };
    }
    if (named('logits')) return { role: 'logits', why: 'values outside [0, 1], named like logits' };
    return { role: 'image', why: `values from ${min} to ${max}` };
  }
  // Everything in [0, 1].
  if (fewLabels && facts.distinct !== undefined && facts.distinct <= 2) {
    if (named('prob')) return { role: 'prob', why: 'only 0 and 1, named like a prediction' };
    if (named('image')) return { role: 'image', why: 'only 0 and 1, named like an image' };
    return { role: 'mask', why: 'only the values 0 and 1' };
  }
  if (named('image')) return { role: 'image', why: 'values in [0, 1], named like an image' };
  if (named('mask')) return { role: 'mask', why: 'named like a mask (values in [0, 1]: soft labels)' };
  return { role: 'prob', why: 'values in [0, 1]' };
}
