import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FromWebview, MAX_DROPPED_FILES, parseFromWebview } from '../../../src/protocol';

type Drop = Extract<FromWebview, { type: 'dropFiles' }>;

function drop(x: unknown): Drop {
  const r = parseFromWebview(x);
  assert.equal(r.ok, true, r.ok ? '' : r.error);
  assert.ok(r.ok && r.value.type === 'dropFiles');
  return r.value;
}

/** A drop the host must refuse: it arrives (so the panel can answer) with no URIs and a reason. */
function refused(x: unknown, pattern: RegExp): void {
  const d = drop(x);
  assert.deepEqual(d.uris, []);
  assert.ok(d.refused !== undefined, `accepted ${JSON.stringify(x).slice(0, 200)}`);
  assert.match(d.refused, pattern);
}

describe('protocol: dropFiles message', () => {
  it('accepts file: and vscode-remote: URIs, up to the limit, as a fresh array without extra keys', () => {
    const uris = [
      'file:///ws/images/a.png',
      'FILE:///ws/masks/a.png',
      'vscode-remote://ssh-remote+box/ws/b.npy',
    ];
    const input = { type: 'dropFiles', uris, extra: 'dropped' };
    const d = drop(input);
    assert.deepEqual(d, { type: 'dropFiles', uris });
    assert.notEqual(d.uris, uris, 'the array is rebuilt, not the input object');
    const eight = Array.from({ length: 8 }, (_, i) => `file:///ws/${i}.png`);
    assert.equal(MAX_DROPPED_FILES, 8);
    assert.deepEqual(drop({ type: 'dropFiles', uris: eight }).uris, eight);
    const longest = `file:///${'a'.repeat(4096 - 'file:///'.length)}`;
    assert.equal(longest.length, 4096);
    assert.deepEqual(drop({ type: 'dropFiles', uris: [longest] }).uris, [longest]);
  });

  it('an empty drop passes (the host explains how to drop); a missing or mistyped list is refused', () => {
    assert.deepEqual(drop({ type: 'dropFiles', uris: [] }), { type: 'dropFiles', uris: [] });
    refused({ type: 'dropFiles' }, /no list of files/);
    refused({ type: 'dropFiles', uris: 'file:///ws/a.png' }, /no list of files/);
    refused({ type: 'dropFiles', uris: { 0: 'file:///ws/a.png', length: 1 } }, /no list of files/);
  });

  it('refuses too many files, huge arrays, non-strings and over-long strings', () => {
    refused({ type: 'dropFiles', uris: Array(9).fill('file:///ws/a.png') }, /at most 8 dropped files/);
    refused({ type: 'dropFiles', uris: new Array(1_000_000).fill('file:///x.png') }, /at most 8/);
    refused({ type: 'dropFiles', uris: [42] }, /URI of at most 4096 characters/);
    refused({ type: 'dropFiles', uris: [null] }, /URI of at most 4096/);
    refused({ type: 'dropFiles', uris: [{ toString: () => 'file:///a.png' }] }, /URI of at most 4096/);
    refused({ type: 'dropFiles', uris: [['file:///a.png']] }, /URI of at most 4096/);
    refused({ type: 'dropFiles', uris: [`file:///${'a'.repeat(4089)}`] }, /at most 4096 characters/);
  });

  it('refuses every scheme but file: and vscode-remote:, and URIs without an authority part', () => {
    for (const u of [
      'javascript:alert(1)',
      'JavaScript://%0aalert(1)',
      'http://example.com/a.png',
      'https://example.com/a.png',
      'data:image/png;base64,AAAA',
      'vscode-resource://file///a.png',
      'untitled:Untitled-1',
      'file:/etc/passwd',
      '/etc/passwd',
      'C:\\data\\a.png',
      ' file:///a.png',
      '',
    ]) {
      refused({ type: 'dropFiles', uris: ['file:///ws/ok.png', u] }, /only files can be dropped/);
    }
  });

  it('never throws and never lets more than 8 URIs or a non-file scheme through (property)', () => {
    const uriLike = fc.oneof(
      fc.string(),
      fc.constantFrom('file:///ws/a.png', 'vscode-remote://h/ws/a.png', 'javascript:x', 'http://h/a.png'),
      fc.anything(),
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(uriLike, { maxLength: 12 }), fc.anything()), (uris) => {
        const d = drop({ type: 'dropFiles', uris });
        assert.ok(d.uris.length <= MAX_DROPPED_FILES);
        for (const u of d.uris) assert.match(u, /^(file|vscode-remote):\/\//i);
        if (d.refused !== undefined) assert.equal(d.uris.length, 0);
        // An accepted list is exactly the input list.
        if (d.refused === undefined) assert.deepEqual(d.uris, uris);
      }),
      { numRuns: 500 },
    );
  });
});
