import type { LogFields } from "./log-fields.js";
import type { LogSink } from "./log-sink.js";

type Level = "debug" | "info" | "warn" | "error";

function write(level: Level, fields: LogFields, message: string): void {
  const { logger, ...rest } = fields;
  const record: Record<string, unknown> = { time: new Date().toISOString(), level, logger, msg: message, ...rest };
  let line: string;
  try {
    line = JSON.stringify(record);
  } catch {
    line = JSON.stringify({ time: record.time, level, logger, msg: message });
  }
  process.stderr.write(`${line}\n`);
}

/**
 * The default sink: one JSON line per record on stderr,
 * `{"time":"…","level":"warn","logger":"alsek.pool.thread","msg":"…","queue":"…",…}`.
 */
export const jsonLinesSink: LogSink = {
  debug: (fields, message) => write("debug", fields, message),
  info: (fields, message) => write("info", fields, message),
  warn: (fields, message) => write("warn", fields, message),
  error: (fields, message) => write("error", fields, message),
};
