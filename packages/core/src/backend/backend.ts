import type { QueueEvent } from "../events/queue-event.js";
import type { MessageData } from "../messages/message-data.js";
import type { QueueControl, RateLimit } from "./flow-control.js";
import type { Serializer } from "../serializers/serializer.js";
import type { ListMessagesRequest, MessagePage, StoredMessage, ThroughputMinute } from "./inspection-types.js";
import type { resultChannel } from "./result-channel.js";
import type {
  DefineScheduleResult,
  FireScheduleResult,
  ScheduleDefinition,
  ScheduleFire,
  ScheduleRef,
  StoredSchedule,
} from "./schedule-types.js";
import type {
  AckOptions,
  ClaimRequest,
  ClaimResult,
  Lease,
  LeaseState,
  MessageRef,
  ProgressWrite,
  QueueCounts,
  ReadEventsRequest,
  QueuedMessage,
  QueueWatcher,
  ReleaseOptions,
  ResultWrite,
  SetValueOptions,
  StatusWrite,
  StoredResult,
  Subscription,
  SubmitOutcome,
  WriteOutcome,
} from "./types.js";

/**
 * The storage contract every Alsek backend implements (`MemoryBackend` in core, `RedisBackend`,
 * `SqliteBackend`). The queue logic lives here, on the storage side, so that each state change is
 * one atomic step; the broker, consumer and pools only call these methods.
 *
 * Guarantees every implementation gives (the conformance suite in `@alsek/backend-conformance`
 * checks each one):
 *
 * 1. **Atomic state changes.** `submit`, `claim`, `renew`, `ack`, `retry`, `fail`, `release` and
 *    `remove` each apply entirely or not at all. A crash between two calls loses nothing: a message
 *    is always in exactly one of ready, delayed, active (leased) or gone (acked / dead-lettered).
 * 2. **Order.** `claim` takes queues in the order given; within a queue, ready messages go by
 *    priority (lower first) and then by arrival (FIFO). A message whose `readyAt` is in the future
 *    is never claimed before then. Claiming N messages does not scan the backlog.
 * 3. **Leases.** A claimed message is held for `leaseMs` on the backend's clock. An expired lease
 *    makes the message claimable again without touching its data (no retry is consumed) and
 *    counts in `expiredLeases`.
 * 4. **Fencing.** `ack`, `retry`, `fail`, `release` and `renew` with a lease apply only while that
 *    lease's token still holds the message; otherwise they change nothing and return `"lost"`
 *    (or `"gone"` when the message no longer exists). Called with a bare {@link MessageRef} (no
 *    token) they apply to a message whatever its state: that is the operator / `Broker` path.
 *    Fenced `ack`, `retry`, `fail` and `release` are **idempotent under re-send**: applying the
 *    same (uuid, token, operation) again (a client that re-sends a call whose reply was lost)
 *    answers `"ok"` like the first application did, and changes nothing, for at least 60 s after
 *    the lease would have expired. `renew` is idempotent by nature while the lease holds.
 * 5. **Idempotent submit.** Submitting a uuid that is already queued changes nothing; a replayed
 *    submit (same data) reports `"duplicate"`, a different message with that uuid `"conflict"`.
 *    Replaying any call after a lost reply never corrupts state.
 * 6. **Isolation.** Two backends with different namespaces never see each other's data, and a
 *    queue name is matched exactly (`q1` never sees `q10`).
 * 7. **Wake-up.** A {@link QueueWatcher} learns of new ready work (submit, retry without backoff,
 *    release) within milliseconds without polling; delayed work is found through
 *    `ClaimResult.nextReadyInMs`. A claim that returns fewer than its limit leaves no ready
 *    message behind unless its `nextReadyInMs` is `0`.
 * 8. **Result notice.** After storing a result (in `ack` or `setResult`), a backend that supports
 *    pub/sub publishes the message's uuid on channel {@link resultChannel}`(progenitorUuid ?? uuid)`,
 *    so readers wait for results without polling.
 * 9. **Statuses never regress.** Every status write is a guarded transition on its rank
 *    ({@link StatusWrite.rank}, `statusRank` in core): {@link setStatus} applies a write only when
 *    its rank is above the stored one, in one atomic step with its notice. The two writes that
 *    restart the order are carried by a message write and applied with it: the first status of a
 *    message `submit` creates (a new life, e.g. a dead letter re-submitted by an operator), and the
 *    status a fenced `release` gives back (the holder returns its attempt unrun).
 * 10. **Poison messages block nobody.** A claimed message whose stored payload does not parse,
 *     or parses into something that breaks the message schema (`findMessageProblem`), is
 *     dead-lettered by `claim` itself, on its own: its readable fields and its raw payload
 *     (`metadata.rawPayload`) go to the DLQ for `ClaimRequest.deadLetterTtlMs`, with a
 *     `MessageDecodeError` naming queue, uuid and field as `exceptionDetails`, and it is reported in
 *     `ClaimResult.rejected` instead of `messages`. The rest of the claim proceeds. A queue index
 *     entry whose message is gone is dropped (with a warning), never claimed again. Producer and
 *     reader check the same schema: `submit` refuses a malformed message with a `ValidationError`.
 *     Where decoding happens outside the claim's atomic step (Redis decodes in the client), the
 *     dead-lettering is a fenced `fail` right after it; if that write fails, the lease expires and
 *     a later claim rejects the message again. Callers that ignore `rejected` lose nothing.
 * 11. **A schedule fires each slot once.** A stored schedule (`defineSchedule`) is shared by every
 *     process that defines it. `fireSchedule` takes one slot in one atomic step: it applies only
 *     when the stored `revision` and `nextAt` are the ones the caller read, the slot is due on the
 *     backend's clock and the schedule is not paused, and then submits the fire's message and
 *     advances `nextAt` together; any other caller of that slot gets `"stale"`. So N processes
 *     racing for a slot submit exactly one message, and one that dies between calls loses no slot.
 * 12. **Flow control lives in the claim.** A paused queue ({@link setQueuePaused}) is skipped by
 *     every claim, and a rate limit ({@link setRateLimit}) is counted inside the claim's atomic
 *     step, so every consumer of every process obeys both without coordinating. A paused queue
 *     adds nothing to `nextReadyInMs`; a rate-limited one says when its window frees.
 *     Resuming a queue or changing a limit wakes its watchers. A queue with neither costs one
 *     read of its control record per claim.
 */
