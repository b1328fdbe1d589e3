/**
 * The one place that writes the viewer's HTML and Content-Security-Policy (docs/style.md habit 6, docs/architecture.md §8).
 * Pure string building with no vscode import, so the policy is unit-tested in plain node: `default-src 'none'`,
 * scripts only with a fresh nonce, styles/fonts/images only from the webview's own resource origin (which
 * `localResourceRoots` narrows to dist/ and media/). No 'unsafe-inline', no 'unsafe-eval'.
 */

export interface ViewerHtmlParts {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh nonce for this document (see makeNonce). */
  nonce: string;
  /** `asWebviewUri` of dist/webview.js. */
  scriptUri: string;
  /** `asWebviewUri` of the codicon style sheet (dist/codicon.css); vscode-elements finds it by its id. */
  codiconUri: string;
  /** `asWebviewUri` of the panel's own style sheets (media/viewer.css). */
  styleUris: string[];
  /** Document title. */
  title: string;
  /** What screen readers call the page. @default "SegLens viewer" */
  label?: string;
}

/** 128 random bits, base64url: unguessable and safe inside an attribute and a CSP source expression. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * One source expression of `webview.cspSource`: VS Code gives a scheme-and-host source (desktop) and some hosts
 * (code-server) add `'self'`, so the value may hold several, space-separated. Anything else — a keyword such as
 * 'unsafe-inline', a wildcard-only source, a ';' that would start a new directive — is refused.
 */
const SOURCE_EXPRESSION = /^(?:'self'|[a-z][a-z0-9+.-]*:(?:\/\/[^\s;,']+)?)$/i;

export function buildCsp(cspSource: string, nonce: string): string {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(nonce)) throw new RangeError(`invalid nonce ${JSON.stringify(nonce)}`);
  const sources = cspSource.trim().split(/\s+/);
  if (cspSource.trim() === '' || !sources.every((t) => SOURCE_EXPRESSION.test(t))) {
    throw new RangeError(`invalid CSP source ${JSON.stringify(cspSource)}`);
  }
  const src = sources.join(' ');
  return [
    "default-src 'none'",
    // Decoded pixels are drawn from messages; images are only the extension's own icons.
    `img-src ${src} data: blob:`,
    `style-src ${src} 'nonce-${nonce}'`,
    `font-src ${src}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** The page of every SegLens webview (the viewer's and the dataset panel's): one policy, one document shape. */
export function buildViewerHtml(p: ViewerHtmlParts): string {
  const csp = buildCsp(p.cspSource, p.nonce);
  const links = [
    `<link rel="stylesheet" href="${escapeHtml(p.codiconUri)}" id="vscode-codicon-stylesheet">`,
    ...p.styleUris.map((u) => `<link rel="stylesheet" href="${escapeHtml(u)}">`),
  ].join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${links}
    <title>${escapeHtml(p.title)}</title>
  </head>
  <body>
    <div id="app" role="application" aria-label="${escapeHtml(p.label ?? 'SegLens viewer')}"></div>
    <script nonce="${escapeHtml(p.nonce)}" src="${escapeHtml(p.scriptUri)}"></script>
  </body>
</html>`;
}

/** The folders (relative to the extension) a viewer webview may load from. */
export const VIEWER_RESOURCE_FOLDERS = ['dist', 'media'] as const;
