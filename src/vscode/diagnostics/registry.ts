/**
 * The rule registry, loaded on first use. Importing the linter's public index at activation would evaluate the
 * whole linter, web-tree-sitter's glue included (5–25 ms on a busy 2-core machine), although the editor needs the
 * registry only once a Python file is linted; the lint itself runs in the worker thread.
 */
import type { RuleInfo } from '../../core/lint/types';

let rules: readonly RuleInfo[] | undefined;

export function ruleRegistry(): readonly RuleInfo[] {
  // A require() call (instead of an import) makes esbuild evaluate the module only when this runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  rules ??= (require('../../core/lint') as typeof import('../../core/lint')).RULES;
  return rules;
}
