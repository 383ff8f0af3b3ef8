// The task of the status race test (`../status-race.test.ts`), defined the same way in the test
// (the producer) and in the consumer process it starts (`status-race-consumer.ts`).
import { Broker, task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { StatusTracker } from "../index.js";

/** Queue of the race. */
export const RACE_QUEUE = "race";

/** A backend, broker, status tracker and a quick task that records statuses, on `url`. */
export function raceSetup(url: string, namespace: string) {
  const backend = new RedisBackend(url, { namespace });
  const broker = new Broker(backend);
  const statusTracker = new StatusTracker(backend);
  const echo = task(
    broker,
    { name: "race_echo", queue: RACE_QUEUE, statusTracker, mechanism: "thread" },
    function raceEcho(i: number) {
      return i;
    },
  );
  return { backend, broker, statusTracker, echo };
}
