import {
  AlsekError,
  BackendError,
  PermanentBackendError,
  JsonSerializer,
  ValidationError,
  requireMatchingData,
  requireScheduleDefinition,
  requireScheduleFire,
  requireScheduleRef,
  requirePositiveOption,
  requireQueuedMessage,
  requireStatusWrite,
  requireTimestamp,
  requireTtlOrNull,
  resultChannel,
  validateListMessagesRequest,
  validateClaimLimit,
  validateSkipTasks,
  validateMessageUuid,
  validateNamespace,
  validateQueueName,
  validateTaskName,
  validateThroughputMinutes,
  requireRateLimit,
  type QueueControl,
  type RateLimit,
  DEFAULT_DLQ_TTL,
  eventErrorOf,
  eventStreamLength,
  failEventType,
  requireReadEventsRequest,
  type ProgressUpdate,
  type QueueEvent,
  type ReadEventsRequest,
  requireProgressWrite,
  type AckOptions,
  type Backend,
  type DefineScheduleResult,
  type FireScheduleResult,
  type ScheduleDefinition,
  type ScheduleFire,
  type ScheduleRef,
  type StoredSchedule,
  type ClaimRequest,
  type ClaimResult,
  type Lease,
  type LeaseState,
  type ListMessagesRequest,
  type MessagePage,
  type StoredMessage,
  type ThroughputMinute,
  type MessageData,
  type MessageRef,
  type QueueCounts,
  type ProgressWrite,
  type QueuedMessage,
  type QueueWatcher,
  type ReleaseOptions,
  type ResultWrite,
  type Serializer,
  type SetValueOptions,
  type StatusWrite,
  type StoredResult,
  type Subscription,
  type SubmitOutcome,
  type WriteOutcome,
} from "@alsek/core";
import { openBackendState, type BackendState } from "./database/backend-state.js";
import type { SqliteDatabase } from "./database/open-database.js";
import type { FencedOutcome } from "./queue/queue-table.js";
import { describePermanentFailure } from "./database/permanent-failure.js";
import type { SqliteBackendOptions } from "./sqlite-backend-options.js";
import { SqliteQueueWatcher } from "./watch/sqlite-queue-watcher.js";

const SCAN_PAGE = 500;

/** A fenced write's answer to its caller: a re-send of one that applied is `"ok"`, like the first. */
function answer(outcome: FencedOutcome): WriteOutcome {
  return outcome === "again" ? "ok" : outcome;
}

/**
 * The embedded backend: everything in one SQLite file (or in memory), no server needed. Several
 * processes **on one machine** may share the file (a producer, a worker pool, a results reader):
 * every state change is one `BEGIN IMMEDIATE` transaction, the file is in WAL mode, and leases are
 * judged on `Date.now()` of the calling process, which is sound only because they all share one
 * clock. Do not put the file on a network share or use it from several machines.
 *
 * better-sqlite3 is synchronous: each call blocks the event loop for the length of its (short)
 * transaction. The file is opened, and the schema created, on first use.
 *
 * @example
 * ```ts
 * const backend = new SqliteBackend("alsek.db");          // or ":memory:", or a better-sqlite3 Database
 * const broker = new Broker(backend);
 * ```
 */
export class SqliteBackend implements Backend {
  readonly namespace: string;
  readonly serializer: Serializer;
  readonly supportsPubSub = true;
  readonly recordsEvents: boolean;
  readonly #eventLength: number;

  readonly #source: string | SqliteDatabase;
  readonly #ownsDatabase: boolean;
  readonly #pollIntervalMs: number;
  readonly #busyTimeoutMs: number;
  readonly #retentionMs: number;
  readonly #watchers = new Set<SqliteQueueWatcher>();
  #touched = new Set<string>();
  #state: BackendState | null = null;
  #closed = false;