export interface Backend {
  /** Prefix of every key or row this backend writes. */
  readonly namespace: string;
  /** Encodes stored values. */
  readonly serializer: Serializer;
  /** Whether {@link publish}/{@link subscribe} deliver across processes. */
  readonly supportsPubSub: boolean;
  /**
   * Whether this backend records each queue's event stream (its `events` option): then `submit`,
   * `claim`, `setProgress`, `retry`, `ack` and `fail` append a `QueueEvent` per message in the same
   * atomic step as the state change, and {@link readEvents} returns them.
   */
  readonly recordsEvents: boolean;

  // ---- queue -----------------------------------------------------------------------------------

  /** Enqueue messages (ready or delayed by `readyAt`). One outcome per message, in order. */
  submit(messages: readonly QueuedMessage[]): Promise<SubmitOutcome[]>;

  /**
   * Claim up to `limit` ready messages across `queues` (in order) under new leases. Messages that
   * cannot be decoded are dead-lettered here and reported in `rejected` (guarantee 8).
   */
  claim(request: ClaimRequest): Promise<ClaimResult>;

  /** Extend leases by `leaseMs` from now. One state per lease, in order. */
  renew(leases: readonly Lease[], leaseMs: number): Promise<LeaseState[]>;

  /**
   * Remove the message after success; store its result and enqueue its callback atomically. A
   * result or callback the serializer refuses throws its error with nothing changed.
   */
  ack(target: Lease | MessageRef, options?: AckOptions): Promise<WriteOutcome>;

  /** Store `data` (retries incremented, error recorded) and schedule it again at `readyAt`. */
  retry(target: Lease | MessageRef, data: MessageData, readyAt: number): Promise<WriteOutcome>;

  /**
   * Remove the message for good; when `dlqTtlMs` is a positive number, keep `data` in the
   * dead-letter queue for that long.
   */
  fail(target: Lease | MessageRef, data: MessageData, dlqTtlMs: number | null): Promise<WriteOutcome>;

  /**
   * Give a claimed message back, unchanged, at its original place in its queue; with
   * `options.status`, write that status in the same step (see {@link ReleaseOptions.status}).
   */
  release(lease: Lease, options?: ReleaseOptions): Promise<WriteOutcome>;

  /**
   * Store a running message's progress while `lease` holds it: the value is written at
   * `write.key` (with `write.ttlMs`) and published on `write.channel`, in one atomic step. Fenced
   * like `renew`: `"lost"` when another lease holds the message now, `"gone"` when it is no longer
   * queued; nothing is written then. Idempotent by nature (a re-sent write stores the same value).
   */
  setProgress(lease: Lease, write: ProgressWrite): Promise<WriteOutcome>;

