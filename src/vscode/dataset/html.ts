/**
 * The dataset panel's page. The policy is the viewer's one (viewer/html.ts: `default-src 'none'`, scripts only with
 * a fresh nonce, styles, fonts and images only from the webview's own resource origin); only the page differs.
 * Pure string building, unit-tested in plain node.
 */
import { buildCsp, escapeHtml } from '../viewer/html';
export { makeNonce } from '../viewer/html';

export interface DatasetHtmlParts {
  cspSource: string;
  nonce: string;
  /** `asWebviewUri` of dist/dataset.js. */
  scriptUri: string;
  /** `asWebviewUri` of dist/codicon.css (vscode-elements finds it by its id). */
  codiconUri: string;
  /** `asWebviewUri` of media/dataset.css. */
  styleUri: string;
  title: string;
}

export function buildDatasetHtml(p: DatasetHtmlParts): string {
  const csp = buildCsp(p.cspSource, p.nonce);
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" href="${escapeHtml(p.codiconUri)}" id="vscode-codicon-stylesheet">
    <link rel="stylesheet" href="${escapeHtml(p.styleUri)}">
    <title>${escapeHtml(p.title)}</title>
  </head>
  <body>
    <div id="app" role="application" aria-label="SegLens dataset"></div>
    <script nonce="${escapeHtml(p.nonce)}" src="${escapeHtml(p.scriptUri)}"></script>
  </body>
</html>`;
}

/** The folders (relative to the extension) the dataset webview may load from. */
export const DATASET_RESOURCE_FOLDERS = ['dist', 'media'] as const;
