import type { MessageDecodeError } from "../errors/index.js";
import type { MessageData } from "../messages/message-data.js";

/** Identifies one message: queues are independent namespaces of uuids. */
export interface MessageRef {
  queue: string;
  uuid: string;
}

/**
 * A claim on one message, returned by {@link Backend.claim}. The token fences every later write:
 * once the lease expires and another consumer claims the message, this token no longer matches and
 * the backend rejects completion, retry, failure and release made with it.
 */
export interface Lease extends MessageRef {
  /** Opaque, unique per claim. */
  token: string;
}

/** A message to enqueue. */
export interface QueuedMessage extends MessageRef {
  /** Integer ≥ 0; lower is claimed first within a queue. */
  priority: number;
  /** Epoch ms before which the message must not be claimed. */
  readyAt: number;
  /** The message itself, stored with the backend's serializer. */
  data: MessageData;
  /**
   * The message's first status, written by {@link Backend.submit} in the same atomic step as the
   * message when the submit creates it (never on `"duplicate"` or `"conflict"`), so no claim can
   * see the message before its status. It replaces whatever status was stored: a created message
   * starts a new life. Only `submit` writes it.
   */
  status?: StatusWrite;
}

/**
 * A status write, applied by the backend as a guarded transition (see {@link Backend.setStatus}).
 * The sink that records statuses (`StatusTracker` in `@alsek/results`) owns the key, the value's
 * encoding and the channel; core owns the order (`statusRank`). The value is read back with
 * {@link Backend.getValue}`(key)` like any keyed value.
 */
export interface StatusWrite {
  /**
   * Keyed-value key of the status. A status carried by `submit` or `release` is written in the
   * same atomic step as the message: on Redis Cluster its key must then carry the message's
   * queue as hash tag (`{<queue>}`), as `StatusTracker` keys do.
   */
  key: string;
  /** The stored value, opaque to the backend (serialized with the backend's serializer). */
  value: unknown;
  /**
   * Position of this status in the message's life (`statusRank(status, attempt)`), an integer
   * from 0 to `TERMINAL_STATUS_RANK`. A guarded write applies only when it is greater than the
   * stored status' rank.
   */
  rank: number;
  /** Expiry of the status in ms; `null` keeps it. */
  ttlMs: number | null;
  /** Channel (inside the namespace) on which `value` is published when the write applies; `null`: none. */
  channel: string | null;
}

/**
 * A progress write of a running message, applied by {@link Backend.setProgress} under the
 * message's lease. Core builds it (`progressWrite`): the key is `progress:{<queue>}:<uuid>`, in the
 * queue's Redis Cluster slot.
 */
export interface ProgressWrite {
  /** Keyed-value key of the progress. */
  key: string;
  /** The stored value (a `ProgressUpdate`), serialized with the backend's serializer. */
  value: unknown;
  /** Expiry of the progress in ms; `null` keeps it. */
  ttlMs: number | null;
  /** Channel (inside the namespace) on which `value` is published when the write applies. */
  channel: string;
  /** The attempt that reports it (`retries`), for the event stream. */
  attempt: number;
}

/** Extra writes that {@link Backend.release} applies in the same atomic step. */
export interface ReleaseOptions {
  /**
   * The status of the message once it waits in its queue again. Written only when the release
   * applies, and then whatever its rank: the lease proves the caller owns the message's current
   * attempt, which it is giving back (a pool's hand-back on stop turns RUNNING back into SUBMITTED).
   */
  status?: StatusWrite;
}

/** How a submit went, per message. */
export type SubmitOutcome =
  /** Stored and indexed. */
  | "created"
  /** The same uuid is already queued with identical data (a replayed submit): nothing changed. */
  | "duplicate"
  /** The same uuid is already queued with different data: nothing changed. */
  | "conflict";

/** How a fenced (or unfenced) write went. */
export type WriteOutcome =
  /** Applied. */
  | "ok"
  /** The message exists but is held under another token (the caller's lease expired and another claim took it), or it is not leased at all when the write required a lease. Nothing changed. */
  | "lost"
  /** The message is gone (already acked, failed, revoked or removed). Nothing changed. */
  | "gone";

/** State of a lease after a renewal attempt. */
export type LeaseState = WriteOutcome;

/** One claimed message. */
export interface ClaimedMessage {
  data: MessageData;
  lease: Lease;
  /** How many earlier claims of this message ended with their lease expiring (the worker died). */
  expiredLeases: number;
}

