import { randomUUID } from "node:crypto";
import type { Backend } from "../backend/backend.js";
import { resultChannel, validateQueueName } from "../backend/names.js";
import type {
  AckOptions,
  ClaimedMessage,
  ClaimRequest,
  ClaimResult,
  Lease,
  LeaseState,
  MessageRef,
  QueueCounts,
  QueuedMessage,
  QueueWatcher,
  ResultWrite,
  SetValueOptions,
  StoredResult,
  Subscription,
  SubmitOutcome,
  WriteOutcome,
} from "../backend/types.js";
import { BackendError, ValidationError } from "../errors/index.js";
import type { MessageData } from "../messages/message-data.js";
import { JsonSerializer } from "../serializers/json-serializer.js";
import type { Serializer } from "../serializers/serializer.js";
import { globToRegExp } from "./glob-pattern.js";
import { requireDuration, requireMatchingData, requireText, requireTimestamp } from "./argument-checks.js";
import type { MemoryEntry, MemoryQueue } from "./memory-queue.js";
import { MemoryQueueWatcher } from "./memory-queue-watcher.js";
import { MemoryStore, type MemoryNamespace } from "./memory-store.js";
import { readLive } from "./stored-text.js";

/** Options of {@link MemoryBackend}. */
export interface MemoryBackendOptions {
  /**
   * Prefix that separates this backend's data from other namespaces of the same store.
   * @defaultValue `"alsek"`
   */
  namespace?: string;
  /**
   * Encodes every stored value; values are kept serialized, so a value the serializer rejects fails
   * here as it would on Redis, and readers always get copies.
   * @defaultValue `new JsonSerializer()`
   */
  serializer?: Serializer;
  /**
   * Where the data lives. Backends given the same store share it (per namespace), watchers and
   * pub/sub included.
   * @defaultValue a new store owned by this backend
   */
  store?: MemoryStore;
}

interface PreparedMessage {
  message: QueuedMessage;
  text: string;
}

interface PreparedResult {
  text: string;
  ttlMs: number | null;
  progenitorUuid: string | null;
}

type Located = { queue: MemoryQueue; entry: MemoryEntry };

/**
 * The whole {@link Backend} contract in process memory, for tests and single-process apps. Queue
 * state changes are synchronous, so each call is atomic; leases and readiness use `Date.now()`.
 *
 * Pub/sub, watchers and result notices work between backends that share a {@link MemoryStore},
 * but never leave the process, hence `supportsPubSub` is `false`.
 */
export class MemoryBackend implements Backend {
  readonly namespace: string;
  readonly serializer: Serializer;
  readonly supportsPubSub = false;
  /** The storage this backend reads and writes. */
  readonly store: MemoryStore;
  readonly #ns: MemoryNamespace;
  readonly #watchers = new Set<MemoryQueueWatcher>();
  readonly #subscriptions = new Set<Subscription>();
  #closed = false;

  constructor(options: MemoryBackendOptions = {}) {
    this.namespace = requireText("namespace", options.namespace ?? "alsek");
    this.serializer = options.serializer ?? new JsonSerializer();
    this.store = options.store ?? new MemoryStore();
    this.#ns = this.store.namespace(this.namespace);
  }

  // ---- queue -----------------------------------------------------------------------------------

