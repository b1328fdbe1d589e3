/**
 * The few interactions the model commands need, as an interface without vscode: the commands' logic runs against
 * it in plain-node tests with scripted answers, and against VS Code's notifications, quick picks and dialogs in
 * the extension (vscodeUi.ts).
 */

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

export interface ProgressReporter {
  /** Replaces the progress message; `increment` is in percent of the whole task. */
  (message: string, increment?: number): void;
}

export interface ModelUi {
  /** A non-modal notification with optional buttons; resolves to the button clicked (undefined when dismissed). */
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  error(message: string, ...actions: string[]): Promise<string | undefined>;
  /**
   * A modal question: nothing happens until the user clicks one of `actions` (undefined = cancelled). Used
   * before anything is written.
   */
  confirm(message: string, detail: string, ...actions: string[]): Promise<string | undefined>;
  pick<T>(items: PickItem<T>[], title: string, placeholder?: string): Promise<T | undefined>;
  /** A file dialog for one file; resolves to its path. */
  openFile(
    title: string,
    filters: Record<string, string[]>,
    defaultPath?: string,
  ): Promise<string | undefined>;
  /** A folder dialog; resolves to its path. */
  openFolder(title: string, openLabel: string, defaultPath?: string): Promise<string | undefined>;
  /** Runs `task` under a cancellable progress notification; the signal aborts when the user cancels. */
  progress<T>(title: string, task: (report: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T>;
  /** A short-lived status bar message. */
  status(message: string): void;
}
