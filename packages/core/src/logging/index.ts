export { createLogger, getLogLevel, getLogger, setLogLevel, setLogger } from "./logger.js";
export type { Logger, LogLevel, LogFields, LogSinkSource, SetLogLevelOptions } from "./logger.js";
export type { LogSink } from "./log-sink.js";
export { jsonLinesSink } from "./json-lines-sink.js";
export { messageLogFields } from "./log-fields.js";
