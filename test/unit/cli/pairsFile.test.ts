import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePairs } from '../../../src/cli/pairsFile';
import { InputError } from '../../../src/core/errors';
import { useTempDir } from '../../support/tempDir';

describe('cli: the --pairs file', () => {
  const tmp = useTempDir('seglens-pairs');
  const io = (): { stdout(): void; stderr(): void; cwd: string } => ({
    stdout: () => undefined,
    stderr: () => undefined,
    cwd: tmp.path,
  });
  const refusal = (entries: unknown): string => {
    writeFileSync(join(tmp.path, 'p.json'), JSON.stringify(entries));
    try {
      parsePairs('p.json', io());
    } catch (e) {
      assert.ok(e instanceof InputError);
      return e.message;
    }
    return assert.fail('expected a refusal');
  };

  it('a misspelt key is refused with its name, not ignored (a typo would drop the calibration input)', () => {
    assert.match(
      refusal([{ id: 'a', gt: 'g.png', pred: 'p.png', porb: 'x.npy' }]),
      /entry 0 has unknown key\(s\) "porb"/,
    );
  });

  it('an id must be a string or a number (an object would print as [object Object])', () => {
    assert.match(
      refusal([{ id: { x: 1 }, gt: 'g.png', pred: 'p.png' }]),
      /entry 0: "id" must be a string or a number/,
    );
  });

  it('reads ids, resolves paths beside the pairs file and keeps spacing', () => {
    writeFileSync(
      join(tmp.path, 'p.json'),
      JSON.stringify([{ id: 7, gt: 'g.png', pred: 'p.png', spacing: [1, 2] }]),
    );
    const [e] = parsePairs('p.json', io());
    assert.equal(e!.id, '7');
    assert.equal(e!.gt, join(tmp.path, 'g.png'));
    assert.deepEqual(e!.spacing, [1, 2]);
  });
});
