import type { Serializer } from "@alsek/core";
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
}
