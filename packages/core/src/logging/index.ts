export { createLogger, getLogLevel, setLogLevel } from "./logger.js";
export type { Logger, LogLevel, LogFields } from "./logger.js";
