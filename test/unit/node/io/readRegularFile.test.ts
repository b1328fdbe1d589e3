// Reading the viewer's files on a worker thread (issue 13): the bytes exactly, and every refusal the host's reader
// made, with its message naming the file — a pipe refused without blocking, a too-large file refused from its size.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors';
import { fileRefusal, readRegularFile } from '../../../../src/node/io/readRegularFile';
import { useTempDir } from '../../../support/tempDir';

describe('node/io: readRegularFile', () => {
  const dir = useTempDir('seglens-read', { each: true });

  const refused = (path: string, pattern: RegExp, maxBytes = 1e9) =>
    assert.throws(
      () => readRegularFile(path, 'case.png', maxBytes),
      (e: unknown) => e instanceof InputError && e.source === 'case.png' && pattern.test(e.message),
    );

  it('returns the bytes of a file exactly, an empty file as no bytes', () => {
    const bytes = randomBytes(1_000_003);
    writeFileSync(join(dir.path, 'a.bin'), bytes);
    assert.deepEqual(Buffer.from(readRegularFile(join(dir.path, 'a.bin'), 'a.bin', 1e9)), bytes);
    writeFileSync(join(dir.path, 'empty.bin'), '');
    assert.equal(readRegularFile(join(dir.path, 'empty.bin'), 'empty.bin', 1e9).length, 0);
  });

  it('refuses a file over the limit from its size (the limit itself is fine)', () => {
    writeFileSync(join(dir.path, 'b.bin'), Buffer.alloc(100));
    assert.equal(readRegularFile(join(dir.path, 'b.bin'), 'b.bin', 100).length, 100);
    refused(join(dir.path, 'b.bin'), /^case\.png: file is 100 bytes, larger than SegLens reads$/, 99);
  });

  it('refuses a folder and a missing file, naming the file', () => {
    mkdirSync(join(dir.path, 'folder.png'));
    refused(join(dir.path, 'folder.png'), /^case\.png: is a folder, not a file$/);
    refused(join(dir.path, 'missing.png'), /^case\.png: cannot read the file: ENOENT/);
  });

  it('one refusal rule for both readers (the host reads labels files and remote files with it)', () => {
    assert.equal(fileRefusal({ folder: false, regular: true, size: 100 }, 100), undefined);
    assert.equal(
      fileRefusal({ folder: false, regular: true, size: 101 }, 100),
      'file is 101 bytes, larger than SegLens reads',
    );
    assert.equal(fileRefusal({ folder: true, regular: false, size: 0 }, 100), 'is a folder, not a file');
    assert.match(fileRefusal({ folder: false, regular: false, size: 0 }, 100) ?? '', /not a regular file/);
  });

  it('refuses a named pipe at once, without waiting for a writer', function () {
    if (process.platform === 'win32') this.skip();
    const fifo = join(dir.path, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    refused(fifo, /^case\.png: is not a regular file \(a pipe, socket or device is never read\)$/);
    // A blocking open would never return here (no writer): reaching this line is the test; the time is a hint.
    assert.ok(Date.now() - t0 < 10_000);
  });
});
