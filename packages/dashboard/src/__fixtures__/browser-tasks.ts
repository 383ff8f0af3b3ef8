// Tasks of the browser tests. Worker threads import this module by URL too, so it only defines
// things; the Redis URL reaches them through the environment.
import { setTimeout as sleep } from "node:timers/promises";
import { Broker, task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { ResultStore, StatusTracker, TaskStatus } from "@alsek/results";

export { TaskStatus };

const url = process.env.ALSEK_DASHBOARD_TEST_REDIS_URL;
if (url === undefined) throw new Error("Set ALSEK_DASHBOARD_TEST_REDIS_URL before importing the browser test tasks.");

export const backend = new RedisBackend(url, { namespace: "dashboard-browser" });
export const broker = new Broker(backend);
export const statusTracker = new StatusTracker(backend);
export const resultStore = new ResultStore(backend);
const tracked = { statusTracker, resultStore, mechanism: "thread" as const };

/** Returns its argument after `ms`, so a page can watch it run. */
export const slowEcho = task(broker, { name: "slowEcho", queue: "work", ...tracked }, async (value: string, ms: number) => {
  await sleep(ms);
  return { echoed: value };
});

/** Fails (no retries) until the keyed value `flaky-fixed` exists; the error text is hostile markup. */
export const flaky = task(broker, { name: "flaky", queue: "work", maxRetries: 0, ...tracked }, async (value: string) => {
  if (!(await backend.hasValue("flaky-fixed"))) throw new Error(`<script>window.__xss = "error"</script> not fixed yet: ${value}`);
  return `fixed ${value}`;
});

/** A queue no pool of the tests consumes: its counts only grow. */
export const held = task(broker, { name: "held", queue: "held", ...tracked }, () => null);
