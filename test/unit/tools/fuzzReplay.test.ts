import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parserFor, replay } from '../../../tools/fuzz/replay';
import { repoPath } from '../../support/repo';
import { useTempDir } from '../../support/tempDir';

describe('tools/fuzz/replay: a saved fuzz input through its parser', () => {
  const tmp = useTempDir('seglens-replay');

  it('picks the parser from the saved name (longest prefix) and reports parsed, refused or thrown', () => {
    assert.equal(parserFor('/x/npy-headers-seed5-3.bin'), 'npy');
    assert.equal(parserFor('npz-loader-seed1-0.bin'), 'npz-loader');
    assert.equal(parserFor('nrrd-mha-text-seed1-0.bin'), 'nrrd-mha');
    assert.equal(parserFor('other.bin'), undefined);

    const png = join(tmp.path, 'png-mutated-seed1-0.bin');
    writeFileSync(png, readFileSync(repoPath('test/fixtures/io/grey8.png')));
    assert.match(replay(png), /^png: parsed — \d+×\d+, 1 channel\(s\) of 8 bits$/);

    const cut = join(tmp.path, 'npy-mutated-seed1-1.bin');
    writeFileSync(cut, readFileSync(repoPath('test/fixtures/io/f4_le_C.npy')).subarray(0, 40));
    assert.match(replay(cut), /^npy: refused — .*npy-mutated-seed1-1\.bin: truncated \.npy header/);

    const deep = join(tmp.path, 'config-seed1-2.bin');
    writeFileSync(deep, `{"numClasses": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    // The known OptionError overflow (test/unit/fuzz/jsonReaders.test.ts) shows as a thrown RangeError with its stack.
    assert.match(replay(deep), /^config: (RangeError: Maximum call stack size exceeded\n|refused — )/);
    assert.match(replay(png, 'nope'), /^no parser for png-mutated-seed1-0\.bin; name one of: npy, /);
  });
});
