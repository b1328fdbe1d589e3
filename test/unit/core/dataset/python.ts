/**
 * Runs a NumPy/SciPy reference script with the system Python (/usr/bin/python3, where Debian's python3-numpy and
 * python3-scipy live; CI installs them). Input and output are JSON. `available()` says whether the modules import,
 * so a suite can skip with a clear message instead of failing on a machine without them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

export function pythonAvailable(modules: string[]): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore', timeout: 60000 });
    return true;
  } catch {
    return false;
  }
}

/** Runs `script` with the JSON of `input` on stdin and returns the JSON it prints. */
export function runPython<T>(script: string, input: unknown): T {
  const out = execFileSync(PYTHON, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    timeout: 120000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as T;
}
