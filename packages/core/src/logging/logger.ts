/** Severity of a log record; `"silent"` turns logging off. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** Extra structured data attached to a record. Never put task arguments or passwords here. */
export type LogFields = Record<string, unknown>;

/** A named logger writing one JSON line per record to stderr. */
export interface Logger {
  /** The logger's name, e.g. `"alsek.pool"`. */
  readonly name: string;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

// Shared through globalThis so that two copies of core in one process (a worker importing the
// built package next to a source copy) obey a single level.
const STATE_KEY = Symbol.for("alsek.logLevel");
type LevelHolder = { [STATE_KEY]?: LogLevel };

function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && Object.hasOwn(LEVELS, value);
}

function initialLevel(): LogLevel {
  const fromEnv = process.env.ALSEK_LOG_LEVEL?.trim().toLowerCase();
  return isLogLevel(fromEnv) ? fromEnv : "warn";
}

/**
 * The current process-wide log level.
 * @defaultValue `ALSEK_LOG_LEVEL` from the environment, else `"warn"`
 */
export function getLogLevel(): LogLevel {
  const holder = globalThis as LevelHolder;
  holder[STATE_KEY] ??= initialLevel();
  return holder[STATE_KEY];
}

/** Set the process-wide log level of every Alsek logger. */
export function setLogLevel(level: LogLevel): void {
  if (!isLogLevel(level)) {
    throw new TypeError(
      `Unknown log level ${JSON.stringify(level)}: use one of ${Object.keys(LEVELS).join(", ")}.`,
    );
  }
  (globalThis as LevelHolder)[STATE_KEY] = level;
}

function plain(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

function write(name: string, level: Exclude<LogLevel, "silent">, message: string, fields?: LogFields): void {
  if (LEVELS[level] < LEVELS[getLogLevel()]) return;
  const record: Record<string, unknown> = { time: new Date().toISOString(), level, logger: name, msg: message };
  if (fields) for (const [key, value] of Object.entries(fields)) record[key] = plain(value);
  let line: string;
  try {
    line = JSON.stringify(record);
  } catch {
    line = JSON.stringify({ time: record.time, level, logger: name, msg: message });
  }
  process.stderr.write(`${line}\n`);
}

/** A logger named `name` (by convention `"alsek.<area>"`). Cheap: create one per module. */
export function createLogger(name: string): Logger {
  return {
    name,
    debug: (message, fields) => write(name, "debug", message, fields),
    info: (message, fields) => write(name, "info", message, fields),
    warn: (message, fields) => write(name, "warn", message, fields),
    error: (message, fields) => write(name, "error", message, fields),
  };
}