  /** Remove the message without a trace (ack without side effects). */
  remove(target: Lease | MessageRef): Promise<WriteOutcome>;

  /** The queued message's data, or `null`. */
  getMessage(ref: MessageRef): Promise<MessageData | null>;

  /** The dead-lettered message's data, or `null`. */
  getDeadLetter(ref: MessageRef): Promise<MessageData | null>;

  /** Counts of one queue. Not for hot paths. */
  countQueue(queue: string): Promise<QueueCounts>;

  /** Names of queues that ever received a message in this namespace. Not for hot paths. */
  listQueues(): Promise<string[]>;

  /** Watch queues for new ready work. */
  watch(queues: readonly string[]): QueueWatcher;

  // ---- flow control (operators; read by claim) ----------------------------------------------------

  /**
   * Pause (`true`) or resume (`false`) `queue` for every consumer: claims skip a paused queue
   * (messages already claimed run to the end and settle as usual; submits still land). Resuming
   * wakes the queue's watchers, so idle consumers claim at once. Idempotent.
   * @throws ValidationError for a bad queue name.
   */
  setQueuePaused(queue: string, paused: boolean): Promise<void>;

  /**
   * Set (or, with `null`, remove) the rate limit of `queue`, or of the messages of one task of it
   * when `task` is given. A claim takes a message only while its queue's window, and its task's
   * window when the task has a limit, hold fewer than `max` claims in the last `durationMs`; a
   * message of a task at its limit is postponed (made delayed, unchanged, no retry consumed) until
   * that task's window frees, and the claim goes on with the messages behind it. Wakes the queue's
   * watchers.
   * @throws ValidationError for a bad queue or task name, or a limit out of range.
   */
  setRateLimit(queue: string, limit: RateLimit | null, task?: string): Promise<void>;

  /** The flow-control settings of `queue` (defaults when none were set). Not for hot paths. */
  getQueueControl(queue: string): Promise<QueueControl>;

  // ---- inspection (tools and dashboards; not for hot paths) --------------------------------------

  /**
   * One page of `queue`'s messages in one state, walking that state's index from the cursor
   * (see {@link ListMessagesRequest}). Costs O(page) on Redis and SQLite whatever the backlog:
   * the cursor is a position in the index, found by its score, never an offset or a scan.
   * @throws ValidationError for a bad queue name, state, order, cursor or limit (1 to 1 000).
   */
  listMessages(queue: string, request: ListMessagesRequest): Promise<MessagePage>;

  /** The message with its state: queued (ready, delayed, active) or dead-lettered; `null` when neither. */
  inspectMessage(ref: MessageRef): Promise<StoredMessage | null>;

  /**
   * Make a delayed message ready now, keeping its place by priority and arrival. `"lost"` when
   * the message is not delayed (already ready, or running), `"gone"` when it is not queued.
   */
  readyNow(ref: MessageRef): Promise<WriteOutcome>;

  /** Delete dead letters of `queue`. Returns how many existed. */
  deleteDeadLetters(queue: string, uuids: readonly string[]): Promise<number>;

  /**
   * Messages of `queue` acked and failed per minute, the last `minutes` minutes (1 to 60, the
   * current one included), oldest first, zeros included. The counters are bumped by `ack` and
   * `fail` in the same atomic step as the state change, and expire after an hour.
   */
  throughput(queue: string, minutes: number): Promise<ThroughputMinute[]>;

  // ---- event streams (only when {@link recordsEvents}) -----------------------------------------

  /**
   * Events of `queue` after `request.after`, oldest first, at most `request.limit`. Each queue
   * keeps about its stream's `maxLength` newest events; an `after` older than those kept returns
   * from the oldest kept. Empty when the backend records no events.
   * @throws ValidationError for a bad queue name, id or limit.
   */
  readEvents(queue: string, request: ReadEventsRequest): Promise<QueueEvent[]>;

  /** The id of `queue`'s newest event, or `null` when it has none: where a reader "from now" starts. */
  lastEventId(queue: string): Promise<string | null>;

  // ---- results -----------------------------------------------------------------------------------

  /** Store a result outside of `ack` (for example a trigger's own result). */
  setResult(ref: MessageRef, result: ResultWrite): Promise<void>;

