import assert from 'node:assert/strict';
import { disableForFileEdit, disableForLineEdit } from '../../../../src/vscode/diagnostics/suppressEdits';
import { applyEdits, kerasDemo, sharedLinter } from './helpers';

const line = (text: string, n: number) => text.split('\n')[n];

describe('host/diagnostics suppression edits', () => {
  it('appends an ignore comment at the end of the line, replacing trailing blanks', () => {
    const text = 'a = 1\nx = K.sum(t, -1)   \ny = 2\n';
    const out = applyEdits(text, [disableForLineEdit(text, 1, 'LL101')]);
    assert.equal(out, 'a = 1\nx = K.sum(t, -1)  # seglens: ignore[LL101]\ny = 2\n');
  });

  it('extends an existing ignore list instead of adding a second comment, and never repeats an id', () => {
    const text = 'x = f(t)  # seglens: ignore[LL304]\n';
    const once = applyEdits(text, [disableForLineEdit(text, 0, 'LL101')]);
    assert.equal(once, 'x = f(t)  # seglens: ignore[LL304, LL101]\n');
    const twice = applyEdits(once, [disableForLineEdit(once, 0, 'LL101')]);
    assert.equal(twice, once);
  });

  it('puts the comment alone on the line above a backslash continuation, with its indentation', () => {
    const text = 'def f(t):\n    x = K.sum(t, -1) + \\\n        1\n';
    const out = applyEdits(text, [disableForLineEdit(text, 1, 'LL101', '\n')]);
    assert.equal(out, 'def f(t):\n    # seglens: ignore[LL101]\n    x = K.sum(t, -1) + \\\n        1\n');
  });

  it('inserts the file comment at the top, after a shebang and an encoding line', () => {
    const plain = 'import x\n';
    assert.equal(
      applyEdits(plain, [disableForFileEdit(plain, 'LL101')]),
      '# seglens: ignore-file[LL101]\nimport x\n',
    );
    const headed = '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport x\n';
    assert.equal(
      applyEdits(headed, [disableForFileEdit(headed, 'LL101')]),
      '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# seglens: ignore-file[LL101]\nimport x\n',
    );
    const onlyShebang = '#!/usr/bin/env python';
    assert.equal(
      applyEdits(onlyShebang, [disableForFileEdit(onlyShebang, 'LL101')]),
      '#!/usr/bin/env python\n# seglens: ignore-file[LL101]',
    );
  });

  it('extends an existing file comment, and does nothing when the rule is already listed', () => {
    const text = 'import x\n# seglens: ignore-file[LL304]\n';
    const once = applyEdits(text, [disableForFileEdit(text, 'LL101')]);
    assert.equal(once, 'import x\n# seglens: ignore-file[LL304, LL101]\n');
    assert.equal(applyEdits(once, [disableForFileEdit(once, 'LL101')]), once);
  });

  it('the real linter honours both comments on the demo file (CRLF too)', async () => {
    const linter = await sharedLinter();
    const text = kerasDemo();
    const first = linter.lint(text);
    first.tree.dispose();
    const ll101 = first.findings.filter((f) => f.rule === 'LL101');
    assert.equal(ll101.length, 3);
    const target = ll101[0].range.start.line;

    const lineOff = applyEdits(text, [disableForLineEdit(text, target, 'LL101')]);
    assert.match(line(lineOff, target), /# seglens: ignore\[LL101\]$/);
    const afterLine = linter.lint(lineOff);
    afterLine.tree.dispose();
    const left = afterLine.findings.filter((f) => f.rule === 'LL101');
    assert.equal(left.length, 2);
    assert.ok(left.every((f) => f.range.start.line !== target));

    const fileOff = applyEdits(text, [disableForFileEdit(text, 'LL101')]);
    const afterFile = linter.lint(fileOff);
    afterFile.tree.dispose();
    assert.equal(afterFile.findings.filter((f) => f.rule === 'LL101').length, 0);

    const crlf = text.replace(/\n/g, '\r\n');
    const edit = disableForFileEdit(crlf, 'LL101', '\r\n');
    assert.equal(edit.newText, '# seglens: ignore-file[LL101]\r\n');
  });
});
