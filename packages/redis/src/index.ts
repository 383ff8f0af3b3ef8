export { RedisBackend, MAX_PRIORITY, type RedisBackendOptions } from "./backend/index.js";
export type { RedisClient, RedisConnection } from "./connection/index.js";
export { LazyClient } from "./connection/index.js";
