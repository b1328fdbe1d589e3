import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import {
  cycles,
  importGraph,
  relativeSpecifiers,
  resolveSpecifier,
  tsFiles,
} from '../../support/importGraph';
import { REPO } from '../../support/repo';

describe('architecture: imports', () => {
  const files = [...tsFiles(REPO, 'src'), ...tsFiles(REPO, 'webview')];
  const graph = importGraph(REPO, files);

  it('finds the imports it is meant to see (the checker itself)', () => {
    assert.deepEqual(
      relativeSpecifiers("import a from './a';\nexport { b } from '../b';\nconst c = require('./c');"),
      ['./a', '../b', './c'],
    );
    assert.deepEqual(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
      [['a', 'b', 'c']],
    );
    assert.deepEqual(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
      [],
    );
    assert.ok(
      (graph.get('src/extension.ts') ?? []).length > 3,
      'the extension entry imports several modules',
    );
  });

  it('has no import cycle in src/ and webview/', () => {
    const found = cycles(graph);
    assert.deepEqual(found, [], `import cycles:\n${found.map((c) => '  ' + c.join(' ↔ ')).join('\n')}`);
  });

  it('every relative import names a file that exists', () => {
    const dangling: string[] = [];
    for (const f of files) {
      for (const s of relativeSpecifiers(readFileSync(`${REPO}/${f}`, 'utf8'))) {
        if (!resolveSpecifier(REPO, f, s) && !s.endsWith('.json') && !s.endsWith('.css'))
          dangling.push(`${f}: ${s}`);
      }
    }
    assert.deepEqual(dangling, []);
  });
});
