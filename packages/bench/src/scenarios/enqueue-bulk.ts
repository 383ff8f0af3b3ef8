import type { Scenario } from "../scenario.js";
import { openDriver } from "../sides/open-driver.js";

/** Producer throughput with bulk calls, one chunk at a time. */
export const enqueueBulk: Scenario = {
  name: "enqueue-bulk",
  description:
    "enqueue N no-op jobs in chunks (one bulk call per chunk, chunks one after another; Alsek backend.submit, BullMQ Queue.addBulk)",
  metrics: [
    {
      key: "rate",
      label: "enqueue in bulk",
      unit: "msg/s",
      better: "higher",
      target: { on: "ratio", op: ">=", value: 2 },
    },
  ],
  async run(side, { redisUrl, sizes }) {
    const driver = await openDriver(side, redisUrl);
    try {
      await driver.enqueueOne();
      const started = performance.now();
      await driver.enqueueBulk(sizes.bulkEnqueue, sizes.bulkChunk);
      const seconds = (performance.now() - started) / 1000;
      return { rate: sizes.bulkEnqueue / seconds };
    } finally {
      await driver.close();
    }
  },
};
