import type { Scenario } from "../scenario.js";
import { openDriver } from "../sides/open-driver.js";

const SMALL_QUEUE = "bench-claim-small";
const LARGE_QUEUE = "bench-claim-large";

/**
 * Whether claiming slows down as the backlog grows: the same number of claims (and completions)
 * from a queue holding the small backlog and from one holding the large backlog. The large
 * backlog is filled once per side (`prepare`) and shrinks by a negligible share per run; the
 * small one is topped up before each run.
 */
export const claimThroughput: Scenario = {
  name: "claim-throughput",
  description:
    "claim and complete M jobs from a backlog of 10k and of 1M (Alsek backend.claim batches of 100 + ack; " +
    "BullMQ Worker.getNextJob + moveToCompleted, one at a time)",
  flushBetweenRuns: false,
  metrics: [
    { key: "small", label: "claim+complete, small backlog", unit: "msg/s", better: "higher" },
    { key: "large", label: "claim+complete, large backlog", unit: "msg/s", better: "higher" },
    {
      key: "largeOverSmall",
      label: "claim rate large ÷ small backlog",
      unit: "×",
      better: "higher",
      target: { on: "alsek", op: ">=", value: 0.8 },
    },
  ],
  async prepare(side, { redisUrl, sizes, log }) {
    const driver = await openDriver(side, redisUrl, { queue: LARGE_QUEUE });
    try {
      const started = performance.now();
      await driver.enqueueBulk(sizes.claimLargeBacklog, 1_000, 4);
      log(`${side}: filled ${sizes.claimLargeBacklog} jobs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await driver.close();
    }
  },
  async run(side, { redisUrl, sizes }) {
    const small = await openDriver(side, redisUrl, { queue: SMALL_QUEUE });
    const large = await openDriver(side, redisUrl, { queue: LARGE_QUEUE });
    try {
      const { waiting } = await small.pending();
      await small.enqueueBulk(sizes.claimSmallBacklog - waiting, 1_000, 4);
      const rate = async (driver: typeof small): Promise<number> => {
        const started = performance.now();
        await driver.claimAndComplete(sizes.claimMeasured, sizes.claimBatch);
        return sizes.claimMeasured / ((performance.now() - started) / 1000);
      };
      // A first small claim loads scripts and opens connections outside the timed part.
      await small.claimAndComplete(1, 1);
      await large.claimAndComplete(1, 1);
      const smallRate = await rate(small);
      const largeRate = await rate(large);
      return { small: smallRate, large: largeRate, largeOverSmall: largeRate / smallRate };
    } finally {
      await small.close();
      await large.close();
    }
  },
};
