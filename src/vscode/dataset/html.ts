/**
 * The dataset panel's page: the viewer's document and policy (viewer/html.ts: `default-src 'none'`, scripts only with
 * a fresh nonce, styles, fonts and images only from the webview's own resource origin) with its own script and styles.
 * Pure string building, unit-tested in plain node.
 */
import { buildViewerHtml } from '../viewer/html';
export { makeNonce } from '../viewer/html';

export interface DatasetHtmlParts {
  cspSource: string;
  nonce: string;
  /** `asWebviewUri` of dist/dataset.js. */
  scriptUri: string;
  /** `asWebviewUri` of dist/codicon.css (vscode-elements finds it by its id). */
  codiconUri: string;
  /** `asWebviewUri` of media/panel.css (the shared page frame) and media/dataset.css, in that order. */
  styleUris: string[];
  title: string;
}

export function buildDatasetHtml(p: DatasetHtmlParts): string {
  return buildViewerHtml({ ...p, label: 'SegLens dataset' });
}

/** The folders (relative to the extension) the dataset webview may load from. */
export const DATASET_RESOURCE_FOLDERS = ['dist', 'media'] as const;
