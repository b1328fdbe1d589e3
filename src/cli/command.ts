/**
 * The contract every `seglens` subcommand implements. Exit codes follow docs/architecture.md §4:
 * 0 success, 1 the result is a failure (e.g. lint errors found), 2 bad usage or unreadable input, 3 internal
 * error (anything else a command throws; `--debug` prints its stack).
 */

export interface CliIO {
  /** Machine or human output (with --json only JSON goes here). */
  stdout(text: string): void;
  /** Messages, warnings and errors. */
  stderr(text: string): void;
  /** Working directory used to resolve relative paths. */
  cwd: string;
}

export interface CliCommand {
  name: string;
  /** One line for `seglens --help`. */
  summary: string;
  /** Full usage text for `seglens <name> --help`. */
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Bad usage: unknown flag, missing value. Reported on stderr with exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
