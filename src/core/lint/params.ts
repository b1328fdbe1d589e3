/**
 * Which parameter of a loss or metric is the prediction, which the target, and which names read as a smoothing
 * constant: the naming conventions of public segmentation code, used to seed the axis engine (engine.ts).
 */
import type { FunctionInfo } from './module';

const PRED_NAME =
  /^(y_?pred\w*|y_?hat|yhat|preds?|predictions?|predicted|pred_\w+|\w+_pred|outputs?|out|logits?|\w*_logits?|probs?|probas?|probabilities|\w*_probs?|inputs?|input_tensor|scores?|net_output|y_?pr|pr|p|y_?p|seg_out|x)$/i;
const TRUE_NAME =
  /^(y_?true\w*|y|t|targets?|target_\w+|\w+_target|masks?|\w+_mask|mask_\w+|gts?|gt_\w+|\w+_gt|ground_?truth|labels?|\w+_labels?|y_?gt|truth|true|one_?hot\w*|ref|reference|y_?t)$/i;
export const SMOOTH_NAME =
  /^(smooth\w*|eps\w*|epsilon|s|laplace|_?smooth|self\.\w*(smooth|eps)\w*|\w*_eps|\w*_smooth)$/i;

/** Which parameters of a function are the prediction and the target. */
export function classifyParams(fn: FunctionInfo): { pred?: string; truth?: string; others: string[] } {
  let pred: string | undefined;
  let truth: string | undefined;
  const tensorish = fn.params.filter((p) => !p.default && !/^(self|cls|\*)/.test(p.name));
  for (const p of tensorish) {
    if (!truth && TRUE_NAME.test(p.name)) truth = p.name;
    else if (!pred && PRED_NAME.test(p.name)) pred = p.name;
  }
  // Unnamed pairs follow the framework's convention: Keras (y_true, y_pred), PyTorch (input, target).
  if ((!pred || !truth) && tensorish.length >= 2 && fn.role !== 'helper') {
    const [a, b] = tensorish;
    if (!pred && !truth) {
      if (fn.family === 'keras') {
        truth = a.name;
        pred = b.name;
      } else {
        pred = a.name;
        truth = b.name;
      }
    } else if (!pred) pred = [a, b].find((p) => p.name !== truth)?.name;
    else if (!truth) truth = [a, b].find((p) => p.name !== pred)?.name;
  }
  return { pred, truth, others: tensorish.map((p) => p.name).filter((n) => n !== pred && n !== truth) };
}
