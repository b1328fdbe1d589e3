/**
 * The rule registry, in the catalog's rollout order. Add a rule by creating `LLxxx_<name>.ts` next to this file
 * (exporting `info` and `rule`), its page `docs/rules/LLxxx.md`, fixtures `test/fixtures/lint/LLxxx_bad.py` and
 * `LLxxx_good.py`, and one line below; the registry tests check the rest.
 */
import type { Rule } from '../rule';
import type { RuleInfo } from '../types';
import { rule as LL101 } from './LL101_overlapReducedOverWrongAxes';

export const ALL_RULES: readonly Rule[] = [LL101];

/** Public registry: id, name, default severity, docs path, summary. */
export const RULES: readonly RuleInfo[] = ALL_RULES.map((r) => r.info);
