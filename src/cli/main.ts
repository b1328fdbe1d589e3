#!/usr/bin/env node
/**
 * `seglens` — the headless face of the SegLens core (docs/architecture.md §4).
 * Each subcommand lives in its own file under ./commands and is listed in COMMANDS below.
 *
 * Start-up (issue 13): the table holds loaders, not modules, so `seglens --version` loads no command and
 * `seglens lint` loads only the lint command — a pre-commit hook pays node's own start-up and little more.
 * Native modules (onnxruntime, sharp) are loaded later still, by the code that runs a model or reads an image.
 */
import { InputError, OptionError, errorMessage } from '../core/errors';
import { CliCommand, CliIO, UsageError } from './command';

declare const SEGLENS_VERSION: string;
const VERSION = typeof SEGLENS_VERSION === 'string' ? SEGLENS_VERSION : 'dev';

/** One row of the command table: the name, and how to load the command's module when it is run. */
interface CommandRow {
  name: string;
  load(): CliCommand;
}

// A plain require inside each loader: esbuild.mjs turns each into a run-time require of the command's own bundle
// (dist/cli-<name>.js), so dist/cli.js itself is only this table; under tsx (the tests) it resolves like the
// static imports it replaces.
/* eslint-disable @typescript-eslint/no-require-imports */
/** The command table, in help order. Add a subcommand by listing its name and its module's loader here. */
const COMMANDS: CommandRow[] = [
  {
    name: 'metrics',
    load: () => (require('./commands/metrics') as typeof import('./commands/metrics')).metricsCommand,
  },
  { name: 'eval', load: () => (require('./commands/eval') as typeof import('./commands/eval')).evalCommand },
  {
    name: 'merge',
    load: () => (require('./commands/merge') as typeof import('./commands/merge')).mergeCommand,
  },
  { name: 'run', load: () => (require('./commands/run') as typeof import('./commands/run')).runCommand },
  { name: 'lint', load: () => (require('./commands/lint') as typeof import('./commands/lint')).lintCommand },
  {
    name: 'decode',
    load: () => (require('./commands/decode') as typeof import('./commands/decode')).decodeCommand,
  },
];
/* eslint-enable @typescript-eslint/no-require-imports */

function helpText(): string {
  const commands = COMMANDS.map((c) => c.load());
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `seglens ${VERSION} — segmentation debugging from the command line`,
    '',
    'Usage: seglens <command> [options]',
    '',
    'Commands:',
    ...(lines.length ? lines : ['  (none yet)']),
    '',
    'Options: --help, --version, --debug (stack traces of internal errors). Every command accepts --json',
    '(machine output on stdout).',
    'Exit codes: 0 success, 1 the result is a failure (e.g. lint errors), 2 bad usage or unreadable input,',
    '3 internal error (a bug in seglens: please report it with the output of --debug).',
  ].join('\n');
}

export async function main(argvIn: string[], io: CliIO): Promise<number> {
  // --debug is the tool's own flag, valid with every command: it only adds stack traces to internal errors.
  const debug = argvIn.includes('--debug');
  const argv = argvIn.filter((a) => a !== '--debug');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const row = COMMANDS.find((c) => c.name === name);
  if (!row) {
    io.stderr(`seglens: unknown command '${name}'. Run 'seglens --help' for the list.\n`);
    return 2;
  }
  const cmd = row.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(cmd.usage.trimEnd() + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`seglens ${name}: ${e.message}\n\n${cmd.usage.trimEnd()}\n`);
      return 2;
    }
    if (e instanceof InputError || e instanceof OptionError) {
      io.stderr(`seglens ${name}: ${e.message}\n`);
      return 2;
    }
    // Not the user's input: a bug of ours. A short message, the stack only when asked for.
    const stack = debug && e instanceof Error && e.stack ? `${e.stack}\n` : '';
    io.stderr(
      `seglens ${name}: internal error: ${errorMessage(e)}${debug ? '' : ' (run again with --debug for details)'}\n${stack}`,
    );
    return 3;
  }
}

if (require.main === module) {
  const io: CliIO & { stderrIsTTY: boolean } = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    // Commands show progress lines only on a terminal (seglens eval).
    stderrIsTTY: process.stderr.isTTY === true,
  };
  // A reader that stops early (`seglens lint … | head`) closes the pipe: that ends the output, it is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`seglens: internal error: ${errorMessage(e)}\n`);
      process.exitCode = 3;
    },
  );
}
