// A spec-style mocha reporter that writes through the log helper (so its lines reach the launcher from inside the
// extension host) and ends with a machine-readable result file. The same reporter counts the plain-node suites
// (`mocha --reporter test/integration/support/reporter.ts`), so `npm test` sums every suite the same way.
import { writeFileSync } from 'node:fs';
import type { Runner, Suite, Test, Hook } from 'mocha';
import { log } from './log';

/** What a finished run reports; `failures` lists full test titles with their first error line. */
export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
}

/** The marker in front of the one-line JSON result at the end of the log (the result file is the primary copy). */
export const RESULT_MARKER = 'SEGLENS_RESULT ';

interface ReporterOptions {
  /** File to write the JSON result to; falls back to env SEGLENS_TEST_RESULT. */
  result?: string;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    // Node's assert puts the diff in the message; the stack repeats the message, so print the stack once.
    return err.stack ?? `${err.name}: ${err.message}`;
  }
  return String(err);
}

/** Mocha reporter class: mocha constructs it with the runner and `{ reporterOption }`. */
class SegLensReporter {
  constructor(
    runner: Runner,
    options: { reporterOption?: ReporterOptions; reporterOptions?: ReporterOptions } = {},
  ) {
    const opts = options.reporterOption ?? options.reporterOptions ?? {};
    const resultFile = opts.result ?? process.env.SEGLENS_TEST_RESULT;
    const result: SuiteResult = { passed: 0, failed: 0, pending: 0, failures: [] };
    const details: string[] = [];
    let depth = 0;
    const started = Date.now();
    const pad = (): string => '  '.repeat(depth);

    runner.on('suite', (suite: Suite) => {
      if (suite.root) return;
      depth++;
      log(`${pad()}${suite.title}`);
    });
    runner.on('suite end', (suite: Suite) => {
      if (!suite.root) depth--;
    });
    runner.on('pass', (test: Test) => {
      result.passed++;
      const slow = test.duration !== undefined && test.duration > test.slow() ? ` (${test.duration} ms)` : '';
      log(`${pad()}  ✓ ${test.title}${slow}`);
    });
    runner.on('pending', (test: Test) => {
      result.pending++;
      log(`${pad()}  - ${test.title} (pending)`);
    });
    runner.on('fail', (test: Test | Hook, err: unknown) => {
      result.failed++;
      const title = test.fullTitle();
      const text = errorText(err);
      result.failures.push({ title, error: text.split('\n')[0] ?? '' });
      log(`${pad()}  ${result.failed}) ${test.title}`);
      details.push(`  ${result.failed}) ${title}\n${text.replace(/^(?=.)/gm, '     ')}`);
    });
    runner.once('end', () => {
      log('');
      log(`  ${result.passed} passing (${Date.now() - started} ms)`);
      if (result.pending) log(`  ${result.pending} pending`);
      if (result.failed) {
        log(`  ${result.failed} failing`);
        log('');
        log(details.join('\n\n'));
      }
      log(`${RESULT_MARKER}${JSON.stringify(result)}`);
      if (resultFile) writeFileSync(resultFile, JSON.stringify(result));
    });
  }
}

export default SegLensReporter;
