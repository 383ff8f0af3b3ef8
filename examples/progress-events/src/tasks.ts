// Tasks of the progress-events example. Workers import this module by URL, so it only defines things.
import { setTimeout as sleep } from "node:timers/promises";
import { Broker, task, type Message } from "@alsek/core";
import { StatusTracker } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
export const statusTracker = new StatusTracker(backend);

/**
 * Works through `files` one by one, reporting how far it got after each. (Both parameters are
 * optional only so that the task fits a pool's `tasks` list, whose type does not yet accept a
 * `passMessage` task that requires arguments; the pool always passes the message.)
 */
export const resizeImages = task(
  broker,
  { mechanism: "thread", statusTracker, passMessage: true },
  async function resizeImages(files: string[] = [], message?: Message) {
    for (const [index, file] of files.entries()) {
      await sleep(150); // the "work": slower than the ~10 reports a second progress() keeps
      message?.progress({ done: index + 1, of: files.length, file });
    }
    return files.length;
  },
);

/** Reports 0..100 in a tight loop: the worker throttles it to two writes, the first and the last. */
export const tightLoop = task(broker, { mechanism: "thread", statusTracker, passMessage: true }, function tightLoop(message: Message) {
  for (let percent = 0; percent <= 100; percent++) message.progress(percent);
  return "done";
});

/** Fails its first attempt and succeeds on the retry, to show `retried` in the event stream. */
export const flakyOnce = task(
  broker,
  { mechanism: "thread", statusTracker, backoff: null, passMessage: true },
  function flakyOnce(message: Message) {
    if (message.retries === 0) throw new Error("first attempt fails");
    return "ok on retry";
  },
);
