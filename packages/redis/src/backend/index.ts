export { RedisBackend } from "./redis-backend.js";
export type { RedisBackendOptions } from "./redis-backend-options.js";
export { MAX_PRIORITY } from "./validation.js";
