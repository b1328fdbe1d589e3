import assert from 'node:assert/strict';
import {
  VIEWER_RESOURCE_FOLDERS,
  buildCsp,
  buildViewerHtml,
  escapeHtml,
  makeNonce,
} from '../../../../src/vscode/viewer/html';

const parts = {
  cspSource: 'https://abc.vscode-cdn.net',
  nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
  scriptUri: 'https://abc.vscode-cdn.net/ext/dist/webview.js',
  codiconUri: 'https://abc.vscode-cdn.net/ext/dist/codicon.css',
  styleUris: ['https://abc.vscode-cdn.net/ext/media/viewer.css'],
  title: 'SegLens',
};

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'CSP meta tag present');
  return m[1].replace(/&#39;/g, "'");
}

describe('host/viewer: HTML and CSP helper', () => {
  it("starts from default-src 'none' and allows scripts only by nonce", () => {
    const csp = cspOf(buildViewerHtml(parts));
    const directives = Object.fromEntries(
      csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], [`'nonce-${parts.nonce}'`]);
    assert.deepEqual(directives['style-src'], [parts.cspSource, `'nonce-${parts.nonce}'`]);
    assert.deepEqual(directives['font-src'], [parts.cspSource]);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|http:/);
  });

  it('loads exactly one script, carrying the nonce, and the codicon sheet with the id vscode-elements looks for', () => {
    const html = buildViewerHtml(parts);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0], `<script nonce="${parts.nonce}" src="${parts.scriptUri}">`);
    assert.match(html, /<link rel="stylesheet" href="[^"]*codicon\.css" id="vscode-codicon-stylesheet">/);
    assert.match(html, /media\/viewer\.css/);
    assert.doesNotMatch(html, /style="/, 'no inline style attributes (CSP would block them)');
  });

  it('escapes every interpolated value', () => {
    const html = buildViewerHtml({
      ...parts,
      title: '</title><script>alert(1)</script>',
      scriptUri: 'x"onload="y',
    });
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /x"onload/);
    assert.equal(escapeHtml(`<a href='x'>&"`), '&#60;a href=&#39;x&#39;&#62;&#38;&#34;');
  });

  it("accepts a multi-source cspSource (code-server adds 'self') and keeps every source", () => {
    const csp = buildCsp("'self' https://*.vscode-cdn.net", parts.nonce);
    assert.match(csp, /font-src 'self' https:\/\/\*\.vscode-cdn\.net(;|$)/);
    assert.match(csp, /^default-src 'none'; /);
  });

  it('refuses a malformed nonce or CSP source instead of writing a weak policy', () => {
    assert.throws(() => buildCsp("'self' 'unsafe-inline'", parts.nonce), RangeError);
    assert.throws(() => buildCsp('*', parts.nonce), RangeError);
    assert.throws(() => buildCsp(parts.cspSource, "abc'; script-src *"), RangeError);
    assert.throws(() => buildCsp(parts.cspSource, 'short'), RangeError);
    assert.throws(() => buildCsp("https://x; script-src 'unsafe-eval'", parts.nonce), RangeError);
    assert.throws(() => buildCsp('', parts.nonce), RangeError);
  });

  it('makes fresh 128-bit nonces usable in the policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = makeNonce();
      assert.match(n, /^[A-Za-z0-9_-]{22}$/);
      assert.doesNotThrow(() => buildCsp(parts.cspSource, n));
      seen.add(n);
    }
    assert.equal(seen.size, 200);
  });

  it('limits local resources to dist/ and media/', () => {
    assert.deepEqual([...VIEWER_RESOURCE_FOLDERS], ['dist', 'media']);
  });
});
