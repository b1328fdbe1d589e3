/**
 * Command ids and setting keys of the loss-code lint features. Kept free of `vscode` so plain-node tests can
 * check them against package.json.
 */
export const LINT_COMMANDS = {
  lintCurrentFile: 'seglens.lint.currentFile',
  showRuleDocs: 'seglens.lint.showRuleDocs',
  showOutput: 'seglens.lint.showOutput',
} as const;

export const LINT_COMMAND_IDS = Object.values(LINT_COMMANDS);
export type LintCommandId = (typeof LINT_COMMAND_IDS)[number];

/** Every setting under `seglens.lint.*` the host reads (the manifest test checks each one is contributed). */
export const LINT_SETTING_KEYS = [
  'enable',
  'layout',
  'rules',
  'maxFileLength',
  'targetsCanBeEmpty',
  'oversizedSmooth',
  'meanSmoothThreshold',
] as const;
export type LintSettingKey = (typeof LINT_SETTING_KEYS)[number];

/** The `source` of every diagnostic, as the Problems panel shows it. */
export const DIAGNOSTIC_SOURCE = 'SegLens';
