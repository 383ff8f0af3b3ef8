import type { Assignment, OutcomeReport, ProgressReport, WireError } from "@alsek/worker";

/**
 * Messages from the pool's main process to a process group. Assignments travel in batches: one
 * IPC message carries every assignment made in the same tick.
 */
export type ToGroup =
  | { type: "run"; assignments: Assignment[] }
  | { type: "cancel"; id: number; reason: WireError }
  /** Report the assignments queued in the group (not started yet) with `reason`. */
  | { type: "drop-queued"; reason: WireError }
  | { type: "stop"; reason: WireError };

/**
 * Messages from a process group to the main process: `ready` once it runs (a group that exits
 * before could not start), then, batched per tick, the ids of assignments with `notifyStart` that
 * went to a thread and the outcomes.
 */
export type FromGroup =
  | { type: "ready" }
  | { type: "outcomes"; started: number[]; reports: OutcomeReport[] }
  /** A running task's progress (throttled in its thread), passed on as it arrives. */
  | (ProgressReport & { type: "progress" })
  /** One of the group's threads could not start (its tasks were in the outcomes before this). */
  | { type: "thread-start-failed"; message: string };

/** Messages from a group's main thread to one of its worker threads. */
export type ToThread =
  /**
   * Start `assignments` now; `reportStart`: ids whose start the thread must report (their module
   * may not be loaded yet). `standby`: assignments sent ahead, queued in the thread, each started
   * the moment one of the thread's tasks ends (`promoted` in the batch that reports that end).
   */
  | { type: "run"; assignments: Assignment[]; reportStart: number[]; standby?: Assignment[] }
  | { type: "preload"; moduleUrls: readonly string[] }
  /**
   * Abort the signals of these running tasks with `reason` (the group stops them): they may end on
   * their own. Those of them still queued as standbys come back unstarted (`returned`).
   */
  | { type: "abort"; ids: number[]; reason: WireError }
  /** Send every standby still queued back unstarted (`returned`). */
  | { type: "return" }
  /**
   * `count` slots of the group are free for the standbys queued here (slots their tasks freed
   * before the standbys arrived): start that many of them, if there are (`granted`).
   */
  | { type: "start"; count: number };

/**
 * Messages from a worker thread to its group's main thread, batched per tick: the ids of tasks
 * that started (only those the group asked about: their module may have had to be imported
 * first; the others start on arrival), the outcomes of those that finished, the modules a
 * preload imported, the standbys that started in the slots those outcomes freed (`promoted`, one
 * per outcome at most), the answer to `start` requests (`granted`: the slots offered, and the
 * standbys started in them; the rest are free again) and the standbys sent back unstarted
 * (`returned`). Standbys start only once the batch naming them is posted.
 */
export type FromThread =
  | {
      type: "batch";
      started: number[];
      outcomes: OutcomeReport[];
      loaded?: string[];
      promoted?: number[];
      granted?: { offered: number; ids: number[] };
      returned?: number[];
      /** Slots freed since the last batch with no standby there to take them. */
      unfilled?: number;
    }
  /** A running task's progress, posted at once (its thread throttles it), ahead of its outcome. */
  | (ProgressReport & { type: "progress" });

/** What a worker thread gets as `workerData`. */
export interface ThreadData {
  /** Close the port after the one task (completeOnlyOnThreadExit). */
  exitAfterTask: boolean;
  /**
   * Float64 slots the thread writes and its group reads without a message:
   * - `[CULPRIT_SLOT]`: the id of the task that was running when the thread exited or threw
   *   uncaught, so the group can tell whose fault a crash was (0 when unknown);
   * - `[IN_FLIGHT_SLOT]`: how many tasks the thread has taken and not finished;
   * - `[PROGRESS_AT_SLOT]`: when the thread last finished a task or took work while idle, in ms
   *   of the clock every thread shares (`sharedClockMs` in `thread/shared-clock.ts`).
   * The last two tell a thread finishing many short tasks from one blocked by a long task, even
   * while the group's own event loop lags behind the thread's messages.
   */
  shared: SharedArrayBuffer;
}

/** Index of the culprit's id in {@link ThreadData.shared}. */
export const CULPRIT_SLOT = 0;
/** Index of the count of tasks taken and not finished in {@link ThreadData.shared}. */
export const IN_FLIGHT_SLOT = 1;
/** Index of the time of the last progress in {@link ThreadData.shared}. */
export const PROGRESS_AT_SLOT = 2;
export const SHARED_BYTES = 3 * Float64Array.BYTES_PER_ELEMENT;

/** Settings a group process reads from {@link GROUP_CONFIG_ENV}. */
export interface GroupConfig {
  /** Worker threads in this group at most (and tasks running in it at most; more are queued). */
  nThreads: number;
  /** A task's slot frees only once its thread exited on its own (a fresh thread per task). */
  completeOnlyOnThreadExit: boolean;
  /** One task per thread at a time instead of packing several async tasks into one thread. */
  isolateTasks: boolean;
  /** Task modules the group's threads import as soon as they start. */
  moduleUrls: readonly string[];
  /**
   * Young-generation cap of each worker thread in MiB (`resourceLimits.maxYoungGenerationSizeMb`);
   * omitted: V8's default (the user set their own semi-space size in the pool's Node flags).
   */
  threadYoungGenerationMb?: number;
  /**
   * How long a stopped task gets to end on its own after its signal aborted, in ms, before its
   * thread is terminated; 0: terminated at once.
   */
  abortGraceMs: number;
}

/** Environment variable carrying the JSON {@link GroupConfig} to a group process. */
export const GROUP_CONFIG_ENV = "ALSEK_THREAD_GROUP_CONFIG";
