/**
 * The one expression SegLens sends in a DAP `evaluate` request, and the parsing of its reply. The expression is the
 * same for every request except for two base64 literals: the fixed helper (pythonHelper.ts) and the request as JSON.
 * The user's text is inside the JSON, so no quoting or bracket in it can change what runs around it; the helper
 * compiles it as one expression in the paused frame (docs/debugging.md, "What runs in your program").
 */
import { PYTHON_HELPER } from './pythonHelper';

/** Shows values: each expression is evaluated, measured, saved as `value<i>.npy` in `folder`. */
export interface ViewRequest {
  op: 'view';
  expressions: string[];
  /** Absolute folder on the debuggee's file system (the extension's temp folder). */
  folder: string;
  /** Total bytes (shape × itemsize, summed) above which nothing is converted or written. */
  limitBytes: number;
  /** When `folder` is not on the debuggee's file system: the most bytes sent inside the reply instead. @default 0 */
  inlineBytes?: number;
}

/** Calls `function` on the batch and on each image, saves prediction (value0.npy) and target (value1.npy). */
export interface LossRequest {
  op: 'loss';
  function: string;
  prediction: string;
  target: string;
  /** Whether the function takes the target first (Keras `fn(y_true, y_pred)`) or the prediction first. */
  targetFirst: boolean;
  folder: string;
  limitBytes: number;
  inlineBytes?: number;
}

export type DebugRequest = ViewRequest | LossRequest;

const REQUEST_VERSION = 1;
const REPLY_PREFIX = 'SEGLENS1:';

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * The Python expression for `request`: runs the helper in a fresh namespace and calls its `main` with the paused
 * frame's globals and locals (taken at the top level of the evaluated expression, where they are the frame's).
 */
export function evaluateExpression(request: DebugRequest): string {
  const helper = base64(PYTHON_HELPER);
  const data = base64(JSON.stringify({ version: REQUEST_VERSION, ...request }));
  return (
    `(lambda g, l: (lambda ns: (exec(__import__('base64').b64decode('${helper}').decode('utf-8'), ns), ` +
    `ns['main'](g, l, '${data}'))[1])({}))(globals(), locals())`
  );
}

/**
 * The JSON inside a reply, from the `result` string of an evaluate response. Debuggers show a str as its repr
 * (quoted), some without quotes; the prefix and the base64 alphabet find it either way.
 * @throws Error when the result holds no SegLens reply (e.g. the debugger answered with an error text).
 */
export function replyJson(result: string): unknown {
  const m = new RegExp(`${REPLY_PREFIX}([A-Za-z0-9+/=]+)`).exec(result);
  if (!m) {
    const shown = result.length > 300 ? `${result.slice(0, 300)}…` : result;
    throw new Error(`the debugger did not return SegLens' reply: ${shown}`);
  }
  return JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')) as unknown;
}