/** Input of {@link Backend.claim}. */
export interface ClaimRequest {
  /** Queues in priority order: a queue is drained before the next is looked at. */
  queues: readonly string[];
  /** At most this many messages (≥ 1). */
  limit: number;
  /** Lease length in ms, measured on the backend's clock. */
  leaseMs: number;
  /**
   * How long a message this claim cannot decode stays in the dead-letter queue, in ms; `null` or
   * `0` drops it (the DLQ is off). See {@link ClaimResult.rejected}.
   * @defaultValue 604_800_000 (7 days, the `Broker` default)
   */
  deadLetterTtlMs?: number | null;
  /**
   * Task names whose messages this claim leaves where they are, for another consumer: they are
   * not taken, not moved (each keeps its place by priority and arrival, for the next claim
   * without them), and not counted toward `limit`, a queue's rate limit or a task's. The messages
   * behind them are claimed as usual. A queue whose ready messages are all skipped counts as
   * empty for {@link ClaimResult.nextReadyInMs}. A backend looks at a bounded number of skipped
   * messages per queue per claim (1 000 in Alsek's backends); past that it stops in that queue
   * and answers as if it were empty, so messages behind a longer run of skipped ones wait for a
   * later claim (a wake-up, a delayed message, or the consumer's idle wait).
   *
   * A worker pool given tasks of both mechanisms passes the other mechanism's task names here. A
   * message that cannot be decoded has no task name and is never skipped (it is dead-lettered as
   * usual). Names follow the task-name rule; at most 1 000 (`MAX_SKIP_TASKS`).
   * @defaultValue `[]` (nothing skipped; costs nothing)
   */
  skipTasks?: readonly string[];
}

/**
 * A message a claim took but could not decode (corrupt payload, or a payload that is not a
 * well-formed message): the backend has already dead-lettered it on its own, so the caller has
 * nothing to settle. Reported so that the caller can log it, record status FAILED and tell its
 * listeners.
 */
export interface RejectedMessage extends MessageRef {
  /** Names the queue, the uuid and the offending field. */
  error: MessageDecodeError;
  /**
   * What was dead-lettered in its place: the readable fields, `exceptionDetails` from `error`,
   * and the stored payload as found in `metadata.rawPayload`.
   */
  deadLetter: MessageData;
}

/** Output of {@link Backend.claim}. */
export interface ClaimResult {
  messages: ClaimedMessage[];
  /**
   * Messages taken by this claim that could not be decoded, each already dead-lettered by the
   * backend (absent or empty when there were none). They count toward `limit` like `messages`.
   */
  rejected?: RejectedMessage[];
  /**
   * When fewer than `limit` messages were claimed (`messages` and `rejected` together): ms until the earliest delayed message of these
   * queues becomes ready or the earliest lease among them expires, on the backend's clock; `null`
   * when there is nothing pending at all. Always `null` when `limit` messages were taken. A
   * claim that returns fewer than `limit` while ready messages remain in these queues (some could
   * not be taken) must say `0`: consumers wait after a short claim, and only a queue that goes
   * from empty to non-empty wakes them. Flow control changes this: a paused queue counts as
   * empty, and a queue whose rate limit stopped the claim says when its window frees (messages
   * postponed by a task's limit are delayed messages like any other).
   */
  nextReadyInMs: number | null;
}

/** A result stored when a message completes. */
export interface ResultWrite {
  /** The stored value (serialized by the backend). */
  value: unknown;
  /** Expiry in ms; `null` keeps it until read or deleted. */
  ttlMs: number | null;
  /**
   * Root of the message's family (callback chain or trigger fires). When set, the result is also
   * indexed under `(queue, progenitorUuid)` so {@link Backend.descendantResults} finds it.
   */
  progenitorUuid: string | null;
}

/** Extra writes that {@link Backend.ack} applies in the same atomic step. */
export interface AckOptions {
  result?: ResultWrite;
  /** A callback message to enqueue. */
  callback?: QueuedMessage;
}

/** A stored result, as read back. */
export interface StoredResult {
  uuid: string;
  value: unknown;
}

/** Counts of one queue's messages, for operators. */
export interface QueueCounts {
  /** Claimable now. */
  ready: number;
  /** Waiting for a delay or a retry backoff. */
  delayed: number;
  /** Claimed under a lease (running). */
  active: number;
  /** In the dead-letter queue (not yet expired). */
  dead: number;
}

/** Options of {@link Backend.setValue}. */
export interface SetValueOptions {
  /** Expiry in ms. Omitted or `null`: no expiry (or, with `keepTtl`, the existing one). */
  ttlMs?: number | null;
  /** Only write when the key does not exist. */
  nx?: boolean;
  /** Keep the key's current expiry when `ttlMs` is not given. */
  keepTtl?: boolean;
}

/** Watches queues for new work; see {@link Backend.watch}. */
export interface QueueWatcher {
  /** Increases every time work may have arrived on a watched queue. */
  readonly version: number;
  /**
   * Resolves once `version` differs from `sinceVersion`, after `timeoutMs`, or when `signal`
   * aborts, whichever comes first. Never rejects.
   */
  waitForChange(sinceVersion: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Stops watching. */
  close(): Promise<void>;
}

/** An active subscription; see {@link Backend.subscribe}. */
export interface Subscription {
  /** Stops delivery and frees the channel. */
  unsubscribe(): Promise<void>;
}

/** Which events {@link Backend.readEvents} returns. */
export interface ReadEventsRequest {
  /** Return the events after this id (exclusive); `null`: from the oldest one kept. */
  after: string | null;
  /** Most events to return, 1 to 1 000. */
  limit: number;
}
