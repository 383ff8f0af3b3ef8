import type { Scenario } from "../scenario.js";
import { openDriver } from "../sides/open-driver.js";

/** Producer throughput when every enqueue waits for its reply before the next one. */
export const enqueueSingle: Scenario = {
  name: "enqueue-single",
  description: "enqueue N no-op jobs one at a time, awaiting each (Alsek task.generate(), BullMQ Queue.add)",
  metrics: [
    {
      key: "rate",
      label: "enqueue one at a time",
      unit: "msg/s",
      better: "higher",
      target: { on: "ratio", op: ">=", value: 1.2 },
    },
  ],
  async run(side, { redisUrl, sizes }) {
    const driver = await openDriver(side, redisUrl);
    try {
      await driver.enqueueOne(); // connect and load scripts outside the timed part
      const started = performance.now();
      for (let i = 0; i < sizes.singleEnqueue; i += 1) await driver.enqueueOne();
      const seconds = (performance.now() - started) / 1000;
      return { rate: sizes.singleEnqueue / seconds };
    } finally {
      await driver.close();
    }
  },
};
