import { INFO_OPTIONS, LOG_LEVEL_OPTION } from "./pool-option-specs.js";
import type { OptionSpec } from "./option-spec.js";

/** Default of `alsek dashboard --port`. */
export const DEFAULT_DASHBOARD_PORT = 3000;
/** Default of `alsek dashboard --host`: only this machine, unless asked otherwise. */
export const DEFAULT_DASHBOARD_HOST = "127.0.0.1";

/** `--redis-url`, `--sqlite` and `--namespace`: a backend named on the command line, no task module needed. */
export const BACKEND_OPTIONS: readonly OptionSpec[] = [
  { name: "redis-url", type: "string", describe: "Use the Redis at this URL (redis://[:password@]host:port[/db], rediss:// for TLS); needs @alsek/redis" },
  { name: "sqlite", type: "string", describe: "Use this SQLite database file; needs @alsek/sqlite" },
  { name: "namespace", type: "string", describe: "Namespace of the backend's keys or rows", defaultDescription: "alsek" },
];

/** Options of `alsek info`. */
export const INFO_BACKEND_OPTIONS: readonly OptionSpec[] = [
  ...INFO_OPTIONS.filter((spec) => spec !== LOG_LEVEL_OPTION),
  ...BACKEND_OPTIONS,
  LOG_LEVEL_OPTION,
];

/** Options of `alsek dashboard`. */
export const DASHBOARD_OPTIONS: readonly OptionSpec[] = [
  ...BACKEND_OPTIONS,
  { name: "port", type: "number", describe: "Port to listen on (0 picks a free one)", defaultDescription: String(DEFAULT_DASHBOARD_PORT) },
  { name: "host", type: "string", describe: "Address to listen on (0.0.0.0 for every interface)", defaultDescription: DEFAULT_DASHBOARD_HOST },
  { name: "read-only", type: "boolean", describe: "Hide and refuse every action (redrive, delete, revoke, purge, ...)", defaultDescription: "false" },
  { name: "base-path", type: "string", describe: "Serve under this path, e.g. /queues (behind a proxy)", defaultDescription: "/" },
  LOG_LEVEL_OPTION,
];
