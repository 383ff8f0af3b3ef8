import {
  MessageAlreadyExistsError,
  REVOCATION_TTL,
  RevokedError,
  TaskStatus,
  ValidationError,
  Message,
  revocationKey,
  validateMessageUuid,
  validateQueueName,
  validateTaskName,
  validateThroughputMinutes,
  type Backend,
  type ListedMessage,
  type MessageData,
  type MessageRef,
} from "@alsek/core";
import { decodeResult } from "../results/result-record.js";
import { StatusTracker } from "../status/index.js";
import { decodeStatusUpdate } from "../status/status-update.js";
import type {
  DeadLetterFilter,
  InspectedResult,
  ListMessagesOptions,
  MessageDetail,
  MessageListing,
  MessageOutcome,
  PurgeOptions,
  QueueInspectorOptions,
  QueueSummary,
  ThroughputOptions,
  ThroughputPoint,
} from "./inspection-types.js";
import { summarize } from "./message-summary.js";
import { WALK_BATCH, filteredPage, walkState } from "./message-walk.js";

const DEFAULT_PAGE_SIZE = 50;
const SEVEN_DAYS_MS = 7 * 24 * 3_600_000;

/**
 * The read side of Alsek for tools and dashboards: queues with their counts, messages of a queue
 * by state (cursor-paged), one message with its status, result and error, throughput per minute,
 * and the operator's actions on dead letters and live messages. It needs only a `Backend`: no
 * task definitions and no worker package.
 *
 * @example
 * ```ts
 * const inspector = new QueueInspector(new RedisBackend(process.env.REDIS_URL));
 * const { items, nextCursor } = await inspector.listMessages("emails", { state: "dead", limit: 20 });
 * await inspector.redrive("emails", items[0].uuid);
 * ```
 */
export class QueueInspector {
  /** The backend inspected. */
  readonly backend: Backend;
  readonly #statuses: StatusTracker;
  readonly #dlqTtl: number | null;

  constructor(backend: Backend, options: QueueInspectorOptions = {}) {
    this.backend = backend;
    this.#statuses = new StatusTracker(backend, { ttl: options.statusTtl === undefined ? SEVEN_DAYS_MS : options.statusTtl });
    const dlqTtl = options.dlqTtl === undefined ? SEVEN_DAYS_MS : options.dlqTtl;
    if (dlqTtl !== null && !(Number.isFinite(dlqTtl) && dlqTtl >= 0)) {
      throw new ValidationError(`Invalid dlqTtl ${String(dlqTtl)}: give a number of ms ≥ 0, or null to drop revoked messages.`);
    }
    this.#dlqTtl = dlqTtl === 0 ? null : dlqTtl;
  }

