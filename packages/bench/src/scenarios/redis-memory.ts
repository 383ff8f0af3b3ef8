import { Redis } from "ioredis";
import type { Scenario } from "../scenario.js";
import { openDriver } from "../sides/open-driver.js";

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  const match = /^used_memory:(\d+)\r?$/m.exec(info);
  if (!match) throw new Error("INFO memory did not report used_memory.");
  return Number(match[1]);
}

/** Redis memory per queued message: `used_memory` before and after enqueuing N no-op jobs. */
export const redisMemory: Scenario = {
  name: "redis-memory",
  description: "INFO memory used_memory delta ÷ N after enqueuing N no-op jobs in bulk (fresh FLUSHALL before)",
  metrics: [
    {
      key: "bytesPerMessage",
      label: "Redis memory per queued message",
      unit: "B",
      better: "lower",
      target: { on: "ratio", op: "<=", value: 1 },
    },
  ],
  async run(side, { redisUrl, sizes }) {
    const driver = await openDriver(side, redisUrl);
    const admin = new Redis(redisUrl);
    try {
      // One message first so connection-level and per-queue constant costs are not counted.
      await driver.enqueueOne();
      const before = await usedMemory(admin);
      await driver.enqueueBulk(sizes.memoryMessages, 1_000, 4);
      const after = await usedMemory(admin);
      return { bytesPerMessage: (after - before) / sizes.memoryMessages };
    } finally {
      await driver.close();
      admin.disconnect();
    }
  },
};
