/** The contract every worker task implements (tasks.ts holds the product's table of tasks). */

/** A progress report of a task: a fraction in [0, 1] and an optional short label. */
export interface TaskProgress {
  fraction: number;
  label?: string;
}

/** What a running task may tell its caller besides its result. */
export interface TaskContext {
  /** Reports progress in [0, 1] with an optional short label; throttled by the worker. */
  progress(fraction: number, label?: string): void;
}

export interface TaskResult<T> {
  value: T;
  transfer: ArrayBuffer[];
}

/** A table of tasks by name, as the pool and a worker bundle see it (tests extend the product's table). */
export type TaskTable = Record<string, (input: never, ctx: TaskContext) => Promise<TaskResult<unknown>>>;

/** The input of task `N` of table `T`. */
export type InputOf<T extends TaskTable, N extends keyof T> = Parameters<T[N]>[0];
/** The result value of task `N` of table `T`. */
export type OutputOf<T extends TaskTable, N extends keyof T> = Awaited<ReturnType<T[N]>>['value'];
