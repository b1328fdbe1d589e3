import * as assert from 'node:assert/strict';
import { buildDatasetHtml } from '../../../../src/vscode/dataset/html';
import { buildCsp } from '../../../../src/vscode/viewer/html';

describe('vscode/dataset: the panel page uses the viewer’s one HTML/CSP writer', () => {
  it('same strict policy, its own script and style sheet, a nonce on the script, escaped values', () => {
    const nonce = 'abcdefghijklmnopqrstuv';
    const html = buildDatasetHtml({
      cspSource: 'vscode-webview://x',
      nonce,
      scriptUri: 'vscode-webview://x/dist/dataset.js',
      codiconUri: 'vscode-webview://x/dist/codicon.css',
      styleUris: ['vscode-webview://x/media/panel.css', 'vscode-webview://x/media/dataset.css?a=1&b="2"'],
      title: 'Dataset <demo>',
    });
    assert.ok(html.includes(`content="${buildCsp('vscode-webview://x', nonce).replace(/'/g, '&#39;')}"`));
    assert.ok(html.includes(`<script nonce="${nonce}" src="vscode-webview://x/dist/dataset.js"></script>`));
    assert.ok(html.includes('href="vscode-webview://x/media/dataset.css?a=1&#38;b=&#34;2&#34;"'));
    assert.ok(html.indexOf('media/panel.css') < html.indexOf('media/dataset.css'), 'the shared frame first');
    assert.ok(html.includes('aria-label="SegLens dataset"'));
    assert.ok(html.includes('<title>Dataset &#60;demo&#62;</title>'));
    assert.throws(() =>
      buildDatasetHtml({
        cspSource: "'unsafe-inline'",
        nonce,
        scriptUri: '',
        codiconUri: '',
        styleUris: [],
        title: '',
      }),
    );
  });
});
