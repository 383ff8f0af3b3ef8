/** Where a message is in its life. Numbers match the Python original. */
export enum TaskStatus {
  UNKNOWN = 0,
  SUBMITTED = 1,
  RUNNING = 2,
  RETRYING = 3,
  FAILED = 4,
  SUCCEEDED = 5,
}

/** Statuses after which nothing more happens to a message. */
export const TERMINAL_TASK_STATUSES: readonly TaskStatus[] = [TaskStatus.FAILED, TaskStatus.SUCCEEDED];
