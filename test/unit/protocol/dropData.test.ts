// The webview's side of a drop: which URIs it reads from the drag data VS Code hands a webview.
import assert from 'node:assert/strict';
import { droppedUris, parseUriList } from '../../../webview/dropData';
import type { DragData } from '../../../webview/dropData';

/** The two DataTransfer members droppedUris reads, over a plain map of type → data. */
function transfer(data: Record<string, string>): DragData {
  return { types: Object.keys(data), getData: (t: string) => data[t] ?? '' };
}

describe('viewer drop: reading the drag data', () => {
  it('parses a text/uri-list: CRLF or LF lines, comments and blanks skipped', () => {
    assert.deepEqual(parseUriList('# comment\r\nfile:///a.png\r\n\r\nfile:///b.png\n  file:///c.png  \n'), [
      'file:///a.png',
      'file:///b.png',
      'file:///c.png',
    ]);
    assert.deepEqual(parseUriList(''), []);
  });

  it("prefers VS Code's full list over Chromium's one-line text/uri-list", () => {
    const t = transfer({
      'text/uri-list': 'file:///ws/a.png',
      'application/vnd.code.uri-list': 'file:///ws/a.png\r\nfile:///ws/masks/a.png',
      'text/plain': '/ws/a.png',
    });
    assert.deepEqual(droppedUris(t), ['file:///ws/a.png', 'file:///ws/masks/a.png']);
  });

  it('reads resourceurls (a JSON array) and then text/uri-list; type names compare lower-case', () => {
    assert.deepEqual(
      droppedUris({
        types: ['ResourceURLs'],
        getData: (t: string) => (t === 'resourceurls' ? '["file:///ws/a.png", 3, "file:///ws/b.npy"]' : ''),
      }),
      ['file:///ws/a.png', 'file:///ws/b.npy'],
    );
    assert.deepEqual(droppedUris(transfer({ resourceurls: 'not json', 'text/uri-list': 'file:///x.png' })), [
      'file:///x.png',
    ]);
    assert.deepEqual(droppedUris(transfer({ 'text/uri-list': 'file:///only.png' })), ['file:///only.png']);
  });

  it('a drop of OS files without locations, or of plain text, yields no URIs (the host explains)', () => {
    assert.deepEqual(droppedUris(transfer({ Files: '' })), []);
    assert.deepEqual(droppedUris(transfer({ 'text/plain': 'file:///a.png' })), []);
  });

  it('passes on at most one URI more than the host accepts, so a huge drop is refused cheaply', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `file:///ws/${i}.png`).join('\r\n');
    const uris = droppedUris(transfer({ 'application/vnd.code.uri-list': many }));
    assert.equal(uris.length, 9);
    assert.equal(uris[8], 'file:///ws/8.png');
  });
});
