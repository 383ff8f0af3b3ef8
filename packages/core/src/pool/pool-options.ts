import { availableParallelism } from "node:os";

/** Default number of worker processes: one per CPU, leaving one for the main process; at least 1. */
export function defaultProcessCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

// The rules live with every other argument rule; pools and the CLI keep importing them from here.
export { requireDuration, requireInteger } from "../validation/option-rules.js";
