// Tasks of the flow-control example. Workers import this module by URL, so it only defines things.
import { Broker, task } from "@alsek/core";
import { ResultStore } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
export const resultStore = new ResultStore(backend);

/**
 * When a task started, in epoch ms. `Date.now()`, not `performance.timeOrigin + now()`: each
 * worker thread has its own time origin, and they may disagree by hundreds of ms.
 */
const startedAt = (): number => Date.now();

/** Calls a partner API that allows 5 calls per second: the queue "partner_api" gets that limit. */
export const callPartner = task(broker, { queue: "partner_api", mechanism: "thread", resultStore }, function callPartner(n: number) {
  return { n, startedAt: startedAt() };
});

/**
 * Sends an email through a provider that allows 2 per second. Its own `rateLimit` limits this task
 * only: pools store it in the backend when they start, and every pool's claims obey it.
 */
export const sendEmail = task(
  broker,
  { queue: "partner_api", mechanism: "thread", resultStore, rateLimit: { max: 2, durationMs: 1_000 } },
  function sendEmail(to: string) {
    return { to, startedAt: startedAt() };
  },
);
