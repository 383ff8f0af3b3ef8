import { availableParallelism } from "node:os";

/** Default number of worker processes: one per CPU, leaving one for the main process; at least 1. */
export function defaultProcessCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

// The pool option rules live in @alsek/core's validation (one home for every rule); the worker
// packages import them from here.
export { requireDuration, requireInteger } from "@alsek/core";
