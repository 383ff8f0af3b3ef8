import type { Topology } from "../multi-queue/topology.js";
import type { Side } from "../scenario.js";

/**
 * What runs the jobs on each side. `thread`: Alsek ThreadWorkerPool / in-process BullMQ Worker.
 * `in-loop`: Alsek InLoopWorkerPool (tasks in the pool's event loop) / the same in-process BullMQ
 * Worker. `thread-sandbox`: Alsek ThreadWorkerPool / BullMQ sandboxed processor on worker threads
 * (`useWorkerThreads: true`): both run jobs off the worker's event loop, on worker threads.
 * `process`: Alsek ProcessWorkerPool / BullMQ sandboxed processor in child processes.
 */
export type PoolKind = "thread" | "in-loop" | "thread-sandbox" | "process";

/** How the child that does the work is set up; passed as its only argument (JSON). */
export interface WorkerChildConfig {
  side: Side;
  redisUrl: string;
  pool: PoolKind;
  concurrency: number;
  /**
   * When set, the child runs the multi-queue worker (every queue of `MULTI_QUEUES`) on this
   * topology instead of the bench queue on `redisUrl`.
   */
  topology?: Topology;
  /** When set, record start/end times of this many jobs and report them once all completed. */
  latencyExpected?: number;
}

/** One job's timings, in ms of the shared clock (see `sharedClockMs`). */
export interface LatencySample {
  id: string;
  /** When the job's function started. */
  start: number;
  /** When the library reported the job completed (after its completion write). */
  end: number;
}

/** Messages from the worker child to the bench. */
export type ChildMessage =
  | { type: "ready" }
  | { type: "latency"; samples: LatencySample[] }
  /** Counting allocations has started (answer to `allocations-start`). */
  | { type: "allocations-started" }
  /** Bytes allocated since `allocations-start` (answer to `allocations-stop`). */
  | { type: "allocations"; bytes: number };

/** Messages from the bench to the worker child. */
export type ParentMessage = { type: "stop" } | { type: "allocations-start" } | { type: "allocations-stop" };
