/**
 * Test helpers for the metric suites: running the CLI in process and comparing results with the fixtures'
 * tolerance rules (test/fixtures/metrics/README.md "How to compare").
 */
import * as assert from 'node:assert/strict';
import { main } from '../../../../src/cli/main';
import { CliIO } from '../../../../src/cli/command';

export async function runCli(
  argv: string[],
  cwd = process.cwd(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

/**
 * Compares `actual` with `expected` (both JSON values as parsed, non-finite numbers as strings): integers,
 * strings, booleans and nulls exactly, reals within 1e-9·max(1, |expected|), objects with the same key sets.
 * Returns the list of differences (empty = match) so a test can report all of them at once.
 */
export function compareJson(actual: unknown, expected: unknown, path = '$', out: string[] = []): string[] {
  if (out.length > 40) return out;
  if (typeof expected === 'number') {
    const a = typeof actual === 'string' && NON_FINITE.has(actual) ? Number(actual) : actual;
    if (typeof a !== 'number') out.push(`${path}: expected ${expected}, got ${JSON.stringify(actual)}`);
    else if (Number.isInteger(expected) && Number.isInteger(a) && a !== expected)
      out.push(`${path}: ${a} ≠ ${expected}`);
    else if (!(Math.abs(a - expected) <= 1e-9 * Math.max(1, Math.abs(expected))))
      out.push(`${path}: ${a} ≠ ${expected}`);
  } else if (typeof expected === 'string' || typeof expected === 'boolean' || expected === null) {
    if (actual !== expected)
      out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(
        `${path}: expected an array of ${expected.length}, got ${JSON.stringify(actual)?.slice(0, 100)}`,
      );
    } else expected.forEach((e, i) => compareJson(actual[i], e, `${path}[${i}]`, out));
  } else if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      out.push(`${path}: expected an object, got ${JSON.stringify(actual)?.slice(0, 100)}`);
      return out;
    }
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!(k in a)) out.push(`${path}.${k}: missing`);
      else compareJson(a[k], e[k], `${path}.${k}`, out);
    }
    for (const k of Object.keys(a)) if (!(k in e)) out.push(`${path}.${k}: unexpected key`);
  }
  return out;
}

export function assertMatches(actual: unknown, expected: unknown, label: string): void {
  const diffs = compareJson(actual, expected);
  assert.deepEqual(diffs, [], `${label}: ${diffs.length} differences`);
}
