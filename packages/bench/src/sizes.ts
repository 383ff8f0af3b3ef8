import type { Sizes } from "./scenario.js";

/** Counts of a full run, as the issue asks for them. */
export const FULL_SIZES: Sizes = {
  singleEnqueue: 20_000,
  bulkEnqueue: 20_000,
  bulkChunk: 1_000,
  drain: 20_000,
  processDrain: 5_000,
  latencyMessages: 2_500,
  latencyRatePerSecond: 500,
  claimSmallBacklog: 10_000,
  claimLargeBacklog: 1_000_000,
  claimMeasured: 5_000,
  claimBatch: 100,
  memoryMessages: 100_000,
};

/** Counts of `--quick`: a smoke run that exercises every code path in well under a minute. */
export const QUICK_SIZES: Sizes = {
  singleEnqueue: 500,
  bulkEnqueue: 1_000,
  bulkChunk: 500,
  drain: 1_000,
  processDrain: 300,
  latencyMessages: 250,
  latencyRatePerSecond: 500,
  claimSmallBacklog: 1_000,
  claimLargeBacklog: 10_000,
  claimMeasured: 500,
  claimBatch: 100,
  memoryMessages: 5_000,
};
