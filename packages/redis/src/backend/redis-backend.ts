import {
  JsonSerializer,
  requireLogSink,
  eventStreamLength,
  type QueueEvent,
  type ReadEventsRequest,
  validateNamespace,
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
  type QueueControl,
  type RateLimit,
} from "@alsek/core";
import { resolveClient, type RedisClient, type RedisConnection } from "../connection/index.js";
import { KeyLayout } from "../keys/index.js";
import { BackendConnection } from "./backend-connection.js";
import { FlowControlOperations } from "./flow-control-operations.js";
import { LockOperations } from "./lock-operations.js";
import { EventOperations } from "./event-operations.js";
import { ProgressOperations } from "./progress-operations.js";
import { PubSubOperations } from "./pub-sub-operations.js";
import { QueueInspection } from "./queue-inspection.js";
import { QueueOperations } from "./queue-operations.js";
import type { RedisBackendOptions } from "./redis-backend-options.js";
import { ResultOperations } from "./result-operations.js";
import { ScheduleOperations } from "./schedule-operations.js";
import { ValueOperations } from "./value-operations.js";

/**
 * The Alsek {@link Backend} on Redis (standalone, Sentinel through an ioredis client, or Cluster).
 * Every state change is one Lua script; readiness is indexed by sorted sets so claiming N messages
 * costs O(N log n) whatever the backlog; leases are judged on Redis `TIME`.
 *
 * Constructing it opens no socket: clients it creates use `lazyConnect`.
 */
export class RedisBackend implements Backend {
  readonly namespace: string;
  readonly serializer: Serializer;
  readonly supportsPubSub = true;
  readonly recordsEvents: boolean;

  // A facade: each group of the contract lives in its own class over the shared connection.
  readonly #connection: BackendConnection;
  readonly #queue: QueueOperations;
  readonly #inspection: QueueInspection;
  readonly #flow: FlowControlOperations;
  readonly #results: ResultOperations;
  readonly #values: ValueOperations;
  readonly #progress: ProgressOperations;
  readonly #events: EventOperations;
  readonly #locks: LockOperations;
  readonly #pubSub: PubSubOperations;
  readonly #schedules: ScheduleOperations;

  /**
   * @param connection nothing (`redis://localhost:6379`), a `redis://`/`rediss://` URL, an ioredis
   *   `Redis` or `Cluster`, or a `LazyClient` that produces one on first use.
   */
  constructor(connection?: RedisConnection, options: RedisBackendOptions = {}) {
    this.namespace = validateNamespace(options.namespace ?? "alsek");
    this.serializer = options.serializer ?? new JsonSerializer();
    const keys = new KeyLayout(this.namespace);
    const eventLength = eventStreamLength(options.events);
    this.recordsEvents = eventLength > 0;
    this.#connection = new BackendConnection(
      keys,
      this.serializer,
      connection,
      options.redisOptions ?? {},
      requireLogSink("RedisBackend", options.logger),
      eventLength,
    );
    // Validate a URL now rather than on first use; the client itself stays lazy.
    if (typeof connection === "string" && !/^rediss?:\/\//.test(connection)) resolveClient(connection, {});
    this.#queue = new QueueOperations(this.#connection);
    this.#inspection = new QueueInspection(this.#connection);
    this.#flow = new FlowControlOperations(this.#connection);
    this.#results = new ResultOperations(this.#connection);
    this.#values = new ValueOperations(this.#connection);
    this.#progress = new ProgressOperations(this.#connection);
    this.#events = new EventOperations(this.#connection);
    this.#locks = new LockOperations(this.#connection);
    this.#pubSub = new PubSubOperations(this.#connection);
    this.#schedules = new ScheduleOperations(this.#connection);
  }

  /** The ioredis client, created (without connecting) on first call. */
  get client(): RedisClient {
    return this.#connection.get().client;
  }

  // ---- queue ---------------------------------------------------------------------------------

  submit(messages: readonly QueuedMessage[]): Promise<SubmitOutcome[]> {
    return this.#queue.submit(messages);
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.#queue.claim(request);
  }

  renew(leases: readonly Lease[], leaseMs: number): Promise<LeaseState[]> {
    return this.#queue.renew(leases, leaseMs);
  }

  setProgress(lease: Lease, write: ProgressWrite): Promise<WriteOutcome> {
    return this.#progress.setProgress(lease, write);
  }

  // ---- event streams ---------------------------------------------------------------------------

  readEvents(queue: string, request: ReadEventsRequest): Promise<QueueEvent[]> {
    return this.#events.readEvents(queue, request);
  }

  lastEventId(queue: string): Promise<string | null> {
    return this.#events.lastEventId(queue);
  }

  ack(target: Lease | MessageRef, options?: AckOptions): Promise<WriteOutcome> {
    return this.#queue.ack(target, options);
  }

  retry(target: Lease | MessageRef, data: MessageData, readyAt: number): Promise<WriteOutcome> {
    return this.#queue.retry(target, data, readyAt);
  }

  fail(target: Lease | MessageRef, data: MessageData, dlqTtlMs: number | null): Promise<WriteOutcome> {
    return this.#queue.fail(target, data, dlqTtlMs);
  }

  release(lease: Lease, options?: ReleaseOptions): Promise<WriteOutcome> {
    return this.#queue.release(lease, options);
  }

