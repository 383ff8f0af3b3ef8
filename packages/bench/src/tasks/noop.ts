// The Alsek tasks of the bench. Compiled to dist/tasks/noop.js, which the pools' workers import
// (worker threads and child processes cannot load TypeScript without a loader).
import { Broker, task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { sharedClockMs } from "../clock.js";
import { BENCH_QUEUE, REDIS_URL_ENV } from "../queue-names.js";

const redisUrl = process.env[REDIS_URL_ENV];
if (!redisUrl) {
  // Never fall back to redis://localhost:6379: that may be someone else's server.
  throw new Error(`${REDIS_URL_ENV} is not set: the bench sets it to its own redis-server before loading the Alsek side.`);
}

/**
 * The backend every Alsek producer, pool and worker of the bench uses (connects on first use).
 * `ALSEK_BENCH_EVENTS=1` turns its event streams on, to measure what they cost.
 */
export const backend = new RedisBackend(redisUrl, { events: process.env.ALSEK_BENCH_EVENTS === "1" });

/** The bench's broker; no dead-letter retention, as BullMQ's `removeOnFail: true`. */
export const broker = new Broker(backend, { dlqTtl: null });

const common = { queue: BENCH_QUEUE, maxRetries: 0, timeout: 60_000 } as const;

/** The no-op job for the thread pool; returns when it started, for the latency scenario. */
export const noopThread = task(broker, { ...common, name: "noopThread", mechanism: "thread" }, function noopThread() {
  return sharedClockMs();
});

/** The no-op job for the process pool. */
export const noopProcess = task(broker, { ...common, name: "noopProcess", mechanism: "process" }, function noopProcess() {
  return sharedClockMs();
});
