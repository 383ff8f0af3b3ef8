import type { Backend } from "../backend/backend.js";
import { validateQueueName } from "../validation/name-rules.js";
import { eventStreamLength, type EventStreamOption } from "../events/event-stream-options.js";
import type { QueueEvent } from "../events/queue-event.js";
import { requireReadEventsRequest } from "../validation/event-rules.js";
import type {
  AckOptions,
  ClaimRequest,
  ClaimResult,
  Lease,
  LeaseState,
  MessageRef,
  QueueCounts,
  QueuedMessage,
  QueueWatcher,
  ReleaseOptions,
  ResultWrite,
  SetValueOptions,
  StatusWrite,
  StoredResult,
  Subscription,
  SubmitOutcome,
  ProgressWrite,
  ReadEventsRequest,
  WriteOutcome,
} from "../backend/types.js";
import type {
  DefineScheduleResult,
  FireScheduleResult,
  ScheduleDefinition,
  ScheduleFire,
  ScheduleRef,
  StoredSchedule,
} from "../backend/schedule-types.js";
import type { QueueControl, RateLimit } from "../backend/flow-control.js";
import type { ListMessagesRequest, MessagePage, StoredMessage, ThroughputMinute } from "../backend/inspection-types.js";
import type { MessageData } from "../messages/message-data.js";
import { JsonSerializer } from "../serializers/json-serializer.js";
import type { Serializer } from "../serializers/serializer.js";
import { validateNamespace } from "../validation/namespace-rule.js";
import { MemoryBackendState } from "./memory-backend-state.js";
import { MemoryFlowControl } from "./memory-flow-control.js";
import { MemoryLockOperations } from "./memory-lock-operations.js";
import { MemoryPubSub } from "./memory-pub-sub.js";
import { MemoryQueueInspection } from "./memory-queue-inspection.js";
import { MemoryQueueOperations } from "./memory-queue-operations.js";
import { MemoryResultOperations } from "./memory-result-operations.js";
import { MemoryScheduleOperations } from "./memory-schedule-operations.js";
import { MemoryStore } from "./memory-store.js";
import { MemoryValueOperations } from "./memory-value-operations.js";

/** Options of {@link MemoryBackend}. */
export interface MemoryBackendOptions {
  /**
   * Prefix that separates this backend's data from other namespaces of the same store:
   * 1-100 letters, digits, `_`, `-`, `.` and `:` (the rule of every backend, `validateNamespace`).
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
  /**
   * Record each queue's event stream (`QueueEvents` in `@alsek/results` reads it): `true`, or
   * `{ maxLength }` events kept per queue. Off, it costs nothing.
   * @defaultValue `false`
   */
  events?: EventStreamOption;
}

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
  readonly recordsEvents: boolean;
  /** The storage this backend reads and writes. */
  readonly store: MemoryStore;

  // A facade: each group of the contract lives in its own class over the shared state.
  readonly #state: MemoryBackendState;
  readonly #queue: MemoryQueueOperations;
  readonly #flow: MemoryFlowControl;
  readonly #inspection: MemoryQueueInspection;
  readonly #results: MemoryResultOperations;
  readonly #values: MemoryValueOperations;
  readonly #locks: MemoryLockOperations;
  readonly #pubSub: MemoryPubSub;
  readonly #schedules: MemoryScheduleOperations;

  constructor(options: MemoryBackendOptions = {}) {
    this.namespace = validateNamespace(options.namespace ?? "alsek");
    this.serializer = options.serializer ?? new JsonSerializer();
    this.store = options.store ?? new MemoryStore();
    const eventLength = eventStreamLength(options.events);
    this.recordsEvents = eventLength > 0;
    this.#state = new MemoryBackendState(this.store.namespace(this.namespace), this.serializer, eventLength);
    this.#results = new MemoryResultOperations(this.#state);
    this.#queue = new MemoryQueueOperations(this.#state, this.#results);
    this.#flow = new MemoryFlowControl(this.#state);
    this.#inspection = new MemoryQueueInspection(this.#state);
    this.#values = new MemoryValueOperations(this.#state);
    this.#locks = new MemoryLockOperations(this.#state);
    this.#pubSub = new MemoryPubSub(this.#state);
    this.#schedules = new MemoryScheduleOperations(this.#state, this.#queue);
  }

  // ---- queue -----------------------------------------------------------------------------------

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
    return this.#queue.setProgress(lease, write);
  }

  // ---- event streams ---------------------------------------------------------------------------

  async readEvents(queue: string, request: ReadEventsRequest): Promise<QueueEvent[]> {
    this.#state.assertOpen();
    validateQueueName(queue);
    requireReadEventsRequest(request);
    return this.#state.ns.events.read(queue, request.after, request.limit);
  }

  async lastEventId(queue: string): Promise<string | null> {
    this.#state.assertOpen();
    return this.#state.ns.events.lastId(validateQueueName(queue));
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

  // ---- inspection --------------------------------------------------------------------------------

  listMessages(queue: string, request: ListMessagesRequest): Promise<MessagePage> {
    return this.#inspection.listMessages(queue, request);
  }

  inspectMessage(ref: MessageRef): Promise<StoredMessage | null> {
    return this.#inspection.inspectMessage(ref);
  }

  readyNow(ref: MessageRef): Promise<WriteOutcome> {
    return this.#queue.readyNow(ref);
  }

  deleteDeadLetters(queue: string, uuids: readonly string[]): Promise<number> {
    return this.#queue.deleteDeadLetters(queue, uuids);
  }

  throughput(queue: string, minutes: number): Promise<ThroughputMinute[]> {
    return this.#inspection.throughput(queue, minutes);
  }

  // ---- results -----------------------------------------------------------------------------------

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

  // ---- keyed values ------------------------------------------------------------------------------

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

  // ---- locks -------------------------------------------------------------------------------------

  acquireLock(name: string, ownerId: string, ttlMs: number | null): Promise<boolean> {
    return this.#locks.acquireLock(name, ownerId, ttlMs);
  }

  releaseLock(name: string, ownerId: string): Promise<boolean> {
    return this.#locks.releaseLock(name, ownerId);
  }

  lockHolder(name: string): Promise<string | null> {
    return this.#locks.lockHolder(name);
  }

  // ---- pub/sub -----------------------------------------------------------------------------------

  publish(channel: string, value: unknown): Promise<void> {
    return this.#pubSub.publish(channel, value);
  }

  subscribe(channel: string, listener: (value: unknown) => void): Promise<Subscription> {
    return this.#pubSub.subscribe(channel, listener);
  }

  // ---- schedules ---------------------------------------------------------------------------------

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

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Stops this backend's watchers and subscriptions. The store keeps its data. */
  async close(): Promise<void> {
    if (this.#state.closed) return;
    this.#state.markClosed();
    await this.#pubSub.close();
  }
}
