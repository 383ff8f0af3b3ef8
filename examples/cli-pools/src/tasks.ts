// The task module the `alsek` CLI loads: it must only define things (the CLI and every worker
// import it). The CLI finds every exported task; each pool runs those of its own mechanism.
import { Broker, task } from "@alsek/core";
import { ResultStore } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
export const resultStore = new ResultStore(backend);

/** Runs on `alsek thread-pool` (mechanism "thread"). */
export const shout = task(broker, { queue: "text", mechanism: "thread", resultStore }, function shout(text: string) {
  return `${text.toUpperCase()}! (thread, pid ${process.pid})`;
});

/** Runs on `alsek process-pool` (mechanism "process", the default). */
export const sumN = task(broker, { queue: "math", resultStore }, function sumN(n: number) {
  return `${(n * (n + 1)) / 2} (process, pid ${process.pid})`;
});

/** In a queue that neither pool is told to consume (`-qu`), so it stays queued. */
export const later = task(broker, { queue: "later", mechanism: "thread", resultStore }, function later() {
  return "should not run here";
});
