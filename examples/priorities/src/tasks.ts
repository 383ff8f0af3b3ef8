// Tasks of the priorities example. Workers import this module by URL, so it only defines things.
import { Broker, task } from "@alsek/core";
import { ResultStore } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
export const resultStore = new ResultStore(backend);

/**
 * The guided tour's `task_a`. It returns its label and when it ran, in fractional epoch ms: two
 * quick tasks often run within the same millisecond, which `Date.now()` could not order.
 */
export const taskA = task(broker, { queue: "my_queue", resultStore }, function taskA(label: string) {
  return { label, ranAt: performance.timeOrigin + performance.now() };
});