  /** Read the results of these messages (`null` where absent); delete what was read unless `keep`. */
  getResults(refs: readonly MessageRef[], options: { keep: boolean }): Promise<(StoredResult | null)[]>;

  /** Uuids of results indexed under `(queue, progenitorUuid)`, oldest write first. */
  descendantResults(queue: string, progenitorUuid: string): Promise<string[]>;

  /** Delete results (and their index entries). Returns how many existed. */
  deleteResults(refs: readonly MessageRef[]): Promise<number>;

  // ---- keyed values ------------------------------------------------------------------------------

  /** Read a value, or `undefined` when absent or expired. */
  getValue(key: string): Promise<unknown>;

  /** Write a value. Returns `false` only when `nx` was set and the key exists. */
  setValue(key: string, value: unknown, options?: SetValueOptions): Promise<boolean>;

  /**
   * Write a status as a guarded transition: only when no status is stored at `write.key`, or the
   * stored one has a lower rank (or none: a value written by `setValue`). When it applies, the
   * value is stored with `write.ttlMs` and published on `write.channel`, in the same atomic step.
   * Returns whether it applied; also `true`, writing and publishing nothing, when the stored status
   * is this very write (same rank and value), so that a write re-sent after its reply was lost
   * (ioredis re-sends it on reconnect) is told the truth.
   */
  setStatus(write: StatusWrite): Promise<boolean>;

  /** Delete keys; returns how many existed. */
  deleteValue(...keys: string[]): Promise<number>;

  /** Whether a key exists. */
  hasValue(key: string): Promise<boolean>;

  /** Keys (without the namespace) matching a glob-style prefix pattern such as `"status:*"`. */
  scanKeys(pattern: string): AsyncIterable<string>;

  /** Number of keyed values matching `pattern` (`"*"` for all). Not for hot paths. */
  count(pattern?: string): Promise<number>;

  /** Delete everything in this namespace: queues, results and keyed values. Returns a count. */
  clear(): Promise<number>;

  // ---- locks -------------------------------------------------------------------------------------

  /**
   * Take lock `name` for `ownerId` for `ttlMs` (or forever when `null`). Returns `true` when
   * taken, or when `ownerId` already holds it (its ttl is then refreshed).
   */
  acquireLock(name: string, ownerId: string, ttlMs: number | null): Promise<boolean>;

  /** Release lock `name` if `ownerId` holds it. Returns whether it did. */
  releaseLock(name: string, ownerId: string): Promise<boolean>;

  /** The owner of lock `name`, or `null`. */
  lockHolder(name: string): Promise<string | null>;

  // ---- pub/sub -----------------------------------------------------------------------------------

  /** Publish a value on a channel inside this namespace. */
  publish(channel: string, value: unknown): Promise<void>;

  /** Receive values published on a channel inside this namespace, in order. */
  subscribe(channel: string, listener: (value: unknown) => void): Promise<Subscription>;

  // ---- schedules (trigger tasks shared by every process that defines them) --------------------------

  /**
   * Store a schedule unless one with the same `definition` is stored under `(queue, name)`, in one
   * atomic step: when none is, store it and submit `definition.message` (its progenitor, with its
   * status) — `"created"`; when one with another `definition` is, replace it the same way (the last
   * definer wins) — `"replaced"`; else change nothing — `"joined"`.
   * @throws ValidationError for a bad queue or task name, slot, revision or message.
   */
  defineSchedule(definition: ScheduleDefinition): Promise<DefineScheduleResult>;

  /**
   * Take one slot of a schedule (guarantee 11): when the stored schedule still has `fire.revision`
   * and `nextAt === fire.slot`, and the slot is due on the backend's clock, set `nextAt` to
   * `fire.nextAt` and, unless paused, submit `fire.message` and count the fire, all in one atomic step.
   */
  fireSchedule(fire: ScheduleFire): Promise<FireScheduleResult>;

  /** The stored schedule, or `null`. */
  getSchedule(ref: ScheduleRef): Promise<StoredSchedule | null>;

  /** Every schedule stored for `queue`, by name. Not for hot paths. */
  listSchedules(queue: string): Promise<StoredSchedule[]>;

  /** Pause or resume a stored schedule for every process. Returns whether it exists. */
  pauseSchedule(ref: ScheduleRef, paused: boolean): Promise<boolean>;

  /** Delete a stored schedule (every process stops firing it). Returns whether it existed. */
  deleteSchedule(ref: ScheduleRef): Promise<boolean>;

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Close connections and timers. The backend is unusable afterwards. */
  close(): Promise<void>;
}
