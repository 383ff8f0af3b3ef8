// The `logger` option of pools, brokers and backends, and `setLogger`: one rule for all of them.
import { ValidationError } from "../errors/index.js";
import type { LogSink } from "../logging/log-sink.js";

const LOG_METHODS = ["debug", "info", "warn", "error"] as const;

/**
 * The sink `logger` is, or `null` when it is `null`/`undefined` (use the next one up).
 * @throws ValidationError naming `owner` and the missing method when `logger` is not a {@link LogSink}.
 */
export function requireLogSink(owner: string, logger: unknown): LogSink | null {
  if (logger === undefined || logger === null) return null;
  const missing =
    typeof logger === "object" || typeof logger === "function"
      ? LOG_METHODS.find((level) => typeof (logger as Record<string, unknown>)[level] !== "function")
      : "debug";
  if (missing !== undefined) {
    throw new ValidationError(
      `${owner}: \`logger\` must have debug, info, warn and error methods taking (fields, message), as a pino logger does; ` +
        `${typeof logger === "object" || typeof logger === "function" ? `it has no ${missing} method` : `got ${typeof logger}`}.`,
    );
  }
  return logger as LogSink;
}
