/** The dataset panel's webview options: scripts on, resources only from the extension's own dist/media folders. */
import * as vscode from 'vscode';
import { DATASET_RESOURCE_FOLDERS } from './html';

export function datasetWebviewOptions(
  extensionUri: vscode.Uri,
): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: DATASET_RESOURCE_FOLDERS.map((f) => vscode.Uri.joinPath(extensionUri, f)),
  };
}
