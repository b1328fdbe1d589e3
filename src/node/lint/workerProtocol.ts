/**
 * The methods of the lint worker thread, served over the worker RPC (../workers/rpc.ts). The linter runs off the
 * extension host's thread because a large file can take seconds to lint, and nothing may hold that thread for more
 * than 100 ms (docs/architecture.md §7). Everything here is plain data (structured clone).
 */
import type { Finding, LintOptions, TextChange } from '../../core/lint/types';

export interface LintInput {
  /** The document (or notebook) the worker keeps a tree for. */
  key: string;
  text: string;
  options: LintOptions;
  /**
   * Edits that turn the text of the worker's last tree for `key` into `text`; undefined: parse from scratch
   * (and keep no tree when `keep` is false, e.g. for notebooks whose joined text has no stable edits).
   */
  edits?: TextChange[];
  keep: boolean;
}

export interface LintResult {
  findings: Finding[];
  hasSyntaxErrors: boolean;
  ms: number;
  /** The tree was updated from the previous one rather than parsed from scratch. */
  incremental: boolean;
}

export type LintMethods = {
  lint: { input: LintInput; output: LintResult };
  /** Frees the tree kept for `key`. */
  close: { input: { key: string }; output: void };
};