  async submit(messages: readonly QueuedMessage[]): Promise<SubmitOutcome[]> {
    this.#assertOpen();
    // Validate and encode everything first so that a bad message leaves the batch unapplied.
    const prepared = messages.map((message) => this.#prepareMessage(message));
    const now = Date.now();
    const outcomes = prepared.map((item) => this.#enqueue(item, now));
    for (const queue of new Set(prepared.map((item) => item.message.queue))) this.#wake(queue);
    return outcomes;
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    this.#assertOpen();
    const { limit, leaseMs } = request;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new ValidationError(`claim limit must be an integer ≥ 1, got ${String(limit)}.`);
    }
    requireDuration("leaseMs", leaseMs);
    const names = [...new Set(request.queues.map((name) => validateQueueName(name)))];
    const now = Date.now();
    const messages: ClaimedMessage[] = [];
    for (const name of names) {
      const queue = this.#ns.queues.get(name);
      if (queue === undefined) continue;
      queue.settle(now);
      while (messages.length < limit) {
        const token = randomUUID();
        const entry = queue.claimNext(token, now + leaseMs);
        if (entry === undefined) break;
        messages.push({
          data: this.#decode(entry.text) as MessageData,
          lease: { queue: name, uuid: entry.uuid, token },
          expiredLeases: entry.expiredLeases,
        });
      }
    }
    let nextReadyInMs: number | null = null;
    if (messages.length < limit) {
      for (const name of names) {
        const at = this.#ns.queues.get(name)?.nextEventAt() ?? null;
        if (at !== null) nextReadyInMs = Math.min(nextReadyInMs ?? Infinity, Math.max(0, at - now));
      }
    }
    return { messages, nextReadyInMs };
  }

  async renew(leases: readonly Lease[], leaseMs: number): Promise<LeaseState[]> {
    this.#assertOpen();
    requireDuration("leaseMs", leaseMs);
    const now = Date.now();
    return leases.map((lease) => {
      const located = this.#locate(lease);
      if (typeof located === "string") return located;
      if (located.entry.state !== "active") return "lost";
      located.queue.renew(located.entry, now + leaseMs);
      return "ok";
    });
  }

  async ack(target: Lease | MessageRef, options: AckOptions = {}): Promise<WriteOutcome> {
    this.#assertOpen();
    const result = options.result === undefined ? null : this.#prepareResult(options.result);
    const callback = options.callback === undefined ? null : this.#prepareMessage(options.callback);
    const located = this.#locate(target);
    if (typeof located === "string") return located;
    const now = Date.now();
    located.queue.delete(located.entry);
    if (result !== null) this.#storeResult(target, result, now);
    if (callback !== null) {
      this.#enqueue(callback, now);
      this.#wake(callback.message.queue);
    }
    if (result !== null) this.#announceResult(target.uuid, result.progenitorUuid);
    return "ok";
  }

  async retry(target: Lease | MessageRef, data: MessageData, readyAt: number): Promise<WriteOutcome> {
    this.#assertOpen();
    requireTimestamp("retry readyAt", readyAt);
    requireMatchingData(target, data);
    const text = this.#encode(data);
    const located = this.#locate(target);
    if (typeof located === "string") return located;
    const now = Date.now();
    located.entry.text = text;
    located.queue.reschedule(located.entry, readyAt, now);
    this.#wake(target.queue);
    return "ok";
  }

  async fail(target: Lease | MessageRef, data: MessageData, dlqTtlMs: number | null): Promise<WriteOutcome> {
    this.#assertOpen();
    if (dlqTtlMs !== null && (typeof dlqTtlMs !== "number" || Number.isNaN(dlqTtlMs))) {
      throw new ValidationError(`dlqTtlMs must be a number of milliseconds or null, got ${String(dlqTtlMs)}.`);
    }
    requireMatchingData(target, data);
    const text = this.#encode(data);
    const located = this.#locate(target);
    if (typeof located === "string") return located;
    located.queue.delete(located.entry);
    if (dlqTtlMs !== null && dlqTtlMs > 0) {
      located.queue.deadLetters.set(target.uuid, { text, expiresAt: Date.now() + dlqTtlMs });
    }
    return "ok";
  }

  async release(lease: Lease): Promise<WriteOutcome> {
    this.#assertOpen();
    const located = this.#locate(lease);
    if (typeof located === "string") return located;
    if (located.entry.state !== "active") return "lost";
    located.queue.requeue(located.entry);
    this.#wake(lease.queue);
    return "ok";
  }

  async remove(target: Lease | MessageRef): Promise<WriteOutcome> {
    this.#assertOpen();
    const located = this.#locate(target);
    if (typeof located === "string") return located;
    located.queue.delete(located.entry);
    return "ok";
  }

  async getMessage(ref: MessageRef): Promise<MessageData | null> {
    this.#assertOpen();
    const entry = this.#ns.queues.get(validateQueueName(ref.queue))?.entries.get(ref.uuid);
    return entry === undefined ? null : (this.#decode(entry.text) as MessageData);
  }

  async getDeadLetter(ref: MessageRef): Promise<MessageData | null> {
    this.#assertOpen();
    const dead = this.#ns.queues.get(validateQueueName(ref.queue))?.deadLetters;
    const text = readLive(dead, ref.uuid, Date.now());
    return text === undefined ? null : (this.#decode(text) as MessageData);
  }

  async countQueue(queue: string): Promise<QueueCounts> {
    this.#assertOpen();
    const state = this.#ns.queues.get(validateQueueName(queue));
    return state?.counts(Date.now()) ?? { ready: 0, delayed: 0, active: 0, dead: 0 };
  }

  async listQueues(): Promise<string[]> {
    this.#assertOpen();
    return [...this.#ns.queues.keys()].sort();
  }

  watch(queues: readonly string[]): QueueWatcher {
    this.#assertOpen();
    const names = [...new Set(queues.map((name) => validateQueueName(name)))];
    const watcher = new MemoryQueueWatcher((closed) => {
      this.#watchers.delete(closed);
      for (const name of names) this.#ns.watchers.get(name)?.delete(closed);
    });
    this.#watchers.add(watcher);
    for (const name of names) {
      let set = this.#ns.watchers.get(name);
      if (set === undefined) this.#ns.watchers.set(name, (set = new Set()));
      set.add(watcher);
    }
    return watcher;
  }

  // ---- results -----------------------------------------------------------------------------------

  async setResult(ref: MessageRef, result: ResultWrite): Promise<void> {
    this.#assertOpen();
    validateQueueName(ref.queue);
    const prepared = this.#prepareResult(result);
    this.#storeResult(ref, prepared, Date.now());
    this.#announceResult(ref.uuid, prepared.progenitorUuid);
  }

  async getResults(refs: readonly MessageRef[], options: { keep: boolean }): Promise<(StoredResult | null)[]> {
    this.#assertOpen();
    const now = Date.now();
    return refs.map((ref) => {
      const text = this.#ns.results.get(validateQueueName(ref.queue), ref.uuid, now);
      if (text === undefined) return null;
      if (!options.keep) this.#ns.results.delete(ref.queue, ref.uuid);
      return { uuid: ref.uuid, value: this.#decode(text) };
    });
  }

  async descendantResults(queue: string, progenitorUuid: string): Promise<string[]> {
    this.#assertOpen();
    return this.#ns.results.descendants(validateQueueName(queue), progenitorUuid, Date.now());
  }

  async deleteResults(refs: readonly MessageRef[]): Promise<number> {
    this.#assertOpen();
    const now = Date.now();
    let count = 0;
    for (const ref of refs) {
      if (this.#ns.results.get(validateQueueName(ref.queue), ref.uuid, now) !== undefined) count += 1;
      this.#ns.results.delete(ref.queue, ref.uuid);
    }
    return count;
  }

  // ---- keyed values ------------------------------------------------------------------------------

  async getValue(key: string): Promise<unknown> {
    this.#assertOpen();
    const text = this.#ns.values.get(requireText("key", key), Date.now());
    return text === undefined ? undefined : this.#decode(text);
  }

  async setValue(key: string, value: unknown, options: SetValueOptions = {}): Promise<boolean> {
    this.#assertOpen();
    requireText("key", key);
    const ttlMs = options.ttlMs ?? null;
    if (ttlMs !== null) requireDuration("ttlMs", ttlMs);
    const text = this.#encode(value);
    const flags = { ttlMs, nx: options.nx === true, keepTtl: options.keepTtl === true };
    return this.#ns.values.set(key, text, flags, Date.now());
  }

  async deleteValue(...keys: string[]): Promise<number> {
    this.#assertOpen();
    const now = Date.now();
    return keys.filter((key) => this.#ns.values.delete(requireText("key", key), now)).length;
  }

  async hasValue(key: string): Promise<boolean> {
    this.#assertOpen();
    return this.#ns.values.get(requireText("key", key), Date.now()) !== undefined;
  }

  async *scanKeys(pattern: string): AsyncIterable<string> {
    this.#assertOpen();
    yield* this.#ns.values.keys(globToRegExp(pattern), Date.now());
  }

  async count(pattern = "*"): Promise<number> {
    this.#assertOpen();
    return this.#ns.values.keys(globToRegExp(pattern), Date.now()).length;
  }

  async clear(): Promise<number> {
    this.#assertOpen();
    const ns = this.#ns;
    let count = ns.results.size + ns.values.clear();
    for (const queue of ns.queues.values()) count += queue.clear();
    ns.queues.clear();
    ns.results.clear();
    return count;
  }

  // ---- locks -------------------------------------------------------------------------------------

  async acquireLock(name: string, ownerId: string, ttlMs: number | null): Promise<boolean> {
    this.#assertOpen();
    requireText("lock name", name);
    requireText("lock owner id", ownerId);
    if (ttlMs !== null) requireDuration("ttlMs", ttlMs);
    return this.#ns.values.acquireLock(name, ownerId, ttlMs, Date.now());
  }

  async releaseLock(name: string, ownerId: string): Promise<boolean> {
    this.#assertOpen();
    return this.#ns.values.releaseLock(requireText("lock name", name), ownerId, Date.now());
  }

  async lockHolder(name: string): Promise<string | null> {
    this.#assertOpen();
    return this.#ns.values.lockHolder(requireText("lock name", name), Date.now());
  }

  // ---- pub/sub -----------------------------------------------------------------------------------

  async publish(channel: string, value: unknown): Promise<void> {
    this.#assertOpen();
    this.#publishText(requireText("channel", channel), this.#encode(value));
  }

  async subscribe(channel: string, listener: (value: unknown) => void): Promise<Subscription> {
    this.#assertOpen();
    requireText("channel", channel);
    const deliver = (text: string): void => listener(this.#decode(text));
    let listeners = this.#ns.channels.get(channel);
    if (listeners === undefined) this.#ns.channels.set(channel, (listeners = new Set()));
    listeners.add(deliver);
    const subscription: Subscription = {
      unsubscribe: async () => {
        this.#subscriptions.delete(subscription);
        const current = this.#ns.channels.get(channel);
        current?.delete(deliver);
        if (current?.size === 0) this.#ns.channels.delete(channel);
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Stops this backend's watchers and subscriptions. The store keeps its data. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#watchers].map((watcher) => watcher.close()));
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.unsubscribe()));
  }

  // ---- internals ---------------------------------------------------------------------------------

  #assertOpen(): void {
    if (this.#closed) {
      throw new BackendError(
        "This MemoryBackend is closed. Create a new one (pass the same `store` to keep its data).",
      );
    }
  }

  #encode(value: unknown): string {
    return this.serializer.forward(value);
  }

  #decode(text: string): unknown {
    return this.serializer.reverse(text);
  }

  /** The message a write targets, or why the write cannot apply. */
  #locate(target: Lease | MessageRef): Located | "lost" | "gone" {
    const queue = this.#ns.queues.get(validateQueueName(target.queue));
    const entry = queue?.entries.get(target.uuid);
    if (queue === undefined || entry === undefined) return "gone";
    const token = (target as Partial<Lease>).token;
    if (token !== undefined && (entry.state !== "active" || entry.token !== token)) return "lost";
    return { queue, entry };
  }

  #prepareMessage(message: QueuedMessage): PreparedMessage {
    validateQueueName(message.queue);
    requireText("message uuid", message.uuid);
    if (!Number.isSafeInteger(message.priority) || message.priority < 0) {
      throw new ValidationError(
        `Message ${message.uuid} has priority ${String(message.priority)}: use an integer ≥ 0.`,
      );
    }
    requireTimestamp(`readyAt of message ${message.uuid}`, message.readyAt);
    requireMatchingData(message, message.data);
    return { message, text: this.#encode(message.data) };
  }

  #enqueue({ message, text }: PreparedMessage, now: number): SubmitOutcome {
    const queue = this.#ns.queue(message.queue);
    const existing = queue.entries.get(message.uuid);
    if (existing !== undefined) return existing.text === text ? "duplicate" : "conflict";
    queue.add(
      {
        uuid: message.uuid,
        priority: message.priority,
        seq: this.#ns.nextSeq(),
        readyAt: message.readyAt,
        text,
        state: "ready",
        token: null,
        leaseExpiresAt: 0,
        expiredLeases: 0,
        heapIndex: -1,
      },
      now,
    );
    return "created";
  }

  #wake(queue: string): void {
    const watchers = this.#ns.watchers.get(queue);
    if (watchers !== undefined) for (const watcher of watchers) watcher.bump();
  }

  #prepareResult(result: ResultWrite): PreparedResult {
    if (result.ttlMs !== null) requireDuration("result ttlMs", result.ttlMs);
    return { text: this.#encode(result.value), ttlMs: result.ttlMs, progenitorUuid: result.progenitorUuid ?? null };
  }

  #storeResult(ref: MessageRef, result: PreparedResult, now: number): void {
    const expiresAt = result.ttlMs === null ? null : now + result.ttlMs;
    this.#ns.results.set(ref.queue, ref.uuid, result.text, expiresAt, result.progenitorUuid);
  }

  #announceResult(uuid: string, progenitorUuid: string | null): void {
    this.#publishText(resultChannel(progenitorUuid ?? uuid), this.#encode(uuid));
  }

  #publishText(channel: string, text: string): void {
    const listeners = this.#ns.channels.get(channel);
    if (listeners === undefined) return;
    for (const deliver of listeners) {
      // Delivered later, like a real broker, and skipped if unsubscribed in the meantime.
      queueMicrotask(() => {
        if (this.#ns.channels.get(channel)?.has(deliver) === true) deliver(text);
      });
    }
  }
}
