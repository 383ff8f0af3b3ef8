import type { LogFields } from "./log-fields.js";
import type { LogSink } from "./log-sink.js";
import { requireLogSink } from "../validation/log-sink-rule.js";
import { jsonLinesSink } from "./json-lines-sink.js";

export type { LogFields } from "./log-fields.js";

/** Severity of a log record; `"silent"` turns logging off. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/**
 * A named Alsek logger (message first). Its records go to the sink it was created with, else to
 * the process-wide one ({@link setLogger}; JSON lines on stderr by default).
 */
export interface Logger {
  /** The logger's name, e.g. `"alsek.pool"`. */
  readonly name: string;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * Where a logger sends its records: a sink, or a function returning the sink of the moment (a
 * component's option, read when a record is written); `null`/`undefined` means the
 * process-wide sink.
 */
export type LogSinkSource = LogSink | null | undefined | (() => LogSink | null | undefined);

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

// Shared through globalThis so that two copies of core in one process (a worker importing the
// built package next to a source copy) obey a single level and a single sink.
const LEVEL_KEY = Symbol.for("alsek.logLevel");
const SINK_KEY = Symbol.for("alsek.logSink");
type StateHolder = { [LEVEL_KEY]?: LogLevel; [SINK_KEY]?: LogSink | null };

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
  const holder = globalThis as StateHolder;
  holder[LEVEL_KEY] ??= initialLevel();
  return holder[LEVEL_KEY];
}

/** Options of {@link setLogLevel}. */
export interface SetLogLevelOptions {
  /**
   * Also set `ALSEK_LOG_LEVEL` in this process's environment, so that worker threads and child
   * processes started afterwards begin at this level (a pool's `logLevel` and the CLI's
   * `--log-level` do).
   * @defaultValue false
   */
  inherited?: boolean;
}

/** Set the process-wide log level of every Alsek logger (whatever its sink). */
export function setLogLevel(level: LogLevel, options: SetLogLevelOptions = {}): void {
  if (!isLogLevel(level)) {
    throw new TypeError(
      `Unknown log level ${JSON.stringify(level)}: use one of ${Object.keys(LEVELS).join(", ")}.`,
    );
  }
  (globalThis as StateHolder)[LEVEL_KEY] = level;
  if (options.inherited === true) process.env.ALSEK_LOG_LEVEL = level;
}

/**
 * Send every Alsek record of this process that no component's `logger` option claims to
 * `logger` (pino's shape: `info(fields, message)`); `null` restores the default, JSON lines on
 * stderr. Worker threads and process children have their own: see the worker packages' READMEs.
 * @throws ValidationError when `logger` lacks one of the four methods.
 */
export function setLogger(logger: LogSink | null): void {
  (globalThis as StateHolder)[SINK_KEY] = requireLogSink("setLogger", logger);
}

/** The process-wide sink: the one given to {@link setLogger}, else JSON lines on stderr. */
export function getLogger(): LogSink {
  return (globalThis as StateHolder)[SINK_KEY] ?? jsonLinesSink;
}

function plain(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

function sinkOf(source: LogSinkSource): LogSink {
  const sink = typeof source === "function" ? source() : source;
  return sink ?? getLogger();
}

function write(
  name: string,
  source: LogSinkSource,
  level: Exclude<LogLevel, "silent">,
  message: string,
  fields?: LogFields,
): void {
  if (LEVELS[level] < LEVELS[getLogLevel()]) return;
  const record: LogFields = { logger: name };
  if (fields) for (const [key, value] of Object.entries(fields)) record[key] = plain(value);
  try {
    sinkOf(source)[level](record, message);
  } catch {
    // A logger that throws must not break the queue; there is nowhere left to report it.
  }
}

/**
 * A logger named `name` (by convention `"alsek.<area>"`). Cheap: create one per module, or one
 * per component with that component's `logger` option as `sink`.
 */
export function createLogger(name: string, sink?: LogSinkSource): Logger {
  return {
    name,
    debug: (message, fields) => write(name, sink, "debug", message, fields),
    info: (message, fields) => write(name, sink, "info", message, fields),
    warn: (message, fields) => write(name, sink, "warn", message, fields),
    error: (message, fields) => write(name, sink, "error", message, fields),
  };
}
