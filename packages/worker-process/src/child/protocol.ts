import type { Assignment, OutcomeReport } from "@alsek/core";

/** Messages from the pool to a warm child process. */
export type ToChild = { type: "run"; assignment: Assignment } | { type: "exit" };

/** Messages from a child to the pool: the outcome plus the child's memory after the task. */
export type FromChild = (OutcomeReport & { type: "outcome"; rssBytes: number }) | { type: "started"; id: number };
