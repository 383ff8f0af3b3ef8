import { ValidationError, type LogLevel } from "@alsek/core";

// The original's level names (Python `logging`) map onto ours, so scripts written for it still run.
const LEVEL_NAMES: Readonly<Record<string, LogLevel>> = {
  debug: "debug",
  notset: "debug",
  info: "info",
  warn: "warn",
  warning: "warn",
  error: "error",
  critical: "error",
  fatal: "error",
  silent: "silent",
};

/** Level names `--log-level` accepts, case-insensitively. */
export const LOG_LEVEL_CHOICES: readonly string[] = Object.keys(LEVEL_NAMES);

/**
 * Read a `--log-level` value: ours (`debug`, `info`, `warn`, `error`, `silent`) or the original's
 * (`DEBUG`, `NOTSET`, `INFO`, `WARNING`, `CRITICAL`, `FATAL`), in any case.
 * @throws ValidationError for any other name.
 */
export function parseLogLevel(value: string): LogLevel {
  const level = LEVEL_NAMES[value.trim().toLowerCase()];
  if (level === undefined) {
    throw new ValidationError(
      `Unknown log level '${value}': use one of ${LOG_LEVEL_CHOICES.join(", ")} (any case).`,
    );
  }
  return level;
}
