// The BullMQ sandboxed processor: BullMQ forks a child that imports this compiled file
// (dist/children/bullmq-sandbox-processor.js) and calls its default export per job.
import { sharedClockMs } from "../clock.js";

/** The no-op job; returns when it started, for the latency scenario. */
export default async function noop(): Promise<number> {
  return sharedClockMs();
}
