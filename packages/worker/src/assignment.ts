import type { CompactMessageData, ProgressValue } from "@alsek/core";
import type { WireOutcome } from "./wire-outcome.js";

/**
 * One message handed to a worker: all a worker needs to find the task (it imports `moduleUrl`
 * and looks `taskName` up in the task registry) and to run it. Plain data, structured-cloneable.
 */
export interface Assignment {
  /** Pool-unique id; the outcome report carries it back. */
  id: number;
  /** `file://` URL of the module that defines the task. */
  moduleUrl: string;
  /** Name under which the task is registered. */
  taskName: string;
  /**
   * The message to run, without its default fields (`compactMessageData`): it is cloned at
   * every hop to the worker, and most of a message's fields usually hold their defaults.
   */
  messageData: CompactMessageData;
  /** Hard time limit in ms, counted from when a worker starts the task. */
  timeoutMs: number;
  /**
   * Tell the pool when a worker takes this assignment up (`PoolExecutorContext.started`): the
   * pool then records status RUNNING, which a message waiting in a prefetch queue is not.
   */
  notifyStart?: boolean;
}

/** The outcome of one {@link Assignment}, reported back to the pool. */
export interface OutcomeReport {
  /** {@link Assignment.id}. */
  id: number;
  /** What happened. */
  outcome: WireOutcome;
}

/** A progress report of a running {@link Assignment}, on its way to the pool (already throttled). */
export interface ProgressReport {
  /** {@link Assignment.id}. */
  id: number;
  /** The value the task reported. */
  value: ProgressValue;
}