  /** Every queue of the namespace with its counts and the age of its ready line's head, sorted by name. */
  async listQueues(): Promise<QueueSummary[]> {
    const names = await this.backend.listQueues();
    return Promise.all(names.map((queue) => this.#summarizeQueue(queue)));
  }

  /**
   * One page of `queue`'s messages in `state`. Stable under concurrent writes: the cursor is a
   * position in the state's index, so nothing repeats or is skipped because of messages that
   * came or went meanwhile (a message that moves to another state shows there instead).
   * @throws ValidationError for a bad queue or task name, state, order, cursor or page size.
   */
  async listMessages(queue: string, options: ListMessagesOptions): Promise<MessageListing> {
    validateQueueName(queue);
    if (typeof options !== "object" || options === null) {
      throw new ValidationError("listMessages needs options { state, order?, cursor?, limit?, taskName? }.");
    }
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const request = { state: options.state, order: options.order ?? "oldest", cursor: options.cursor ?? null, limit };
    if (options.taskName === undefined) {
      const page = await this.backend.listMessages(queue, request);
      return { items: page.items.map(summarize), nextCursor: page.nextCursor };
    }
    const taskName = validateTaskName(options.taskName);
    return filteredPage(this.backend, queue, request, (listed) => listed.data.taskName === taskName);
  }

  /**
   * Everything known about one message (queued or dead-lettered), or `null` when it is neither:
   * an acked message keeps only its status and result, which {@link getOutcome} reads.
   */
  async getMessage(queue: string, uuid: string): Promise<MessageDetail | null> {
    const ref = checkRef(queue, uuid);
    const [listed, outcome] = await Promise.all([this.backend.inspectMessage(ref), this.#outcome(ref)]);
    if (listed === null) return null;
    const callbacks = [];
    for (let next = listed.data.callbackMessageData; next != null; next = next.callbackMessageData) {
      callbacks.push({ queue: next.queue, uuid: next.uuid, taskName: next.taskName });
    }
    const running = listed.state === "active" || listed.state === "dead" ? 1 : 0;
    return {
      ...summarize(listed),
      ...outcome,
      data: listed.data,
      error: listed.data.exceptionDetails,
      attempts: listed.data.retries + running,
      callbacks,
    };
  }

  /**
   * What is left of a message whatever its state, finished (acked) ones included: its last
   * status, its result (read with `keep: true`) and the results stored under it as progenitor.
   */
  async getOutcome(queue: string, uuid: string): Promise<MessageOutcome> {
    return this.#outcome(checkRef(queue, uuid));
  }

  /**
   * Send a dead letter back to its queue to run again: retries reset, error and revocation
   * cleared, status SUBMITTED (when its task tracks statuses). Submitted before the dead letter
   * is deleted, so a crash in between never loses it, and a repeat finishes the job.
   * @returns whether a dead letter was redriven.
   * @throws MessageAlreadyExistsError when a different message with that uuid is queued.
   */
  async redrive(queue: string, uuid: string): Promise<boolean> {
    const ref = checkRef(queue, uuid);
    const data = await this.backend.getDeadLetter(ref);
    if (data === null) return false;
    return (await this.#redriveAll(queue, [data])) === 1;
  }

  /** Redrive every dead letter of `queue` (of one task, with a filter). Returns how many. */
  async redriveDeadLetters(queue: string, filter: DeadLetterFilter = {}): Promise<number> {
    validateQueueName(queue);
    let count = 0;
    for await (const batch of walkState(this.backend, queue, "dead", taskFilter(filter), Number.POSITIVE_INFINITY)) {
      count += await this.#redriveAll(queue, batch.map((listed) => listed.data));
    }
    return count;
  }

  /** Delete one dead letter. Returns whether it existed. */
  async deleteDeadLetter(queue: string, uuid: string): Promise<boolean> {
    checkRef(queue, uuid);
    return (await this.backend.deleteDeadLetters(queue, [uuid])) > 0;
  }

  /** Delete every dead letter of `queue` (of one task, with a filter). Returns how many. */
  async deleteDeadLetters(queue: string, filter: DeadLetterFilter = {}): Promise<number> {
    validateQueueName(queue);
    let count = 0;
    for await (const batch of walkState(this.backend, queue, "dead", taskFilter(filter), Number.POSITIVE_INFINITY)) {
      count += await this.backend.deleteDeadLetters(queue, batch.map((listed) => listed.data.uuid));
    }
    return count;
  }

  /**
   * Revoke a message as `task.revoke()` does: flag it revoked (a running attempt is stopped by its
   * pool within about a second, and never retried) and fail it to the dead-letter queue with a
   * `RevokedError`, status FAILED (when its task tracks statuses).
   * @returns whether the message was still queued (the flag is set either way).
   */
  async revoke(queue: string, uuid: string): Promise<boolean> {
    const ref = checkRef(queue, uuid);
    await this.backend.setValue(revocationKey(ref), true, { ttlMs: REVOCATION_TTL });
    const stored = await this.backend.getMessage(ref);
    if (stored === null) return false;
    const error = new RevokedError(`Task '${stored.taskName}' was revoked.`);
    const data: MessageData = { ...stored, exceptionDetails: { name: error.name, text: error.message, traceback: null } };
    if ((await this.backend.fail(ref, data, this.#dlqTtl)) !== "ok") return false;
    await this.#setStatusIfTracked(ref, TaskStatus.FAILED);
    return true;
  }

  /** Make a delayed message (waiting for its delay or a retry backoff) ready now. Returns whether it was delayed. */
  async retryNow(queue: string, uuid: string): Promise<boolean> {
    return (await this.backend.readyNow(checkRef(queue, uuid))) === "ok";
  }

  /** Remove a queued message (ready, delayed or running) without a trace. Returns whether it was queued. */
  async remove(queue: string, uuid: string): Promise<boolean> {
    return (await this.backend.remove(checkRef(queue, uuid))) === "ok";
  }

  /**
   * Remove every queued message (ready, delayed, active) of `queue`; dead letters stay (see
   * {@link deleteDeadLetters}). Messages submitted while it runs may survive it.
   * @throws ValidationError unless `confirm` repeats the queue's name.
   */
  async purge(queue: string, options: PurgeOptions): Promise<number> {
    validateQueueName(queue);
    if (typeof options !== "object" || options === null || options.confirm !== queue) {
      throw new ValidationError(`purge of queue '${queue}' needs { confirm: '${queue}' }: the queue's name, given twice, guards against purging the wrong queue.`);
    }
    const counts = await this.backend.countQueue(queue);
    let removed = 0;
    for (const state of ["ready", "delayed", "active"] as const) {
      // Bounded by what was there at the start, so a busy producer cannot keep it going forever.
      const bound = counts.ready + counts.delayed + counts.active + WALK_BATCH;
      for await (const batch of walkState(this.backend, queue, state, () => true, bound)) {
        const outcomes = await Promise.all(batch.map((listed) => this.backend.remove({ queue, uuid: listed.data.uuid })));
        removed += outcomes.filter((outcome) => outcome === "ok").length;
      }
    }
    return removed;
  }

  /** Completed and failed counts of `queue` per minute, oldest first, the current minute last. */
  async throughput(queue: string, options: ThroughputOptions = {}): Promise<ThroughputPoint[]> {
    validateQueueName(queue);
    return this.backend.throughput(queue, validateThroughputMinutes(options.minutes ?? 60));
  }

  /**
   * Pause `queue` for every pool (claims skip it; running messages finish; submits still land).
   * Same as `broker.pauseQueue`. Idempotent.
   */
  async pause(queue: string): Promise<void> {
    await this.backend.setQueuePaused(queue, true);
  }

  /** Resume a paused `queue`: idle pools are woken and claim its backlog. Idempotent. */
  async resume(queue: string): Promise<void> {
    await this.backend.setQueuePaused(queue, false);
  }

  async #outcome(ref: MessageRef): Promise<MessageOutcome> {
    const [status, progress, stored, descendants] = await Promise.all([
      this.backend.getValue(this.#statuses.keyOf(ref)).then(decodeStatusUpdate),
      this.#statuses.getProgress(ref),
      this.backend.getResults([ref], { keep: true }),
      this.backend.descendantResults(ref.queue, ref.uuid),
    ]);
    const result: InspectedResult =
      stored[0] == null ? { present: false } : { present: true, value: decodeResult(ref.uuid, stored[0].value).record.result };
    return { status, progress, result, descendants };
  }

  async #summarizeQueue(queue: string): Promise<QueueSummary> {
    const [counts, head, control] = await Promise.all([
      this.backend.countQueue(queue),
      this.backend.listMessages(queue, { state: "ready", order: "oldest", cursor: null, limit: 1 }),
      this.backend.getQueueControl(queue),
    ]);
    const first = head.items[0];
    return {
      queue,
      counts: { ready: counts.ready, delayed: counts.delayed, active: counts.active, deadLettered: counts.dead },
      oldestReadyAgeMs: first === undefined ? null : Math.max(0, Date.now() - summarize(first).readyAt),
      paused: control.paused,
      rateLimit: control.rateLimit,
      taskRateLimits: control.taskRateLimits,
    };
  }

  async #redriveAll(queue: string, dead: readonly MessageData[]): Promise<number> {
    const fresh = dead.map((data) => new Message({ ...data, queue, retries: 0, exceptionDetails: null }));
    // A redriven message starts a new life: its SUBMITTED status (when it has a status at all) is
    // written by the submit itself, which is the one write allowed to replace a final status, and
    // its revocation flag goes first so that no pool claims it as revoked.
    const tracked = await Promise.all(fresh.map((message) => this.#statuses.exists(message)));
    await this.backend.deleteValue(...fresh.map((message) => revocationKey(message)));
    const outcomes = await this.backend.submit(
      fresh.map((message, i) => {
        const queued = message.toQueued();
        return tracked[i] ? { ...queued, status: this.#statuses.prepare(message, TaskStatus.SUBMITTED) } : queued;
      }),
    );
    const conflict = fresh.find((_, i) => outcomes[i] === "conflict");
    const submitted = fresh.filter((_, i) => outcomes[i] !== "conflict");
    if (submitted.length > 0) await this.backend.deleteDeadLetters(queue, submitted.map((message) => message.uuid));
    if (conflict !== undefined) {
      throw new MessageAlreadyExistsError(
        `Cannot redrive ${conflict.summary}: a different message with this uuid is queued. Remove it first, or delete the dead letter.`,
      );
    }
    return submitted.length;
  }

  async #setStatusIfTracked(ref: MessageRef, status: TaskStatus): Promise<void> {
    if (await this.#statuses.exists(ref)) await this.#statuses.set(ref, status);
  }
}

function checkRef(queue: string, uuid: string): MessageRef {
  return { queue: validateQueueName(queue), uuid: validateMessageUuid(uuid) };
}

function taskFilter(filter: DeadLetterFilter): (listed: ListedMessage) => boolean {
  if (typeof filter !== "object" || filter === null) {
    throw new ValidationError("A dead-letter filter is an object { taskName? }.");
  }
  if (filter.taskName === undefined) return () => true;
  const taskName = validateTaskName(filter.taskName);
  return (listed) => listed.data.taskName === taskName;
}
