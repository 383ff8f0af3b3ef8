import { sleep } from "../clock.js";
import type { PoolKind } from "../children/protocol.js";
import { WorkerChild } from "../children/worker-child.js";
import { PeakRssSampler } from "../process-tree-rss.js";
import type { RunContext, Side } from "../scenario.js";
import type { QueueDriver } from "../sides/driver.js";
import { openDriver } from "../sides/open-driver.js";

const POLL_INTERVAL_MS = 5;
const DRAIN_TIMEOUT_MS = 180_000;

/** What one drain run measured. */
export interface DrainMeasurement {
  /** Messages per second from the first completion to the last. */
  rate: number;
  /** Peak summed RSS of the worker child and its descendants during the drain, in bytes (0 when not sampled). */
  peakRssBytes: number;
  /** Bytes the worker child's main thread allocated per drained job (0 when not counted). */
  allocatedBytesPerJob: number;
}

/**
 * Poll until nothing is waiting or active. Returns when the first job completed (the first poll
 * that saw fewer than `count` left) and how many were left then, and when the last one did.
 */
export async function waitUntilDrained(
  driver: QueueDriver,
  count: number,
  label: string,
): Promise<{ first: { at: number; left: number }; last: number }> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let first: { at: number; left: number } | null = null;
  for (;;) {
    const { waiting, active } = await driver.pending();
    const now = performance.now();
    const left = waiting + active;
    if (first === null && left < count) first = { at: now, left };
    if (left === 0) return { first: first ?? { at: now, left: count }, last: now };
    if (Date.now() > deadline) {
      throw new Error(`${label} did not finish within ${DRAIN_TIMEOUT_MS} ms (${waiting} waiting, ${active} active).`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

/**
 * Run `2 × concurrency` jobs through a freshly started worker so every slot has started (Alsek
 * threads and processes load the task module once, BullMQ loads its scripts), then wait until
 * they are done.
 */
export async function warmUp(driver: QueueDriver, concurrency: number, label: string): Promise<void> {
  const jobs = 2 * concurrency;
  await driver.enqueueBulk(jobs, jobs);
  await waitUntilDrained(driver, jobs, `${label} warm-up`);
}

/**
 * Drain `count` jobs with a warm worker child, timed from outside. The child starts and is warmed
 * up first ({@link warmUp}); then all `count` jobs are written in one bulk call while it idles, and
 * the drain is timed from the first poll that sees a job completed to the first poll that sees
 * none left waiting or active. Both sides are observed the same way, through their own count
 * commands every few ms.
 */
export async function measureDrain(
  side: Side,
  context: RunContext,
  options: {
    pool: PoolKind;
    concurrency: number;
    count: number;
    sampleRss: boolean;
    /** Count the child's allocations during the drain (slows it: its rate is not comparable then). */
    countAllocations?: boolean;
  },
): Promise<DrainMeasurement> {
  const label = `${side} drain (${options.pool}, concurrency ${options.concurrency})`;
  const driver = await openDriver(side, context.redisUrl, { pool: options.pool === "process" ? "process" : "thread" });
  let child: WorkerChild | null = null;
  let sampler: PeakRssSampler | null = null;
  try {
    child = await WorkerChild.start({
      side,
      redisUrl: context.redisUrl,
      pool: options.pool,
      concurrency: options.concurrency,
    });
    await warmUp(driver, options.concurrency, label);
    if (options.sampleRss) sampler = new PeakRssSampler(child.pid);
    if (options.countAllocations) await child.startCountingAllocations();
    await driver.enqueueBulk(options.count, options.count);
    const { first, last } = await waitUntilDrained(driver, options.count, label);
    const seconds = Math.max(last - first.at, POLL_INTERVAL_MS) / 1000;
    const allocated = options.countAllocations ? await child.stopCountingAllocations() : 0;
    return { rate: first.left / seconds, peakRssBytes: sampler?.stop() ?? 0, allocatedBytesPerJob: allocated / options.count };
  } finally {
    sampler?.stop();
    await child?.stop();
    await driver.close();
  }
}
