import { Redis } from "ioredis";
import type { Scenario } from "../scenario.js";
import { openDriver } from "../sides/open-driver.js";

/**
 * Rounds the timed part is cut into: each times a share of the PINGs, then the same share of the
 * enqueues, so a stretch of a busy host slows both alike.
 */
const ROUNDS = 10;

/**
 * Producer throughput when every enqueue waits for its reply before the next one. Each enqueue is
 * one round trip on both sides, so its time has a floor that no library code can lower: a bare
 * round trip (an awaited PING on an ioredis client of its own, the client both libraries use).
 * That floor is timed in the same run, interleaved with the enqueues, and each side's time above it
 * is reported: what the library itself adds to a submit, compared like for like. The floor is
 * reported too, per side: the two should agree; when they do not, the host was noisy.
 */
export const enqueueSingle: Scenario = {
  name: "enqueue-single",
  description:
    "enqueue N no-op jobs one at a time, awaiting each (Alsek task.generate(), BullMQ Queue.add), interleaved with N " +
    "awaited PINGs (the round trip's floor) on an ioredis client of its own",
  metrics: [
    {
      key: "rate",
      label: "enqueue one at a time",
      unit: "msg/s",
      better: "higher",
      target: { on: "ratio", op: ">=", value: 1.2 },
    },
    { key: "aboveFloorUs", label: "enqueue one at a time, time above a bare round trip", unit: "µs", better: "lower" },
    { key: "floorUs", label: "bare round trip (awaited PING; the same for both sides)", unit: "µs", better: "lower" },
  ],
  async run(side, { redisUrl, sizes }) {
    const driver = await openDriver(side, redisUrl);
    const ping = new Redis(redisUrl, { lazyConnect: true });
    try {
      await ping.connect();
      await ping.ping();
      await driver.enqueueOne(); // connect and load scripts outside the timed part
      let pingMs = 0;
      let enqueueMs = 0;
      let enqueued = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        const count = Math.round((sizes.singleEnqueue * (round + 1)) / ROUNDS) - enqueued;
        let started = performance.now();
        for (let i = 0; i < count; i += 1) await ping.ping();
        pingMs += performance.now() - started;
        started = performance.now();
        for (let i = 0; i < count; i += 1) await driver.enqueueOne();
        enqueueMs += performance.now() - started;
        enqueued += count;
      }
      const floorUs = (pingMs * 1000) / enqueued;
      const enqueueUs = (enqueueMs * 1000) / enqueued;
      return { rate: enqueued / (enqueueMs / 1000), aboveFloorUs: enqueueUs - floorUs, floorUs };
    } finally {
      ping.disconnect();
      await driver.close();
    }
  },
};