  /**
   * @param database A file path, `":memory:"` (private to this backend, so single-process), or an
   *   open better-sqlite3 `Database`, which the backend then does not close.
   */
  constructor(database: string | SqliteDatabase, options: SqliteBackendOptions = {}) {
    if (typeof database === "string" ? database.length === 0 : typeof database !== "object") {
      throw new ValidationError(
        "SqliteBackend needs a file path, \":memory:\" or a better-sqlite3 Database.",
      );
    }
    this.namespace = validateNamespace(options.namespace ?? "alsek");
    this.serializer = options.serializer ?? new JsonSerializer();
    this.#source = database;
    this.#ownsDatabase = typeof database === "string";
    this.#pollIntervalMs = requirePositiveOption("SqliteBackend", "pollIntervalMs", options.pollIntervalMs, 50);
    this.#busyTimeoutMs = requirePositiveOption("SqliteBackend", "busyTimeoutMs", options.busyTimeoutMs, 5000);
    this.#retentionMs = requirePositiveOption("SqliteBackend", "pubSubRetentionMs", options.pubSubRetentionMs, 60_000);
    this.#eventLength = eventStreamLength(options.events);
    this.recordsEvents = this.#eventLength > 0;
  }

  // ---- queue -----------------------------------------------------------------------------------

