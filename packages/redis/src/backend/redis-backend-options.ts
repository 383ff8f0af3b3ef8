import type { EventStreamOption, LogSink, Serializer } from "@alsek/core";
import type { RedisOptions } from "ioredis";

/** Options of `RedisBackend`. */
export interface RedisBackendOptions {
  /**
   * Prefix of every key and channel the backend uses. Two namespaces on one Redis never see
   * each other. 1-100 letters, digits, `_`, `-`, `.` and `:` (the rule of every backend, `validateNamespace`).
   * @defaultValue "alsek"
   */
  namespace?: string;
  /**
   * Encodes message data, results, keyed values and published values.
   * @defaultValue new JsonSerializer()
   */
  serializer?: Serializer;
  /**
   * ioredis options for the clients the backend creates itself (no connection argument, or a
   * URL), e.g. `{ tls: { ca } }` for a `rediss://` server with a private CA. Ignored when an
   * ioredis client is passed in.
   * @defaultValue {}
   */
  redisOptions?: RedisOptions;
  /**
   * Where the backend's own logs go (connection errors, queue entries it dropped, messages it
   * could not dead-letter), as any logger with pino's shape (`warn(fields, message)`); records
   * about a message carry its `queue` and `uuid`.
   * @defaultValue `null`: the process-wide logger (`setLogger`; JSON lines on stderr by default)
   */
  logger?: LogSink | null;
  /**
   * Record each queue's event stream (`QueueEvents` in `@alsek/results` reads it): `true`, or
   * `{ maxLength }` entries kept per queue (about: `XADD ... MAXLEN ~`). Each event is appended
   * by the same Lua script as the state change it records, to a stream in the queue's Cluster
   * slot. Off, the scripts skip it and it costs nothing.
   * @defaultValue `false`
   */
  events?: EventStreamOption;
}
