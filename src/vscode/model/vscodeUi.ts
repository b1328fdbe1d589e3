/**
 * ModelUi on VS Code: notifications, modal dialogs, quick picks, file dialogs and a cancellable progress
 * notification. Each call looks `vscode.window` up when it happens, so integration tests can answer the dialogs.
 */
import * as vscode from 'vscode';
import type { ModelUi, PickItem } from './ui';

export function vscodeModelUi(): ModelUi {
  return {
    info: (message, ...actions) => Promise.resolve(vscode.window.showInformationMessage(message, ...actions)),
    warn: (message, ...actions) => Promise.resolve(vscode.window.showWarningMessage(message, ...actions)),
    error: (message, ...actions) => Promise.resolve(vscode.window.showErrorMessage(message, ...actions)),
    confirm: (message, detail, ...actions) =>
      Promise.resolve(vscode.window.showInformationMessage(message, { modal: true, detail }, ...actions)),
    async pick<T>(items: PickItem<T>[], title: string, placeholder?: string) {
      const picked = await vscode.window.showQuickPick(
        items.map((i) => ({ label: i.label, description: i.description, detail: i.detail, item: i })),
        { title, placeHolder: placeholder, matchOnDescription: true, ignoreFocusOut: true },
      );
      return picked?.item.value;
    },
    async openFile(title, filters, defaultPath) {
      const files = await vscode.window.showOpenDialog({
        title,
        canSelectFiles: true,
        canSelectFolders: false,
        canSelectMany: false,
        filters: { ...filters, 'All files': ['*'] },
        defaultUri: defaultPath ? vscode.Uri.file(defaultPath) : undefined,
      });
      return files?.[0]?.fsPath;
    },
    async openFolder(title, openLabel, defaultPath) {
      const folders = await vscode.window.showOpenDialog({
        title,
        openLabel,
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        defaultUri: defaultPath ? vscode.Uri.file(defaultPath) : undefined,
      });
      return folders?.[0]?.fsPath;
    },
    progress: (title, task) =>
      Promise.resolve(
        vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title, cancellable: true },
          (progress, token) => {
            const abort = new AbortController();
            const sub = token.onCancellationRequested(() => abort.abort());
            return task(
              (message, increment) => progress.report({ message, increment }),
              abort.signal,
            ).finally(() => sub.dispose());
          },
        ),
      ),
    status: (message) => void vscode.window.setStatusBarMessage(message, 5000),
  };
}
