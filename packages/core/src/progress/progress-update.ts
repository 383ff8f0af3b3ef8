/** A JSON value, as progress objects hold them. */
export type ProgressJson = string | number | boolean | null | ProgressJson[] | { [key: string]: ProgressJson };

/**
 * What a running task reports with `message.progress(value)`: a number from 0 to 100 or a small
 * plain JSON object (see `requireProgressValue`).
 */
export type ProgressValue = number | { [key: string]: ProgressJson };

/** The stored progress of a message: the last value its running attempt reported. */
export interface ProgressUpdate {
  /** The reported value. */
  value: ProgressValue;
  /** The attempt that reported it (`message.retries` then). */
  attempt: number;
  /** When the pool wrote it, epoch ms. */
  updatedAt: number;
}

/** Reports the running attempt's progress; see `Message.progress`. */
export type ProgressReporter = (value: ProgressValue) => void;
