import type { Scenario } from "../scenario.js";
import { openDriver } from "../sides/open-driver.js";

const SMALL_QUEUE = "bench-claim-small";
const LARGE_QUEUE = "bench-claim-large";

/**
 * Whether claiming slows down as the backlog grows: the same number of claims (and completions)
 * from a queue holding the small backlog and from one holding the large backlog. The large
 * backlog is filled once per side (`prepare`) and shrinks by a negligible share per run; the
 * small one is topped up before each run.
 *
 * Like for like: both sides take one message per claim (BullMQ's worker loop has no batch claim),
 * so the two backlog rows compare the same work. Alsek's batched claim (`claimBatch` per call,
 * what its pools do) is reported on a row of its own, against the same one-at-a-time BullMQ
 * figure, and labelled so, so its ratio is not read as like for like.
 */
export const claimThroughput: Scenario = {
  name: "claim-throughput",
  description:
    "claim and complete M jobs from a backlog of 10k and of 1M, one at a time on both sides (Alsek backend.claim " +
    "limit 1 + ack; BullMQ Worker.getNextJob + moveToCompleted); plus Alsek claiming batches of 100 from the small backlog",
  flushBetweenRuns: false,
  metrics: [
    { key: "small", label: "claim+complete one at a time, small backlog", unit: "msg/s", better: "higher" },
    { key: "large", label: "claim+complete one at a time, large backlog", unit: "msg/s", better: "higher" },
    {
      key: "largeOverSmall",
      label: "claim rate large ÷ small backlog",
      unit: "×",
      better: "higher",
      target: { on: "alsek", op: ">=", value: 0.8 },
    },
    {
      key: "smallBatched",
      label: "claim+complete, small backlog, Alsek in batches (BullMQ one at a time; not like for like)",
      unit: "msg/s",
      better: "higher",
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
      const rate = async (driver: typeof small, batch: number): Promise<number> => {
        const started = performance.now();
        await driver.claimAndComplete(sizes.claimMeasured, batch);
        return sizes.claimMeasured / ((performance.now() - started) / 1000);
      };
      // A first small claim loads scripts and opens connections outside the timed part.
      await small.claimAndComplete(1, 1);
      await large.claimAndComplete(1, 1);
      const smallRate = await rate(small, 1);
      const largeRate = await rate(large, 1);
      // BullMQ has no batch claim: its driver ignores the batch and takes one job at a time again.
      await small.enqueueBulk(sizes.claimMeasured, 1_000, 4);
      const smallBatchedRate = await rate(small, sizes.claimBatch);
      return {
        small: smallRate,
        large: largeRate,
        largeOverSmall: largeRate / smallRate,
        smallBatched: smallBatchedRate,
      };
    } finally {
      await small.close();
      await large.close();
    }
  },
};
