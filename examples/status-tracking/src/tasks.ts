// Tasks of the status-tracking example. Workers import this module by URL, so it only defines things.
import { Broker, task, type Message } from "@alsek/core";
import { StatusTracker } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
export const statusTracker = new StatusTracker(backend);

/** The guided tour's `sum_n`, with its status tracked. */
export const sumN = task(broker, { mechanism: "thread", statusTracker }, function sumN(n: number) {
  return (n * (n + 1)) / 2;
});

/** Fails its first attempt and succeeds on the retry, to show RETRYING. */
export const flakyOnce = task(
  broker,
  { mechanism: "thread", statusTracker, backoff: null, passMessage: true },
  function flakyOnce(message: Message) {
    if (message.retries === 0) throw new Error("first attempt fails");
    return "ok on retry";
  },
);
