// The loss panel's page: every number of the table in its row, every text escaped, a CSP with only the page's
// nonce, and the page's one message validated before the host believes it.
import assert from 'node:assert/strict';
import { lossTable } from '../../../../src/core/debug/lossTable';
import type { NDArray } from '../../../../src/core/ndarray';
import { escapeHtml, fixed3, lossHtml, parseShown } from '../../../../src/vscode/debug/lossHtml';

const mask = (bits: number[]): NDArray => ({
  dtype: 'float32',
  shape: [2, 2, 2, 1],
  data: Float32Array.from(bits),
});

describe('vscode/debug/lossHtml', () => {
  const table = lossTable({
    functionName: 'dice<coeff>',
    prediction: mask([1, 1, 0, 0, 0, 0, 0, 0]),
    target: mask([1, 0, 0, 0, 1, 1, 0, 0]),
    batch: { mean: 0.9, shape: [2, 2, 2] },
    perImage: [0.95, 0.85],
  });
  const html = lossHtml(
    {
      table,
      findings: [
        { rule: 'LL101', line: 24, headline: 'np.sum(a, axis=-1): Dice term', message: 'a <b> & "c"' },
      ],
      where: 'train_step.py:22',
      call: 'dice<coeff>(y_true, y_pred)',
      orderBecause: 'its parameters are (y_true, y_pred)',
    },
    'NONCE123',
    7,
  );

  it('rows carry the hand-computed Dice and IoU (image 0: 2/3 and 1/2; image 1: 0), the off rows marked', () => {
    const rows = [...html.matchAll(/<tr( class="off")?><td>(\d)<\/td>(.*?)<\/tr>/g)].map((m) => [
      m[2],
      Boolean(m[1]),
      [...m[3].matchAll(/<td class="num">([^<]*)<\/td>/g)].map((c) => c[1]),
    ]);
    assert.deepEqual(rows, [
      ['0', true, ['0.950', '0.667', '0.500', '1', '2']],
      ['1', true, ['0.850', '0.000', '0.000', '2', '0']],
    ]);
    assert.match(html, /<td>mean<\/td><td class="num">0\.900<\/td><td class="num">0\.333<\/td>/);
  });

  it('escapes every text and allows only its own nonce', () => {
    assert.ok(!html.includes('dice<coeff>'));
    assert.match(html, /dice&lt;coeff&gt;/);
    assert.match(html, /a &lt;b&gt; &amp; &quot;c&quot;/);
    assert.match(
      html,
      /content="default-src 'none'; style-src 'nonce-NONCE123'; script-src 'nonce-NONCE123';"/,
    );
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="NONCE123">/);
    assert.match(html, /page: 7,/);
    assert.equal(escapeHtml(`<'&">`), '&lt;&#39;&amp;&quot;&gt;');
    assert.equal(fixed3(NaN), 'NaN');
    assert.equal(fixed3(undefined), '—');
  });

  it('accepts only a well-formed shown message', () => {
    assert.deepEqual(parseShown({ type: 'shown', page: 7, rows: 2, verdict: 'v' }), {
      type: 'shown',
      page: 7,
      rows: 2,
      verdict: 'v',
    });
    assert.equal(parseShown({ type: 'shown', page: '7', rows: 2, verdict: 'v' }), undefined);
    assert.equal(parseShown({ type: 'other' }), undefined);
    assert.equal(parseShown(null), undefined);
  });
});
