import type { ExceptionDetails, ListingOrder, MessageData, MessageState, ProgressUpdate, RateLimit } from "@alsek/core";
import type { StatusUpdate } from "../status/index.js";

/** One queue at a glance, as {@link QueueInspector.listQueues} returns it. */
export interface QueueSummary {
  /** The queue's name. */
  queue: string;
  /** Messages per state right now (due delayed messages and expired leases count as ready). */
  counts: {
    ready: number;
    delayed: number;
    active: number;
    deadLettered: number;
  };
  /**
   * How long the message at the head of the ready line (the next to be claimed) has been ready,
   * in ms; `null` when nothing is ready. A growing value means no pool keeps up with the queue.
   */
  oldestReadyAgeMs: number | null;
  /** Whether claims skip the queue (`broker.pauseQueue`, {@link QueueInspector.pause}). */
  paused: boolean;
  /** The queue's rate limit (`broker.setRateLimit`), or `null`. */
  rateLimit: RateLimit | null;
  /** Rate limits of single tasks of the queue, by task name (empty when none). */
  taskRateLimits: Record<string, RateLimit>;
}

/** One message in a listing, as {@link QueueInspector.listMessages} returns it. */
export interface MessageSummary {
  queue: string;
  uuid: string;
  taskName: string;
  /** The index the message is in (a delayed message whose time passed stays `"delayed"` until claimed). */
  state: MessageState;
  priority: number;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms from which it may run: the delayed index's time, else `createdAt + delay + backoff(retries)`. */
  readyAt: number;
  /** Failed attempts so far. */
  retries: number;
  /** When the running attempt's lease expires (epoch ms), for an active message; else `null`. */
  leaseExpiresAt: number | null;
  /** When the dead letter expires (epoch ms), for a dead message; else `null`. */
  deadLetterExpiresAt: number | null;
  /** Name of the last recorded error (`"TypeError"`, `"RevokedError"`, ...), or `null`. */
  errorName: string | null;
}

/** A message's result as {@link QueueInspector.getMessage} reads it, without consuming it. */
export type InspectedResult = { present: false } | { present: true; value: unknown };

/** A link of a message's callback chain. */
export interface CallbackLink {
  queue: string;
  uuid: string;
  taskName: string;
}

/** What outlives a message, as {@link QueueInspector.getOutcome} returns it. */
export interface MessageOutcome {
  /** The last recorded status, or `null` (not tracked, expired or never written). */
  status: StatusUpdate | null;
  /** The last progress its running attempt reported (`message.progress(value)`), or `null`. */
  progress: ProgressUpdate | null;
  /** The stored result, read with `keep: true`: looking does not consume it. */
  result: InspectedResult;
  /** Uuids of the results stored under this message as their progenitor (callbacks and trigger fires), oldest first. */
  descendants: string[];
}

/** Everything known about one message, as {@link QueueInspector.getMessage} returns it. */
export interface MessageDetail extends MessageSummary, MessageOutcome {
  /** The stored data: arguments, metadata, settings. Untrusted: escape it before showing it. */
  data: MessageData;
  /** The last recorded error, with its stack when one was kept. */
  error: ExceptionDetails | null;
  /**
   * Attempts started as far as the stored data tells: `retries`, plus the running attempt (active)
   * or the last, failed one (dead).
   */
  attempts: number;
  /** The callbacks that run after it, in order (`[callback, callback's callback, ...]`). */
  callbacks: CallbackLink[];
}

/** Options of {@link QueueInspector.listMessages}. */
export interface ListMessagesOptions {
  /** Which state to list. */
  state: MessageState;
  /**
   * Which end to start from (see `ListingOrder` in `@alsek/core`).
   * @defaultValue `"oldest"`
   */
  order?: ListingOrder;
  /**
   * The previous page's `nextCursor`, or `null`/absent for the first page.
   * @defaultValue `null`
   */
  cursor?: string | null;
  /**
   * Page size, 1 to 1 000.
   * @defaultValue `50`
   */
  limit?: number;
  /**
   * Only messages of this task. Filtering happens while walking the index: one call looks at no
   * more than {@link TASK_FILTER_SCAN_BUDGET} entries, so a page may come back short (even empty)
   * with a `nextCursor` to continue from.
   */
  taskName?: string;
}

/** One page of a listing. */
export interface MessageListing {
  /** The messages of this page, in the requested order. */
  items: MessageSummary[];
  /** Pass it as `cursor` for the next page; `null` at the end. */
  nextCursor: string | null;
}

/** Which dead letters a bulk action applies to. */
export interface DeadLetterFilter {
  /** Only dead letters of this task; all when absent. */
  taskName?: string;
}

/** Options of {@link QueueInspector.purge}. */
export interface PurgeOptions {
  /** Must equal the queue's name: a guard against purging the wrong queue. */
  confirm: string;
}

/** Options of {@link QueueInspector.throughput}. */
export interface ThroughputOptions {
  /**
   * How many minutes back, 1 to 60, the current minute included.
   * @defaultValue `60`
   */
  minutes?: number;
}

/** Completions and failures of a queue in one minute. */
export interface ThroughputPoint {
  /** Start of the minute, epoch ms. */
  minute: number;
  completed: number;
  failed: number;
}

/** Options of {@link QueueInspector}. */
export interface QueueInspectorOptions {
  /**
   * How long a redriven or revoked message's status is kept, as in `StatusTracker`; `null` keeps
   * it forever.
   * @defaultValue `604_800_000` (7 days)
   */
  statusTtl?: number | null;
  /**
   * How long `revoke` keeps the revoked message in the dead-letter queue, in ms, as the
   * `Broker`'s `dlqTtl` does; `null` drops it.
   * @defaultValue `604_800_000` (7 days)
   */
  dlqTtl?: number | null;
}

/** Entries one filtered listing call looks at, at most. */
export const TASK_FILTER_SCAN_BUDGET = 1_000;
