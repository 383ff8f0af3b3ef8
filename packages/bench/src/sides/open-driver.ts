import type { Side } from "../scenario.js";
import { BENCH_QUEUE } from "./bullmq-connection.js";
import { BullmqDriver } from "./bullmq-driver.js";
import type { QueueDriver } from "./driver.js";

/** The producer-side driver of one library on `queue`. */
export async function openDriver(side: Side, redisUrl: string, queue = BENCH_QUEUE): Promise<QueueDriver> {
  if (side === "bullmq") return new BullmqDriver(redisUrl, queue);
  throw new Error("The Alsek side is not wired yet: @alsek/redis and the pools have not landed.");
}
