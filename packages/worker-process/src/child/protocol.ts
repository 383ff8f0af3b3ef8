import type { Assignment, OutcomeReport, ProgressReport, WireError } from "@alsek/worker";

/**
 * What the pool writes to a warm child process at once: the {@link ToChild} messages of one tick
 * of the pool, in order (one IPC write however many messages it carries).
 */
export type ToChildBatch = readonly ToChild[];

/**
 * Messages from the pool to a warm child process. `reportStart`: whether the child must say when
 * the task starts (its module may need importing first; otherwise it starts on arrival).
 * `maxRssBytes`: the pool's memory limit; without one (null) the child does not measure its
 * memory after a task (reading it costs tens of µs per task) and reports 0.
 */
export type ToChild =
  | { type: "run"; assignment: Assignment; reportStart: boolean; maxRssBytes: number | null }
  /**
   * An assignment sent ahead while a task runs, queued behind the standbys sent before it: the
   * child starts the first queued one as soon as the running task ends and says so in that task's
   * outcome (`nextStarted`). It gives all queued ones back (`returned`) instead when the running
   * task's signal was aborted, or when its resident memory after the running task exceeds
   * `maxRssBytes` (the pool recycles it then). One that arrives when nothing runs any more starts
   * at once, like a `run` (or goes back if memory is over), and the ones after it queue behind it.
   */
  | { type: "standby"; assignment: Assignment; maxRssBytes: number | null }
  /** Give queued standby `id` back (`returned`) if it has not started; a started one runs on. */
  | { type: "return"; id: number }
  | { type: "preload"; moduleUrls: readonly string[] }
  | { type: "exit" }
  /**
   * Abort the signal of running task `id` with `reason`: the pool stops it, and it may end on its
   * own. A standby `id` that has not started is given back (`returned`) and never runs.
   */
  | { type: "abort"; id: number; reason: WireError };

/**
 * Messages from a child to the pool: `ready` once it runs (a child that exits before could not
 * start), the outcome plus the child's memory after the task and whether it started its standby
 * as that task ended, starts, standbys given back unstarted, and preloaded modules.
 */
export type FromChild =
  | { type: "ready" }
  | (OutcomeReport & { type: "outcome"; /** 0 when not measured (no limit). */ rssBytes: number; nextStarted: boolean })
  | { type: "started"; id: number }
  /** Standbys `ids` (in their order) did not start and never will in this child; sent before the outcome of the task they waited behind. */
  | { type: "returned"; ids: number[] }
  /** The running task's progress (throttled in the child), sent at once, ahead of its outcome. */
  | (ProgressReport & { type: "progress" })
  | { type: "loaded"; moduleUrls: string[] };
