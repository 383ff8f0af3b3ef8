import type { LogFields } from "./log-fields.js";

/**
 * Where Alsek's log records go: any logger with pino's method shape, `level(fields, message)`.
 * A pino logger fits as is (`pino()`, `pino(pino.destination(...))`, a child logger); so does
 * anything else with these four methods. Records arrive already filtered by Alsek's level
 * (`setLogLevel`, `ALSEK_LOG_LEVEL`, a pool's `logLevel`, the CLI's `--log-level`); the logger
 * may filter further by its own.
 *
 * Every record's `fields` carry `logger` (the Alsek area, e.g. `"alsek.pool.thread"`) and, when
 * the record is about a message, its `queue`, `task` and `uuid`. An `Error` value is given as
 * `{ name, message }`. Never task arguments, results or passwords.
 */
export interface LogSink {
  /** Detail for debugging (per message: completed, retry scheduled, …). */
  debug(fields: LogFields, message: string): void;
  /** What a pool does: started, stopped, activity summaries, retries. */
  info(fields: LogFields, message: string): void;
  /** Something went wrong and was handled: lost leases, exhausted retries, connection errors. */
  warn(fields: LogFields, message: string): void;
  /** Something failed: hooks, settlement, claims, status writes. */
  error(fields: LogFields, message: string): void;
}