  async submit(messages: readonly QueuedMessage[]): Promise<SubmitOutcome[]> {
    for (const message of messages) {
      requireQueuedMessage(message);
      if (message.status !== undefined) requireStatusWrite(message.status);
    }
    const outcomes = this.#write((s) =>
      messages.map((message) => {
        const outcome = s.queue.submit(message);
        // A created message starts a new life: its first status replaces whatever was stored.
        if (outcome === "created" && message.status !== undefined) this.#writeStatus(s, message.status, true);
        if (outcome === "created") {
          s.events.append({ type: "submitted", queue: message.queue, uuid: message.uuid, attempt: message.data.retries });
        }
        return outcome;
      }),
    );
    if (messages.some((message) => message.status !== undefined)) this.#state?.hub.pollSoon();
    return outcomes;
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    for (const queue of request.queues) validateQueueName(queue);
    validateClaimLimit(request.limit);
    requireTtlOrNull("claim leaseMs", request.leaseMs);
    const skip = validateSkipTasks(request.skipTasks);
    return this.#write((s) => {
      const onStalled = s.events.enabled
        ? (ref: MessageRef) => s.events.append({ type: "stalled", ...ref, attempt: s.queue.getMessage(ref)?.retries ?? 0 })
        : null;
      const claimed = s.queue.claim(request, skip, onStalled);
      if (s.events.enabled) this.#recordClaim(s, claimed, request);
      return claimed;
    });
  }

  async renew(leases: readonly Lease[], leaseMs: number): Promise<LeaseState[]> {
    requireTtlOrNull("renew leaseMs", leaseMs);
    return this.#write((s) => leases.map((lease) => s.queue.renew(lease, leaseMs)));
  }

  async setProgress(lease: Lease, write: ProgressWrite): Promise<WriteOutcome> {
    requireProgressWrite(lease, write);
    const outcome = this.#write((s) => {
      const state = s.queue.leaseState(lease);
      if (state !== "ok") return state;
      s.values.set(write.key, write.value, { ttlMs: write.ttlMs });
      s.pubsub.publish(write.channel, write.value);
      const progress = write.value as ProgressUpdate;
      s.events.append({ type: "progress", queue: lease.queue, uuid: lease.uuid, attempt: write.attempt, progress });
      return state;
    });
    if (outcome === "ok") this.#state?.hub.pollSoon();
    return outcome;
  }

  async ack(target: Lease | MessageRef, options: AckOptions = {}): Promise<WriteOutcome> {
    if (options.callback !== undefined) requireQueuedMessage(options.callback);
    if (options.result !== undefined) requireTtlOrNull("result ttlMs", options.result.ttlMs);
    const outcome = answer(
      this.#write((s) => {
        const attempt = s.events.enabled ? (s.queue.getMessage(target)?.retries ?? 0) : 0;
        const acked = s.queue.ack(target, options, () => {
          if (options.result !== undefined) this.#storeResult(s, target, options.result);
        });
        if (acked === "ok") {
          s.events.append({ type: "succeeded", queue: target.queue, uuid: target.uuid, attempt });
          const callback = options.callback;
          if (callback !== undefined) s.events.append({ type: "submitted", queue: callback.queue, uuid: callback.uuid, attempt: 0 });
        }
        return acked;
      }),
    );
    if (options.result !== undefined) this.#state?.hub.pollSoon();
    return outcome;
  }

  async retry(target: Lease | MessageRef, data: MessageData, readyAt: number): Promise<WriteOutcome> {
    requireTimestamp("retry readyAt", readyAt);
    requireMatchingData(target, data);
    return answer(
      this.#write((s) => {
        const retried = s.queue.retry(target, data, readyAt);
        if (retried === "ok") {
          const error = eventErrorOf(data.exceptionDetails);
          s.events.append({ type: "retried", queue: target.queue, uuid: target.uuid, attempt: data.retries, error, readyAt });
        }
        return retried;
      }),
    );
  }

  async fail(
    target: Lease | MessageRef,
    data: MessageData,
    dlqTtlMs: number | null,
  ): Promise<WriteOutcome> {
    requireMatchingData(target, data);
    return answer(
      this.#write((s) => {
        const failed = s.queue.fail(target, data, dlqTtlMs);
        if (failed === "ok") {
          const event = { queue: target.queue, uuid: target.uuid, attempt: data.retries, error: eventErrorOf(data.exceptionDetails) };
          s.events.append({ ...event, type: failEventType(data.exceptionDetails) });
          if (dlqTtlMs !== null && dlqTtlMs > 0) s.events.append({ ...event, type: "dead-lettered" });
        }
        return failed;
      }),
    );
  }

  async release(lease: Lease, options: ReleaseOptions = {}): Promise<WriteOutcome> {
    const status = options.status;
    if (status !== undefined) requireStatusWrite(status);
    const outcome = this.#write((s) => {
      const attempt = s.events.enabled ? (s.queue.getMessage(lease)?.retries ?? 0) : 0;
      const released = s.queue.release(lease);
      if (released === "ok") s.events.append({ type: "released", queue: lease.queue, uuid: lease.uuid, attempt });
      // The holder gives its attempt back unrun: the one write that may turn a status back.
      if (released === "ok" && status !== undefined) this.#writeStatus(s, status, true);
      return released;
    });
    if (status !== undefined) this.#state?.hub.pollSoon();
    return answer(outcome);
  }

  async remove(target: Lease | MessageRef): Promise<WriteOutcome> {
    return answer(
      this.#write((s) => {
        const attempt = s.events.enabled ? (s.queue.getMessage(target)?.retries ?? 0) : 0;
        const removed = s.queue.remove(target);
        if (removed === "ok") s.events.append({ type: "removed", queue: target.queue, uuid: target.uuid, attempt });
        return removed;
      }),
    );
  }

  async getMessage(ref: MessageRef): Promise<MessageData | null> {
    return this.#read((s) => s.queue.getMessage(ref));
  }

  async getDeadLetter(ref: MessageRef): Promise<MessageData | null> {
    return this.#read((s) => s.queue.getDeadLetter(ref));
  }

  async setQueuePaused(queue: string, paused: boolean): Promise<void> {
    validateQueueName(queue);
    if (typeof paused !== "boolean") throw new ValidationError(`setQueuePaused: \`paused\` must be a boolean, got ${String(paused)}.`);
    this.#write((s) => s.queue.setPaused(queue, paused));
  }

  async setRateLimit(queue: string, limit: RateLimit | null, task?: string): Promise<void> {
    validateQueueName(queue);
    if (task !== undefined) validateTaskName(task);
    const checked = limit === null ? null : requireRateLimit("setRateLimit", limit);
    this.#write((s) => s.queue.setRateLimit(queue, checked, task));
  }

  async getQueueControl(queue: string): Promise<QueueControl> {
    validateQueueName(queue);
    return this.#read((s) => s.queue.flow.read(queue));
  }

  async countQueue(queue: string): Promise<QueueCounts> {
    return this.#read((s) => s.queue.count(queue));
  }

  async listQueues(): Promise<string[]> {
    return this.#read((s) => s.queue.listQueues());
  }

  // ---- inspection --------------------------------------------------------------------------------

  async listMessages(queue: string, request: ListMessagesRequest): Promise<MessagePage> {
    validateQueueName(queue);
    const position = validateListMessagesRequest(request);
    return this.#read((s) => s.browser.list(queue, request, position));
  }

  async inspectMessage(ref: MessageRef): Promise<StoredMessage | null> {
    validateQueueName(ref.queue);
    validateMessageUuid(ref.uuid);
    return this.#read((s) => s.browser.inspect(ref));
  }

  async readyNow(ref: MessageRef): Promise<WriteOutcome> {
    validateQueueName(ref.queue);
    validateMessageUuid(ref.uuid);
    return this.#write((s) => s.browser.readyNow(ref));
  }

  async deleteDeadLetters(queue: string, uuids: readonly string[]): Promise<number> {
    validateQueueName(queue);
    uuids.forEach(validateMessageUuid);
    if (uuids.length === 0) return 0;
    return this.#write((s) => s.browser.deleteDeadLetters(queue, uuids));
  }

  async throughput(queue: string, minutes: number): Promise<ThroughputMinute[]> {
    validateQueueName(queue);
    validateThroughputMinutes(minutes);
    return this.#read((s) => s.queue.throughput.read(queue, minutes));
  }

  watch(queues: readonly string[]): QueueWatcher {
    for (const queue of queues) validateQueueName(queue);
    const s = this.#open();
    // Forgotten once its owner closes it, so a long-lived backend does not accumulate watchers.
    const watcher: SqliteQueueWatcher = new SqliteQueueWatcher(
      s.db,
      this.namespace,
      queues,
      this.#pollIntervalMs,
      s.notifier,
      () => this.#watchers.delete(watcher),
    );
    this.#watchers.add(watcher);
    return watcher;
  }

  // ---- results -----------------------------------------------------------------------------------

  async setResult(ref: MessageRef, result: ResultWrite): Promise<void> {
    requireTtlOrNull("result ttlMs", result.ttlMs);
    this.#write((s) => this.#storeResult(s, ref, result));
    this.#state?.hub.pollSoon();
  }

  async getResults(
    refs: readonly MessageRef[],
    options: { keep: boolean },
  ): Promise<(StoredResult | null)[]> {
    return options.keep
      ? this.#read((s) => s.results.read(refs, true))
      : this.#write((s) => s.results.read(refs, false));
  }

  async descendantResults(queue: string, progenitorUuid: string): Promise<string[]> {
    return this.#read((s) => s.results.descendants(queue, progenitorUuid));
  }

  async deleteResults(refs: readonly MessageRef[]): Promise<number> {
    return this.#write((s) => s.results.delete(refs));
  }

  // ---- keyed values ------------------------------------------------------------------------------

  async getValue(key: string): Promise<unknown> {
    return this.#read((s) => s.values.get(key));
  }

  async setValue(key: string, value: unknown, options: SetValueOptions = {}): Promise<boolean> {
    requireTtlOrNull("setValue ttlMs", options.ttlMs);
    return this.#write((s) => s.values.set(key, value, options));
  }

  async setStatus(write: StatusWrite): Promise<boolean> {
    requireStatusWrite(write);
    const applied = this.#write((s) => this.#writeStatus(s, write, false));
    if (applied) this.#state?.hub.pollSoon();
    return applied;
  }

  async deleteValue(...keys: string[]): Promise<number> {
    return this.#write((s) => s.values.delete(keys));
  }

  async hasValue(key: string): Promise<boolean> {
    return this.#read((s) => s.values.has(key));
  }

  async *scanKeys(pattern: string): AsyncIterable<string> {
    let after = "";
    for (;;) {
      const page = this.#read((s) => s.values.keysAfter(pattern, after, SCAN_PAGE));
      yield* page;
      const last = page.at(-1);
      if (page.length < SCAN_PAGE || last === undefined) return;
      after = last;
    }
  }

  async count(pattern = "*"): Promise<number> {
    return this.#read((s) => s.values.count(pattern));
  }

  async clear(): Promise<number> {
    return this.#write((s) => s.clear());
  }

  // ---- locks -------------------------------------------------------------------------------------

  async acquireLock(name: string, ownerId: string, ttlMs: number | null): Promise<boolean> {
    requireTtlOrNull("lock ttlMs", ttlMs);
    return this.#write((s) => s.locks.acquire(name, ownerId, ttlMs));
  }

  async releaseLock(name: string, ownerId: string): Promise<boolean> {
    return this.#write((s) => s.locks.release(name, ownerId));
  }

  async lockHolder(name: string): Promise<string | null> {
    return this.#read((s) => s.locks.holder(name));
  }

  // ---- pub/sub -----------------------------------------------------------------------------------

  async publish(channel: string, value: unknown): Promise<void> {
    this.#write((s) => s.pubsub.publish(channel, value));
    this.#state?.hub.pollSoon();
  }

  async subscribe(channel: string, listener: (value: unknown) => void): Promise<Subscription> {
    return this.#call(() => this.#open().hub.subscribe(channel, listener));
  }

  // ---- schedules ---------------------------------------------------------------------------------

  async defineSchedule(definition: ScheduleDefinition): Promise<DefineScheduleResult> {
    requireScheduleDefinition(definition);
    const message = definition.message;
    requireQueuedMessage(message);
    if (message.status !== undefined) requireStatusWrite(message.status);
    const template = this.serializer.forward(message.data);
    const result = this.#write((s): DefineScheduleResult => {
      const stored = s.schedules.find(definition);
      if (stored !== null && stored.definition === definition.definition) return { outcome: "joined", schedule: stored };
      const { queue, name, trigger, revision, nextAt, paused } = definition;
      s.schedules.store({ queue, name, trigger, definition: definition.definition, revision, template, nextAt, paused });
      this.#submitIn(s, message);
      return { outcome: stored === null ? "created" : "replaced", schedule: s.schedules.find(definition)! };
    });
    if (result.outcome !== "joined" && message.status !== undefined) this.#state?.hub.pollSoon();
    return result;
  }

  async fireSchedule(fire: ScheduleFire): Promise<FireScheduleResult> {
    requireScheduleFire(fire);
    requireQueuedMessage(fire.message);
    if (fire.message.status !== undefined) requireStatusWrite(fire.message.status);
    const result = this.#write((s): FireScheduleResult => {
      const stored = s.schedules.find(fire);
      if (stored === null) return { outcome: "gone", schedule: null };
      const thisFire = `${fire.slot}:${fire.message.uuid}`;
      if (stored.revision !== fire.revision || stored.nextAt !== fire.slot) {
        // The same fire re-sent (its first call's reply lost) answers like the first one.
        const resent = stored.revision === fire.revision && s.schedules.lastFire(fire) === thisFire;
        return { outcome: resent ? "fired" : "stale", schedule: stored };
      }
      const now = Date.now();
      if (fire.slot > now) return { outcome: "early", schedule: stored, waitMs: fire.slot - now };
      s.schedules.advance(fire, fire.nextAt, stored.paused ? null : thisFire);
      if (!stored.paused) this.#submitIn(s, fire.message);
      return { outcome: stored.paused ? "skipped" : "fired", schedule: s.schedules.find(fire)! };
    });
    if (result.outcome === "fired" && fire.message.status !== undefined) this.#state?.hub.pollSoon();
    return result;
  }

  async getSchedule(ref: ScheduleRef): Promise<StoredSchedule | null> {
    requireScheduleRef(ref);
    return this.#read((s) => s.schedules.find(ref));
  }

  async listSchedules(queue: string): Promise<StoredSchedule[]> {
    validateQueueName(queue);
    return this.#read((s) => s.schedules.list(queue));
  }

  async pauseSchedule(ref: ScheduleRef, paused: boolean): Promise<boolean> {
    requireScheduleRef(ref);
    return this.#write((s) => s.schedules.pause(ref, paused === true));
  }

  async deleteSchedule(ref: ScheduleRef): Promise<boolean> {
    requireScheduleRef(ref);
    return this.#write((s) => s.schedules.delete(ref));
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#watchers].map((watcher) => watcher.close()));
    const state = this.#state;
    this.#state = null;
    if (state === null) return;
    state.hub.stop();
    if (this.#ownsDatabase) state.db.close();
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** Submits one message (with its first status when created), in the caller's transaction. */
  #submitIn(s: BackendState, message: QueuedMessage): SubmitOutcome {
    const outcome = s.queue.submit(message);
    if (outcome === "created" && message.status !== undefined) this.#writeStatus(s, message.status, true);
    return outcome;
  }

  /**
   * Stores a status (guarded unless `force`) and publishes it when it applied, in the caller's
   * transaction. True also when the stored status is already this very write (nothing published
   * again), as the Redis backend answers a re-sent write.
   */
  #writeStatus(s: BackendState, write: StatusWrite, force: boolean): boolean {
    const result = s.values.setStatus(write, force);
    if (result !== "written") return result === "same";
    if (write.channel !== null) s.pubsub.publish(write.channel, write.value);
    return true;
  }

  /** The `started` events of a claim, and a `failed` (and `dead-lettered`) one per message it rejected. */
  #recordClaim(s: BackendState, claimed: ClaimResult, request: ClaimRequest): void {
    for (const { lease, data } of claimed.messages) {
      s.events.append({ type: "started", queue: lease.queue, uuid: lease.uuid, attempt: data.retries });
    }
    const deadLetterTtl = request.deadLetterTtlMs === undefined ? DEFAULT_DLQ_TTL : request.deadLetterTtlMs;
    for (const rejected of claimed.rejected ?? []) {
      const event = { queue: rejected.queue, uuid: rejected.uuid, attempt: 0, error: eventErrorOf(rejected.deadLetter.exceptionDetails) };
      s.events.append({ ...event, type: "failed" });
      if (deadLetterTtl !== null && deadLetterTtl > 0) s.events.append({ ...event, type: "dead-lettered" });
    }
  }

  // ---- event streams ---------------------------------------------------------------------------

  async readEvents(queue: string, request: ReadEventsRequest): Promise<QueueEvent[]> {
    validateQueueName(queue);
    requireReadEventsRequest(request);
    return this.#read((s) => s.events.read(queue, request.after, request.limit));
  }

  async lastEventId(queue: string): Promise<string | null> {
    validateQueueName(queue);
    return this.#read((s) => s.events.lastId(queue));
  }

  #storeResult(s: BackendState, ref: MessageRef, result: ResultWrite): void {
    s.results.write(ref, result);
    s.pubsub.publish(resultChannel(result.progenitorUuid ?? ref.uuid), ref.uuid);
  }

  #open(): BackendState {
    if (this.#closed) {
      throw new BackendError("This SqliteBackend is closed; create a new one to keep working.");
    }
    if (this.#state !== null) return this.#state;
    this.#state = this.#call(() =>
      openBackendState({
        source: this.#source,
        busyTimeoutMs: this.#busyTimeoutMs,
        namespace: this.namespace,
        serializer: this.serializer,
        pollIntervalMs: this.#pollIntervalMs,
        pubSubRetentionMs: this.#retentionMs,
        touch: (queue) => this.#touched.add(queue),
        eventLength: this.#eventLength,
      }),
    );
    return this.#state;
  }

  /** One atomic write: `BEGIN IMMEDIATE` takes the write lock up front, so no upgrade deadlock. */
  #write<T>(fn: (s: BackendState) => T): T {
    return this.#call(() => {
      const s = this.#open();
      this.#touched = new Set();
      const result = s.tx.immediate(() => fn(s)) as T;
      const touched = this.#touched;
      this.#touched = new Set();
      s.notifier.notify(this.namespace, touched);
      return result;
    });
  }

  /** A consistent read (one snapshot) that takes no write lock. */
  #read<T>(fn: (s: BackendState) => T): T {
    return this.#call(() => {
      const s = this.#open();
      return s.tx.deferred(() => fn(s)) as T;
    });
  }

  #call<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof AlsekError) throw error;
      const permanent = describePermanentFailure(error, this.#source);
      if (permanent !== null) throw new PermanentBackendError(permanent, { cause: error });
      throw new BackendError(
        `SQLite failed: ${(error as Error).message}. Check that the database file is writable and ` +
          "not used from another machine; a busy database may need a larger busyTimeoutMs.",
        { cause: error },
      );
    }
  }
}
