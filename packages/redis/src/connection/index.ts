export {
  resolveClient,
  isCluster,
  type RedisClient,
  type RedisConnection,
  type ResolvedClient,
} from "./redis-client.js";
export { logConnectionErrors, describeEndpoint } from "./connection-error-log.js";
export { LazyClient } from "./lazy-client.js";
export { loadIoredis, ioredisLoaded, ioredisNow, type Ioredis } from "./ioredis-driver.js";
export { describePermanentFailure } from "./permanent-failure.js";
export { watchForPermanentFailure } from "./permanent-failure-watch.js";
export { quietReadyCheck } from "./quiet-ready-check.js";
export { guardSocketErrors } from "./socket-error-guard.js";
