/** Helpers shared by several rules (iteration over analysed functions, backend-specific spellings). */
import type { FunctionEval } from '../engine';
import type { FunctionInfo } from '../module';
import type { RuleContext } from '../rule';
import { canonicalPath } from '../imports';
import { child, textOf, type SNode } from '../syntax';

/** Every function of the module plus the module body, with its analysis. */
export function eachFunction(
  ctx: RuleContext,
  cb: (fn: FunctionInfo, ev: FunctionEval) => void,
  withModule = false,
): void {
  ctx.forEachFunction(cb, withModule);
}

/** The module alias as written before the last dot (`tf.math.log` -> "tf.math", `K.log` -> "K"). */
export function calleeHead(
  ctx: RuleContext,
  call: SNode,
): { head: string; canonical?: string; method: boolean } {
  const f = child(call, 'function');
  if (!f) return { head: '', method: false };
  const canonical = ctx.model.resolve(f);
  if (f.type === 'attribute') {
    const obj = child(f, 'object');
    const text = obj ? textOf(ctx.model.tree, obj) : '';
    return { head: canonical ? text.split('.')[0] : text, canonical, method: !canonical };
  }
  return { head: '', canonical, method: false };
}

/** The smallest float32-safe epsilon literal used in fixes. */
export const EPS = '1e-7';

/** The local name bound to a canonical module ("K", "tf", "torch", "np"), if the module imports it. */
export function aliasFor(ctx: RuleContext, canonical: string): string | undefined {
  for (const [local, path] of ctx.model.aliases) if (canonicalPath(path) === canonical) return local;
  return undefined;
}
