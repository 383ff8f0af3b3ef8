import type { Assignment, OutcomeReport, WireError } from "@alsek/core";

/**
 * Messages from the pool's main process to a process group. Assignments travel in batches: one
 * IPC message carries every assignment made in the same tick.
 */
export type ToGroup =
  | { type: "run"; assignments: Assignment[] }
  | { type: "cancel"; id: number; reason: WireError }
  | { type: "stop"; reason: WireError };

/** Messages from a process group to the main process; outcomes are batched per tick. */
export type FromGroup = { type: "outcomes"; reports: OutcomeReport[] };

/** Messages from a group's main thread to one of its worker threads. */
export type ToThread = { type: "run"; assignment: Assignment };

/** Messages from a worker thread to its group's main thread. */
export type FromThread = (OutcomeReport & { type: "outcome" }) | { type: "started"; id: number };

/** Settings a group process reads from {@link GROUP_CONFIG_ENV}. */
export interface GroupConfig {
  /** Worker threads in this group at most. */
  nThreads: number;
  /** A task's slot frees only once its thread exited on its own (a fresh thread per task). */
  completeOnlyOnThreadExit: boolean;
}

/** Environment variable carrying the JSON {@link GroupConfig} to a group process. */
export const GROUP_CONFIG_ENV = "ALSEK_THREAD_GROUP_CONFIG";

/** Environment variable telling a worker thread to exit after its one task. */
export const EXIT_AFTER_TASK = "exitAfterTask";
