import { sleep } from "../clock.js";
import { WorkerChild } from "../children/worker-child.js";
import { PeakRssSampler } from "../process-tree-rss.js";
import type { RunContext, Side } from "../scenario.js";
import { openDriver } from "../sides/open-driver.js";

const POLL_INTERVAL_MS = 5;
const DRAIN_TIMEOUT_MS = 180_000;

/** What one drain run measured. */
export interface DrainMeasurement {
  /** Messages per second from the first claim to the last completion. */
  rate: number;
  /** Peak summed RSS of the worker child and its descendants during the drain, in bytes. */
  peakRssBytes: number;
}

/**
 * Pre-enqueue `count` no-op jobs, start a worker child, and time the drain from outside: from the
 * first poll that sees a job completed to the first poll that sees none left waiting or active.
 * Start-up (forking, spawning a group and its threads, connecting, loading scripts) stays outside
 * the timed part for both sides, which are observed the same way, through their own count
 * commands every few ms.
 */
export async function measureDrain(
  side: Side,
  context: RunContext,
  options: { pool: "thread" | "process"; concurrency: number; count: number },
): Promise<DrainMeasurement> {
  const driver = await openDriver(side, context.redisUrl, { pool: options.pool });
  let child: WorkerChild | null = null;
  let sampler: PeakRssSampler | null = null;
  try {
    await driver.enqueueBulk(options.count, 1_000, 4);
    child = await WorkerChild.start({
      side,
      redisUrl: context.redisUrl,
      pool: options.pool,
      concurrency: options.concurrency,
    });
    sampler = new PeakRssSampler(child.pid);
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    let firstCompleted: { at: number; left: number } | null = null;
    for (;;) {
      const { waiting, active } = await driver.pending();
      const now = performance.now();
      const left = waiting + active;
      if (firstCompleted === null && left < options.count) firstCompleted = { at: now, left };
      if (left === 0) {
        const start = firstCompleted ?? { at: now, left: options.count };
        const seconds = Math.max(now - start.at, POLL_INTERVAL_MS) / 1000;
        return { rate: start.left / seconds, peakRssBytes: sampler.stop() };
      }
      if (Date.now() > deadline) {
        throw new Error(`${side} drain did not finish within ${DRAIN_TIMEOUT_MS} ms (${waiting} waiting, ${active} active).`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  } finally {
    sampler?.stop();
    await child?.stop();
    await driver.close();
  }
}
