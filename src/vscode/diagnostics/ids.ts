/**
 * Names for the loss-code lint's commands (their rows are in the extension's one command list,
 * src/vscode/commands/ids.ts) and the lint's setting keys. Kept free of `vscode` so plain-node tests can check them
 * against package.json.
 */
import type { CommandsOf } from '../commands/ids';

export const LINT_COMMANDS = {
  lintCurrentFile: 'seglens.lint.currentFile',
  showRuleDocs: 'seglens.lint.showRuleDocs',
  showOutput: 'seglens.lint.showOutput',
  lintWorkspace: 'seglens.lint.workspace',
} as const satisfies Record<string, CommandsOf<'lint'>>;

/** Every setting under `seglens.lint.*` the host reads (the manifest test checks each one is contributed). */
export const LINT_SETTING_KEYS = [
  'enable',
  'layout',
  'rules',
  'maxFileLength',
  'targetsCanBeEmpty',
  'oversizedSmooth',
  'meanSmoothThreshold',
  'workspaceOnOpen',
] as const;
export type LintSettingKey = (typeof LINT_SETTING_KEYS)[number];

/** The `source` of every diagnostic, as the Problems panel shows it. */
export const DIAGNOSTIC_SOURCE = 'SegLens';
