import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkFileAccess, isBelow } from '../../../../src/node/fs/workspacePath';
import { useTempDir } from '../../../support/tempDir';

describe('node/fs/workspacePath: restored and dropped files by real path', () => {
  const tmp = useTempDir('seglens-access', { each: true });
  // The OS temp folder may itself be a link (/tmp -> /private/tmp): build everything under its real path.
  let ws: string;
  let outside: string;
  beforeEach(() => {
    const root = realpathSync(tmp.path);
    ws = path.join(root, 'ws');
    outside = path.join(root, 'outside');
    mkdirSync(path.join(ws, 'images'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(path.join(ws, 'images', 'a.png'), 'png');
    writeFileSync(path.join(outside, 'secret.png'), 'secret');
  });

  it('accepts a plain file inside a workspace folder', async () => {
    const file = path.join(ws, 'images', 'a.png');
    assert.deepEqual(await checkFileAccess(file, { roots: [ws] }), { ok: true, real: file });
  });

  it('refuses a symlink inside the workspace that leads out of it, naming the file and where it leads', async () => {
    const link = path.join(ws, 'images', 'b.png');
    symlinkSync(path.join(outside, 'secret.png'), link);
    const r = await checkFileAccess(link, { roots: [ws] });
    assert.equal(r.ok, false);
    assert.equal(
      !r.ok && r.reason,
      `${link} resolves to ${path.join(outside, 'secret.png')}, outside the workspace folders`,
    );
  });

  it('refuses a file under a linked folder that leads out, and accepts a link that stays inside', async () => {
    symlinkSync(outside, path.join(ws, 'linked'));
    const viaDir = path.join(ws, 'linked', 'secret.png');
    assert.equal((await checkFileAccess(viaDir, { roots: [ws] })).ok, false);
    const inner = path.join(ws, 'inner.png');
    symlinkSync(path.join(ws, 'images', 'a.png'), inner);
    assert.deepEqual(await checkFileAccess(inner, { roots: [ws] }), {
      ok: true,
      real: path.join(ws, 'images', 'a.png'),
    });
  });

  it('resolves the workspace folder itself: a folder opened through a link still contains its files', async () => {
    const wsLink = path.join(outside, 'ws-link');
    symlinkSync(ws, wsLink);
    const file = path.join(ws, 'images', 'a.png');
    assert.equal((await checkFileAccess(file, { roots: [wsLink] })).ok, true);
    assert.equal((await checkFileAccess(path.join(wsLink, 'images', 'a.png'), { roots: [ws] })).ok, true);
  });

  it('a sibling folder sharing the prefix is not inside (ws vs ws-other)', async () => {
    const other = `${ws}-other`;
    mkdirSync(other);
    writeFileSync(path.join(other, 'x.png'), 'x');
    const r = await checkFileAccess(path.join(other, 'x.png'), { roots: [ws] });
    assert.equal(!r.ok && r.reason, `${path.join(other, 'x.png')} is outside the workspace folders`);
  });

  it('a file opened explicitly this session is accepted wherever it is; others are not', async () => {
    const secret = path.join(outside, 'secret.png');
    const opened = new Set([secret]);
    assert.equal((await checkFileAccess(secret, { roots: [ws], opened })).ok, true);
    // A link to an opened file is the opened file: the real path is what was opened.
    const link = path.join(ws, 'to-secret.png');
    symlinkSync(secret, link);
    assert.equal((await checkFileAccess(link, { roots: [ws], opened })).ok, true);
    const r = await checkFileAccess(secret, { roots: [], noFolders: true });
    assert.equal(
      !r.ok && r.reason,
      `${secret} is not in an open workspace folder and not a file opened in this session`,
    );
  });

  it('refuses missing files, broken links, folders, FIFOs and relative paths before reading anything', async () => {
    const broken = path.join(ws, 'broken.png');
    symlinkSync(path.join(ws, 'nowhere.png'), broken);
    for (const file of [path.join(ws, 'missing.png'), broken]) {
      const r = await checkFileAccess(file, { roots: [ws] });
      assert.equal(!r.ok && r.reason, `${file} cannot be found`);
    }
    const dir = await checkFileAccess(path.join(ws, 'images'), { roots: [ws] });
    assert.equal(!dir.ok && dir.reason, `${path.join(ws, 'images')} is not a regular file`);
    if (process.platform !== 'win32') {
      const fifo = path.join(ws, 'pipe.png');
      execFileSync('mkfifo', [fifo]);
      assert.equal((await checkFileAccess(fifo, { roots: [ws] })).ok, false);
    }
    assert.equal((await checkFileAccess('images/a.png', { roots: [ws] })).ok, false);
  });

  it('isBelow compares whole segments, on POSIX and Windows paths', () => {
    assert.equal(isBelow('/a/b/c.png', '/a/b'), true);
    assert.equal(isBelow('/a/b', '/a/b'), false);
    assert.equal(isBelow('/a/bc/d.png', '/a/b'), false);
    assert.equal(isBelow('/a/c.png', '/a/b'), false);
    assert.equal(isBelow('/a/..x/c.png', '/a'), true);
    assert.equal(isBelow('C:\\ws\\a.png', 'c:\\ws', path.win32), true);
    assert.equal(isBelow('D:\\ws\\a.png', 'C:\\ws', path.win32), false);
    assert.equal(isBelow('C:\\ws2\\a.png', 'C:\\ws', path.win32), false);
  });
});
