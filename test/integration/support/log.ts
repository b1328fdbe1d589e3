// The extension host swallows console.log (it is neither forwarded to the launcher nor wrappable), so everything
// the suite wants the developer to see goes through this helper. Under the offline harness the launcher passes a
// file path in SEGLENS_TEST_LOG and streams that file; under @vscode/test-electron stdout reaches the terminal.
import { appendFileSync } from 'node:fs';

/** Path of the file the launcher streams, or undefined when the suite should write to stdout. */
export const logFile: string | undefined = process.env.SEGLENS_TEST_LOG || undefined;

/** Writes one line (or several joined by newlines) where the developer running the tests will see it. */
export function log(text: string): void {
  const line = text.endsWith('\n') ? text : `${text}\n`;
  if (logFile) {
    // Synchronous appends keep lines ordered and survive the host being torn down right after the run.
    appendFileSync(logFile, line);
  } else {
    process.stdout.write(line);
  }
}
