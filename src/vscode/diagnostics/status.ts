/**
 * What the status-bar item says, like ESLint's: whether the linter is loading, ran, found something, is switched
 * off or failed, and where a click leads (the Problems panel when there is something to see, else the log).
 */
import type { Finding } from '../../core/lint/types';
import { LINT_COMMANDS } from './ids';

export type LintState =
  | { kind: 'loading' }
  | { kind: 'disabled' }
  | { kind: 'failed'; error: string }
  | { kind: 'linted'; findings: readonly Finding[]; ms: number; tooLarge: boolean };

export interface StatusView {
  text: string;
  tooltip: string;
  command: string;
  /** Use the warning background (VS Code's `statusBarItem.warningBackground`). */
  warn: boolean;
}

const PROBLEMS_COMMAND = 'workbench.actions.view.problems';

export function statusView(state: LintState): StatusView {
  switch (state.kind) {
    case 'loading':
      return {
        text: '$(sync~spin) SegLens',
        tooltip: 'SegLens loss lint: loading the Python parser…',
        command: LINT_COMMANDS.showOutput,
        warn: false,
      };
    case 'disabled':
      return {
        text: '$(circle-slash) SegLens',
        tooltip: 'SegLens loss lint is off (setting seglens.lint.enable). Click for the log.',
        command: LINT_COMMANDS.showOutput,
        warn: false,
      };
    case 'failed':
      return {
        text: '$(error) SegLens',
        tooltip: `SegLens loss lint failed: ${state.error}. Click for the log.`,
        command: LINT_COMMANDS.showOutput,
        warn: true,
      };
    case 'linted': {
      if (state.tooLarge) {
        return {
          text: '$(warning) SegLens',
          tooltip:
            'SegLens loss lint skipped this file: it is over the size limit (seglens.lint.maxFileLength).',
          command: PROBLEMS_COMMAND,
          warn: false,
        };
      }
      const n = (s: Finding['severity']): number => state.findings.filter((f) => f.severity === s).length;
      const errors = n('error');
      const warnings = n('warning');
      const infos = n('info');
      const total = errors + warnings + infos;
      const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info`;
      return {
        text: total === 0 ? '$(check) SegLens' : `$(${errors ? 'error' : 'warning'}) SegLens ${total}`,
        tooltip: `SegLens loss lint: ${total === 0 ? 'no findings' : counts} (${Math.round(state.ms)} ms). ${
          total === 0 ? 'Click for the log.' : 'Click to open the Problems panel.'
        }`,
        command: total === 0 ? LINT_COMMANDS.showOutput : PROBLEMS_COMMAND,
        warn: false,
      };
    }
  }
}
