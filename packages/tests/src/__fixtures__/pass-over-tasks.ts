// Two tasks on one queue, one per mechanism, for a thread pool and a process pool that share one
// backend in one process. The pools' workers import this module again by URL, so it only defines
// tasks; the Redis URL comes from an environment variable the test sets before importing it.
import { Broker, task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { StatusTracker } from "@alsek/results";

const url = process.env.ALSEK_PASS_OVER_REDIS_URL;
if (!url) throw new Error("ALSEK_PASS_OVER_REDIS_URL is not set: set it before importing the pass-over tasks.");

export const backend = new RedisBackend(url, { namespace: "pass_over" });
export const broker = new Broker(backend);
export const statusTracker = new StatusTracker(backend);

const options = { statusTracker, queue: "shared_mechanisms", maxRetries: 0 } as const;

export const onThreads = task(broker, { ...options, mechanism: "thread" }, function onThreads(n: number) {
  return n;
});
export const inProcesses = task(broker, { ...options, mechanism: "process" }, function inProcesses(n: number) {
  return n;
});

export const tasks = [onThreads, inProcesses];
