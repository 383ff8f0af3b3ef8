import {
  AlsekError,
  BackendError,
  PermanentBackendError,
  JsonSerializer,
  ValidationError,
  requireMatchingData,
  requirePositiveOption,
  requireQueuedMessage,
  requireStatusWrite,
  requireTimestamp,
  requireTtlOrNull,
  resultChannel,
  validateListMessagesRequest,
  validateClaimLimit,
  validateMessageUuid,
  validateNamespace,
  validateQueueName,
  validateThroughputMinutes,
  type AckOptions,
  type Backend,
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
    return this.#write((s) => s.queue.claim(request));
  }

  async renew(leases: readonly Lease[], leaseMs: number): Promise<LeaseState[]> {
    requireTtlOrNull("renew leaseMs", leaseMs);
    return this.#write((s) => leases.map((lease) => s.queue.renew(lease, leaseMs)));
  }

  async ack(target: Lease | MessageRef, options: AckOptions = {}): Promise<WriteOutcome> {
    if (options.callback !== undefined) requireQueuedMessage(options.callback);
    if (options.result !== undefined) requireTtlOrNull("result ttlMs", options.result.ttlMs);
    const outcome = answer(
      this.#write((s) =>
        s.queue.ack(target, options, () => {
          if (options.result !== undefined) this.#storeResult(s, target, options.result);
        }),
      ),
    );
    if (options.result !== undefined) this.#state?.hub.pollSoon();
    return outcome;
  }

  async retry(target: Lease | MessageRef, data: MessageData, readyAt: number): Promise<WriteOutcome> {
    requireTimestamp("retry readyAt", readyAt);
    requireMatchingData(target, data);
    return answer(this.#write((s) => s.queue.retry(target, data, readyAt)));
  }

  async fail(
    target: Lease | MessageRef,
    data: MessageData,
    dlqTtlMs: number | null,
  ): Promise<WriteOutcome> {
    requireMatchingData(target, data);
    return answer(this.#write((s) => s.queue.fail(target, data, dlqTtlMs)));
  }

  async release(lease: Lease, options: ReleaseOptions = {}): Promise<WriteOutcome> {
    const status = options.status;
    if (status !== undefined) requireStatusWrite(status);
    const outcome = this.#write((s) => {
      const released = s.queue.release(lease);
      // The holder gives its attempt back unrun: the one write that may turn a status back.
      if (released === "ok" && status !== undefined) this.#writeStatus(s, status, true);
      return released;
    });
    if (status !== undefined) this.#state?.hub.pollSoon();
    return answer(outcome);
  }

  async remove(target: Lease | MessageRef): Promise<WriteOutcome> {
    return answer(this.#write((s) => s.queue.remove(target)));
  }

  async getMessage(ref: MessageRef): Promise<MessageData | null> {
    return this.#read((s) => s.queue.getMessage(ref));
  }

  async getDeadLetter(ref: MessageRef): Promise<MessageData | null> {
    return this.#read((s) => s.queue.getDeadLetter(ref));
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

  /** Stores a status (guarded unless `force`) and publishes it when it applied, in the caller's transaction. */
  #writeStatus(s: BackendState, write: StatusWrite, force: boolean): boolean {
    if (!s.values.setStatus(write, force)) return false;
    if (write.channel !== null) s.pubsub.publish(write.channel, write.value);
    return true;
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