  remove(target: Lease | MessageRef): Promise<WriteOutcome> {
    return this.#queue.remove(target);
  }

  getMessage(ref: MessageRef): Promise<MessageData | null> {
    return this.#inspection.getMessage(ref);
  }

  getDeadLetter(ref: MessageRef): Promise<MessageData | null> {
    return this.#inspection.getDeadLetter(ref);
  }

  setQueuePaused(queue: string, paused: boolean): Promise<void> {
    return this.#flow.setQueuePaused(queue, paused);
  }

  setRateLimit(queue: string, limit: RateLimit | null, task?: string): Promise<void> {
    return this.#flow.setRateLimit(queue, limit, task);
  }

  getQueueControl(queue: string): Promise<QueueControl> {
    return this.#flow.getQueueControl(queue);
  }

  countQueue(queue: string): Promise<QueueCounts> {
    return this.#inspection.countQueue(queue);
  }

  listQueues(): Promise<string[]> {
    return this.#inspection.listQueues();
  }

  watch(queues: readonly string[]): QueueWatcher {
    return this.#pubSub.watch(queues);
  }

  // ---- inspection ----------------------------------------------------------------------------

  listMessages(queue: string, request: ListMessagesRequest): Promise<MessagePage> {
    return this.#inspection.listMessages(queue, request);
  }

  inspectMessage(ref: MessageRef): Promise<StoredMessage | null> {
    return this.#inspection.inspectMessage(ref);
  }

  readyNow(ref: MessageRef): Promise<WriteOutcome> {
    return this.#inspection.readyNow(ref);
  }

  deleteDeadLetters(queue: string, uuids: readonly string[]): Promise<number> {
    return this.#inspection.deleteDeadLetters(queue, uuids);
  }

  throughput(queue: string, minutes: number): Promise<ThroughputMinute[]> {
    return this.#inspection.throughput(queue, minutes);
  }

  // ---- results -------------------------------------------------------------------------------

  setResult(ref: MessageRef, result: ResultWrite): Promise<void> {
    return this.#results.setResult(ref, result);
  }

  getResults(refs: readonly MessageRef[], options: { keep: boolean }): Promise<(StoredResult | null)[]> {
    return this.#results.getResults(refs, options);
  }

  descendantResults(queue: string, progenitorUuid: string): Promise<string[]> {
    return this.#results.descendantResults(queue, progenitorUuid);
  }

  deleteResults(refs: readonly MessageRef[]): Promise<number> {
    return this.#results.deleteResults(refs);
  }

  // ---- keyed values --------------------------------------------------------------------------

  getValue(key: string): Promise<unknown> {
    return this.#values.getValue(key);
  }

  setValue(key: string, value: unknown, options?: SetValueOptions): Promise<boolean> {
    return this.#values.setValue(key, value, options);
  }

  setStatus(write: StatusWrite): Promise<boolean> {
    return this.#values.setStatus(write);
  }

  deleteValue(...keys: string[]): Promise<number> {
    return this.#values.deleteValue(...keys);
  }

  hasValue(key: string): Promise<boolean> {
    return this.#values.hasValue(key);
  }

  scanKeys(pattern: string): AsyncIterable<string> {
    return this.#values.scanKeys(pattern);
  }

  count(pattern?: string): Promise<number> {
    return this.#values.count(pattern);
  }

  clear(): Promise<number> {
    return this.#values.clear();
  }

  // ---- locks ---------------------------------------------------------------------------------

  acquireLock(name: string, ownerId: string, ttlMs: number | null): Promise<boolean> {
    return this.#locks.acquireLock(name, ownerId, ttlMs);
  }

  releaseLock(name: string, ownerId: string): Promise<boolean> {
    return this.#locks.releaseLock(name, ownerId);
  }

  lockHolder(name: string): Promise<string | null> {
    return this.#locks.lockHolder(name);
  }

  // ---- pub/sub -------------------------------------------------------------------------------

  publish(channel: string, value: unknown): Promise<void> {
    return this.#pubSub.publish(channel, value);
  }

  subscribe(channel: string, listener: (value: unknown) => void): Promise<Subscription> {
    return this.#pubSub.subscribe(channel, listener);
  }

  // ---- schedules -----------------------------------------------------------------------------

  defineSchedule(definition: ScheduleDefinition): Promise<DefineScheduleResult> {
    return this.#schedules.defineSchedule(definition);
  }

  fireSchedule(fire: ScheduleFire): Promise<FireScheduleResult> {
    return this.#schedules.fireSchedule(fire);
  }

  getSchedule(ref: ScheduleRef): Promise<StoredSchedule | null> {
    return this.#schedules.getSchedule(ref);
  }

  listSchedules(queue: string): Promise<StoredSchedule[]> {
    return this.#schedules.listSchedules(queue);
  }

  pauseSchedule(ref: ScheduleRef, paused: boolean): Promise<boolean> {
    return this.#schedules.pauseSchedule(ref, paused);
  }

  deleteSchedule(ref: ScheduleRef): Promise<boolean> {
    return this.#schedules.deleteSchedule(ref);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.#connection.closed) return;
    await this.#pubSub.closeWatchers();
    await this.#connection.close();
  }
}
