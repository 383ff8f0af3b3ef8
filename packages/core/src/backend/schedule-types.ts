import type { MessageData } from "../messages/message-data.js";
import type { QueuedMessage } from "./types.js";

/**
 * Names one stored schedule: a trigger task's schedule lives in its queue under the task's name,
 * so every process that defines the same trigger task shares it.
 */
export interface ScheduleRef {
  queue: string;
  /** The trigger task's name. */
  name: string;
}

/**
 * A schedule as the backend stores it (`Backend.defineSchedule`). The backend reads only
 * `nextAt`, `paused`, `revision` and `definition`; `trigger` and `template` are the definer's,
 * read back by every process that fires the schedule.
 */
export interface StoredSchedule extends ScheduleRef {
  /** The trigger as JSON text (a `TriggerSpec`), from which each process computes the next slot. */
  trigger: string;
  /**
   * What the schedule was defined from (trigger plus message options), as text: a define with the
   * same text joins the schedule, one with another text replaces it.
   */
  definition: string;
  /**
   * Random text chosen by the definer that created or last replaced the schedule. Fires are fenced
   * by it: a process still firing an older definition finds it changed and reads the new one.
   */
  revision: string;
  /** The progenitor message; every fire submits a duplicate of it. */
  template: MessageData;
  /** Epoch ms of the next slot to fire, or `null` when the schedule never fires again. */
  nextAt: number | null;
  /** Whether slots pass without a message (until resumed). */
  paused: boolean;
  /** Slots fired so far under this revision (paused slots not counted). */
  fires: number;
}

/** What `Backend.defineSchedule` stores. */
export interface ScheduleDefinition extends ScheduleRef {
  /** See {@link StoredSchedule.trigger}. */
  trigger: string;
  /** See {@link StoredSchedule.definition}. */
  definition: string;
  /** See {@link StoredSchedule.revision}; a fresh random text per define call. */
  revision: string;
  /**
   * The progenitor: submitted (with its status, as by `submit`) in the same atomic step when the
   * call creates or replaces the schedule; its data becomes {@link StoredSchedule.template}.
   */
  message: QueuedMessage;
  /** The first slot, epoch ms (`null`: never fires). */
  nextAt: number | null;
  /** Whether the schedule starts paused. */
  paused: boolean;
}

/**
 * How a define went: `"created"` (no schedule was stored), `"joined"` (one with the same
 * `definition` was: nothing changed, nothing submitted) or `"replaced"` (one with another
 * `definition` was: it is replaced as if created, the last definer wins).
 */
export type DefineScheduleOutcome = "created" | "joined" | "replaced";

/** What `Backend.defineSchedule` returns. */
export interface DefineScheduleResult {
  outcome: DefineScheduleOutcome;
  /** The schedule stored after the call. */
  schedule: StoredSchedule;
}

/** One fire attempt, for `Backend.fireSchedule`. */
export interface ScheduleFire extends ScheduleRef {
  /** The revision the caller fires ({@link StoredSchedule.revision}). */
  revision: string;
  /** The slot the caller fires: the `nextAt` it read. */
  slot: number;
  /** The slot after it (`null`: the schedule ends with this fire). */
  nextAt: number | null;
  /** The message this fire submits (a duplicate of the template, with its status if any). */
  message: QueuedMessage;
}

/**
 * How a fire attempt went:
 * - `"fired"`: this call won the slot: the message was submitted and `nextAt` advanced, atomically;
 * - `"skipped"`: the schedule is paused: `nextAt` advanced, nothing submitted;
 * - `"stale"`: another process already took the slot, or the schedule was redefined (another
 *   revision): nothing changed; fire the returned schedule instead;
 * - `"early"`: the slot is still in the future on the backend's clock: wait `waitMs`;
 * - `"gone"`: no such schedule (cleared).
 */
export type FireScheduleOutcome = "fired" | "skipped" | "stale" | "early" | "gone";

/** What `Backend.fireSchedule` returns. */
export interface FireScheduleResult {
  outcome: FireScheduleOutcome;
  /** The schedule stored after the call; `null` when `"gone"`. */
  schedule: StoredSchedule | null;
  /** With `"early"`: ms until the slot on the backend's clock. */
  waitMs?: number;
}
