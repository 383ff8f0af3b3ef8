import { setTimeout as sleep } from "node:timers/promises";
import { task } from "@alsek/core";
import { record } from "./record.js";
import { broker } from "./singletons.js";

export const recordA = task(broker, { queue: "queue_a", mechanism: "thread" }, function recordA(value: string) {
  record("done.txt", `queue_a:${value}`);
});

export const recordB = task(broker, { queue: "queue_b", mechanism: "thread" }, function recordB(value: string) {
  record("done.txt", `queue_b:${value}`);
});

export const recordC = task(broker, { queue: "queue_c", mechanism: "thread" }, function recordC(value: string) {
  record("done.txt", `queue_c:${value}`);
});

/** Runs long enough for a test to stop the pool while it runs. */
export const slow = task(broker, { queue: "slow", mechanism: "thread" }, async function slow(value: string) {
  record("slow.txt", `start:${value}`);
  await sleep(1_500);
  record("slow.txt", `end:${value}`);
});

/** Runs far longer than any test: only a second stop signal ends it. */
export const hang = task(broker, { queue: "slow", mechanism: "thread" }, async function hang(value: string) {
  record("slow.txt", `start:${value}`);
  await sleep(20_000);
  record("slow.txt", `end:${value}`);
});
