import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InputError } from '../../../../src/core/errors';
import { labelsFileCandidates, parseClassLabels } from '../../../../src/node/io/classLabels';
import { repoPath } from '../../../support/repo';

function fails(text: string, pattern: RegExp) {
  assert.throws(
    () => parseClassLabels(text, 'demo/labels.json'),
    (e: unknown) => e instanceof InputError && e.source === 'demo/labels.json' && pattern.test(e.message),
  );
}

describe('host/imaging: class labels file', () => {
  it('reads the fixture labels.json: names, and colours as [r, g, b]', () => {
    const text = readFileSync(repoPath('test/fixtures/images/labels.json'), 'utf8');
    assert.deepEqual(parseClassLabels(text, 'labels.json'), [
      { index: 0, name: 'background' },
      { index: 1, name: 'rectangle', color: [67, 99, 216] },
      { index: 2, name: 'box', color: [245, 130, 49] },
      { index: 5, name: 'dot' },
    ]);
  });

  it('refuses malformed files with a message naming the file and the entry', () => {
    fails('{', /not valid JSON/);
    fails('[]', /expected \{"classes"/);
    fails('{"classes": [{"index": -1, "name": "x"}]}', /classes\[0\]: index must be an integer ≥ 0, got -1/);
    fails('{"classes": [{"index": 1.5, "name": "x"}]}', /index must be an integer/);
    fails('{"classes": [{"index": 1, "name": ""}]}', /name must be a non-empty string/);
    fails(
      '{"classes": [{"index": 1, "name": "a"}, {"index": 1, "name": "b"}]}',
      /classes\[1\]: class 1 is listed twice/,
    );
    fails('{"classes": [{"index": 1, "name": "a", "color": "red"}]}', /color must be "#rrggbb", got "red"/);
    fails('{"classes": [null]}', /classes\[0\] must be an object/);
  });

  it('searches the mask folder and two parents, never above the workspace root', () => {
    assert.deepEqual(labelsFileCandidates('/w/demo/masks/a.png'), [
      '/w/demo/masks/labels.json',
      '/w/demo/labels.json',
      '/w/labels.json',
    ]);
    assert.deepEqual(labelsFileCandidates('/w/demo/masks/a.png', '/w/demo'), [
      '/w/demo/masks/labels.json',
      '/w/demo/labels.json',
    ]);
    assert.deepEqual(labelsFileCandidates('/a.png'), ['/labels.json']);
  });
});
