import type { Scenario } from "../scenario.js";
import { allocationsC50InLoop } from "./allocations.js";
import { claimThroughput } from "./claim-throughput.js";
import { drainCluster } from "./drain-cluster.js";
import { drainProcessPool, drainThreadSandbox } from "./drain-sandboxed.js";
import { drainC1, drainC1InLoop, drainC10, drainC10InLoop, drainC50, drainC50InLoop } from "./drain-thread-pool.js";
import { enqueueBulk } from "./enqueue-bulk.js";
import { enqueueSingle } from "./enqueue-single.js";
import { latency, latencyInLoop } from "./latency.js";
import { redisMemory } from "./redis-memory.js";

/** Every scenario, in the order a full run takes them. */
export const SCENARIOS: readonly Scenario[] = [
  enqueueSingle,
  enqueueBulk,
  drainC1,
  drainC10,
  drainC50,
  drainC1InLoop,
  drainC10InLoop,
  drainC50InLoop,
  allocationsC50InLoop,
  drainThreadSandbox,
  drainProcessPool,
  latency,
  latencyInLoop,
  claimThroughput,
  redisMemory,
  drainCluster,
];
