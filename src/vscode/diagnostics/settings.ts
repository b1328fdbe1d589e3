/**
 * Parses the `seglens.lint.*` settings into linter options. Every value is checked here, so a hand-edited
 * settings.json with a wrong type or an unknown rule falls back to the documented default and says so (the
 * problems go to the log) instead of reaching the linter or silently doing nothing.
 */
import type { Layout, LintOptions, RuleInfo, RuleSetting } from '../../core/lint/types';
import type { LintSettingKey } from './ids';

export interface LintSettings {
  /** Lint Python files and notebook cells as they are edited. @default true */
  enable: boolean;
  options: LintOptions;
  /** One sentence per setting that was ignored, naming the setting and the value. */
  problems: string[];
}

export const LAYOUT_CHOICES = ['auto', 'NHWC', 'NCHW', 'NDHWC', 'NCDHW'] as const;
const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'error', 'warning', 'info'];

/**
 * The editor's default size cap, in UTF-16 units (about 30,000 lines of typical code, a few seconds of lint in the
 * worker). Lower than the core's own default: hand-written losses are small, and a generated file that large
 * would keep the worker busy while the user types in the files that matter.
 */
export const DEFAULT_MAX_FILE_LENGTH = 1_000_000;
/** The setting's maximum (package.json says the same): the CLI's own byte cap for lint. */
export const MAX_FILE_LENGTH_CEILING = 2 * 1024 * 1024;

export const LINT_DEFAULTS = {
  enable: true,
  layout: 'auto',
  rules: {},
  maxFileLength: DEFAULT_MAX_FILE_LENGTH,
  targetsCanBeEmpty: true,
  oversizedSmooth: 10,
  meanSmoothThreshold: 1e-3,
  // Read by the whole-workspace pass (workspaceLint.ts), not by the linter: off, because on a large repository the
  // pass is minutes of one core at start-up that the user did not ask for.
  workspaceOnOpen: false,
} as const satisfies Record<LintSettingKey, unknown>;

function describe(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Reads the settings through `get` (a key relative to `seglens.lint`, e.g. `layout`); `undefined` means unset.
 * `rules` is the registry, used to accept rule ids and names and to reject typos.
 */
export function parseLintSettings(
  get: (key: LintSettingKey) => unknown,
  rules: readonly RuleInfo[],
): LintSettings {
  const problems: string[] = [];
  const bad = (key: LintSettingKey, v: unknown, want: string): void => {
    problems.push(`seglens.lint.${key}: ${describe(v)} is not ${want}; using the default`);
  };

  const enableRaw = get('enable');
  let enable: boolean = LINT_DEFAULTS.enable;
  if (typeof enableRaw === 'boolean') enable = enableRaw;
  else if (enableRaw !== undefined) bad('enable', enableRaw, 'true or false');

  const layoutRaw = get('layout');
  let layout: Layout | 'auto' = 'auto';
  if (typeof layoutRaw === 'string') {
    const normalised = layoutRaw.trim().toLowerCase() === 'auto' ? 'auto' : layoutRaw.trim().toUpperCase();
    const hit = LAYOUT_CHOICES.find((c) => c === normalised);
    if (hit) layout = hit;
    else bad('layout', layoutRaw, `one of ${LAYOUT_CHOICES.join(', ')}`);
  } else if (layoutRaw !== undefined) bad('layout', layoutRaw, `one of ${LAYOUT_CHOICES.join(', ')}`);

  const ruleMap: Record<string, RuleSetting> = {};
  const rulesRaw = get('rules');
  if (
    rulesRaw !== undefined &&
    (typeof rulesRaw !== 'object' || rulesRaw === null || Array.isArray(rulesRaw))
  ) {
    bad('rules', rulesRaw, 'an object such as {"LL102": "warning", "LL306": "off"}');
  } else if (rulesRaw) {
    const byKey = new Map<string, string>();
    for (const r of rules) {
      byKey.set(r.id.toUpperCase(), r.id);
      byKey.set(r.name.toLowerCase(), r.id);
    }
    for (const [key, value] of Object.entries(rulesRaw as Record<string, unknown>)) {
      const id = byKey.get(key.toUpperCase()) ?? byKey.get(key.toLowerCase());
      if (!id) {
        problems.push(`seglens.lint.rules: unknown rule ${describe(key)}; ignored`);
        continue;
      }
      const setting = typeof value === 'string' ? value.trim().toLowerCase() : value;
      const hit = RULE_SETTINGS.find((s) => s === setting);
      if (!hit) {
        problems.push(
          `seglens.lint.rules.${key}: ${describe(value)} is not one of ${RULE_SETTINGS.join(', ')}; ignored`,
        );
        continue;
      }
      // Keyed by id so that an id and a name given for the same rule cannot disagree silently: the last wins.
      ruleMap[id] = hit;
    }
  }

  const positive = (key: LintSettingKey, fallback: number, integer: boolean): number => {
    const v = get(key);
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v))) return v;
    bad(key, v, integer ? 'a positive integer' : 'a positive number');
    return fallback;
  };
  let maxLength = positive('maxFileLength', LINT_DEFAULTS.maxFileLength, true);
  if (maxLength > MAX_FILE_LENGTH_CEILING) {
    bad('maxFileLength', maxLength, `at most ${MAX_FILE_LENGTH_CEILING}`);
    maxLength = MAX_FILE_LENGTH_CEILING;
  }
  const oversizedSmooth = positive('oversizedSmooth', LINT_DEFAULTS.oversizedSmooth, false);
  const meanSmoothThreshold = positive('meanSmoothThreshold', LINT_DEFAULTS.meanSmoothThreshold, false);

  const emptyRaw = get('targetsCanBeEmpty');
  let targetsCanBeEmpty: boolean = LINT_DEFAULTS.targetsCanBeEmpty;
  if (typeof emptyRaw === 'boolean') targetsCanBeEmpty = emptyRaw;
  else if (emptyRaw !== undefined) bad('targetsCanBeEmpty', emptyRaw, 'true or false');

  return {
    enable,
    options: { layout, rules: ruleMap, maxLength, oversizedSmooth, meanSmoothThreshold, targetsCanBeEmpty },
    problems,
  };
}
