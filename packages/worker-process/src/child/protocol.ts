import type { Assignment, OutcomeReport } from "@alsek/worker";

/**
 * Messages from the pool to a warm child process. `reportStart`: whether the child must say when
 * the task starts (its module may need importing first; otherwise it starts on arrival).
 */
export type ToChild =
  | { type: "run"; assignment: Assignment; reportStart: boolean }
  | { type: "preload"; moduleUrls: readonly string[] }
  | { type: "exit" };

/** Messages from a child to the pool: the outcome plus the child's memory after the task. */
export type FromChild =
  | (OutcomeReport & { type: "outcome"; rssBytes: number })
  | { type: "started"; id: number }
  | { type: "loaded"; moduleUrls: string[] };
