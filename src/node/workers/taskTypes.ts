/** The contract every worker task implements (tasks.ts holds the table of tasks). */

/** What a running task may tell its caller besides its result. */
export interface TaskContext {
  /** Reports progress in [0, 1] with an optional short label; throttled by the worker. */
  progress(fraction: number, label?: string): void;
}

export interface TaskResult<T> {
  value: T;
  transfer: ArrayBuffer[];
}
