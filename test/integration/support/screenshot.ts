// Screenshots of the workbench are taken by the launcher (it owns the browser); the suite asks for one by printing a
// marker line and waits until the launcher acknowledges it, so the picture shows the state the test is in.
import { existsSync } from 'node:fs';
import { log, logFile } from './log';

/** The marker the launcher looks for at the start of a log line. */
export const SCREENSHOT_MARKER = 'SCREENSHOT ';

const NAME = /^[A-Za-z0-9._-]{1,80}$/;

/**
 * Asks the launcher for a screenshot saved as `test-output/screenshots/<name>.png` and resolves once it was written.
 * Without a launcher that takes screenshots (e.g. under @vscode/test-electron) it resolves at once and returns false.
 */
export async function requestScreenshot(name: string, timeoutMs = 20_000): Promise<boolean> {
  if (!NAME.test(name)) {
    throw new RangeError(
      `screenshot name ${JSON.stringify(name)} must be 1-80 characters of A-Z a-z 0-9 . _ -`,
    );
  }
  if (!logFile || process.env.SEGLENS_TEST_SCREENSHOTS !== '1') return false;
  const ack = `${logFile}.screenshot-${name}.done`;
  log(`${SCREENSHOT_MARKER}${name}`);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(ack)) {
    if (Date.now() > deadline)
      throw new Error(`the launcher did not take screenshot ${name} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
