import type { Side } from "../scenario.js";
import { BENCH_QUEUE } from "../queue-names.js";
import { BullmqDriver } from "./bullmq-driver.js";
import type { QueueDriver } from "./driver.js";

/** Which job to enqueue: the one the thread pool (BullMQ Worker) runs or the process-pool one. */
export interface DriverOptions {
  /** @defaultValue "bench" */
  queue?: string;
  /** @defaultValue "thread" */
  pool?: "thread" | "process";
}

/**
 * The producer-side driver of one library. The Alsek side is imported on first use because its
 * task module needs the bench's Redis URL in the environment when it loads.
 */
export async function openDriver(side: Side, redisUrl: string, options: DriverOptions = {}): Promise<QueueDriver> {
  const queue = options.queue ?? BENCH_QUEUE;
  if (side === "bullmq") return new BullmqDriver(redisUrl, queue);
  alsekSide ??= import("./alsek-driver.js");
  const { AlsekDriver } = await alsekSide;
  return new AlsekDriver(queue, options.pool ?? "thread");
}

let alsekSide: Promise<typeof import("./alsek-driver.js")> | null = null;

/** Close what drivers share across runs (the Alsek backend), if it was ever loaded. */
export async function closeSharedConnections(): Promise<void> {
  if (alsekSide === null) return;
  const { closeAlsek } = await alsekSide;
  await closeAlsek();
}
