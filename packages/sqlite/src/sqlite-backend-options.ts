import type { EventStreamOption, Serializer } from "@alsek/core";

/** Options of {@link SqliteBackend}. */
export interface SqliteBackendOptions {
  /**
   * Prefix of every row this backend writes; backends with different namespaces share one file
   * without seeing each other's data. 1-100 letters, digits, `_`, `-`, `.` and `:` (the rule of every backend, `validateNamespace`).
   * @defaultValue `"alsek"`
   */
  namespace?: string;
  /**
   * Encodes message data, results, values and published values.
   * @defaultValue `new JsonSerializer()`
   */
  serializer?: Serializer;
  /**
   * How often, in ms, an idle consumer checks for work submitted by other processes and a
   * subscriber checks for published values. Checks only run while someone waits or is subscribed.
   * Work submitted through this same backend wakes consumers at once.
   * @defaultValue `50`
   */
  pollIntervalMs?: number;
  /**
   * How long, in ms, a write waits for another process's transaction to finish before failing
   * with a `BackendError` (SQLite `busy_timeout`).
   * @defaultValue `5000`
   */
  busyTimeoutMs?: number;
  /**
   * How long, in ms, published rows are kept for subscribers that are slow to poll.
   * @defaultValue `60000`
   */
  pubSubRetentionMs?: number;
  /**
   * Record each queue's event stream (`QueueEvents` in `@alsek/results` reads it): `true`, or
   * `{ maxLength }` rows kept per queue (about: trimmed every 64 appends). Each row is written in
   * the transaction of the state change it records. Off, nothing is written.
   * @defaultValue `false`
   */
  events?: EventStreamOption;
}
