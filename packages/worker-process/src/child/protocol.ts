import type { Assignment, OutcomeReport, ProgressReport, WireError } from "@alsek/worker";

/**
 * Messages from the pool to a warm child process. `reportStart`: whether the child must say when
 * the task starts (its module may need importing first; otherwise it starts on arrival).
 */
export type ToChild =
  | { type: "run"; assignment: Assignment; reportStart: boolean }
  | { type: "preload"; moduleUrls: readonly string[] }
  | { type: "exit" }
  /** Abort the signal of running task `id` with `reason`: the pool stops it, and it may end on its own. */
  | { type: "abort"; id: number; reason: WireError };

/**
 * Messages from a child to the pool: `ready` once it runs (a child that exits before could not
 * start), the outcome plus the child's memory after the task, starts and preloaded modules.
 */
export type FromChild =
  | { type: "ready" }
  | (OutcomeReport & { type: "outcome"; rssBytes: number })
  | { type: "started"; id: number }
  /** The running task's progress (throttled in the child), sent at once, ahead of its outcome. */
  | (ProgressReport & { type: "progress" })
  | { type: "loaded"; moduleUrls: string[] };
