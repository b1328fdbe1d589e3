/**
 * Messages between the lint service (extension host) and the lint worker thread. The linter runs off the extension
 * host's thread because a large file can take seconds to lint, and nothing may hold that thread for more than
 * 100 ms (docs/architecture.md §7). Everything here is plain data (structured clone).
 */
import type { Finding, LintOptions, TextChange } from '../../core/lint/types';

export type LintRequest =
  | {
      type: 'lint';
      id: number;
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
  | { type: 'close'; key: string };

export type LintReply =
  | {
      type: 'result';
      id: number;
      findings: Finding[];
      hasSyntaxErrors: boolean;
      ms: number;
      incremental: boolean;
    }
  | { type: 'error'; id: number; message: string };
