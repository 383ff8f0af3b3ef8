import type { Backend } from "../backend/backend.js";
import type { RateLimit } from "../backend/flow-control.js";
import type { AckOptions, Lease, MessageRef, StatusWrite, SubmitOutcome, WriteOutcome } from "../backend/types.js";
import { MessageAlreadyExistsError, MessageDoesNotExistError, ValidationError } from "../errors/index.js";
import { messageLogFields } from "../logging/log-fields.js";
import type { LogSink } from "../logging/log-sink.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { Message } from "../messages/message.js";
import { requireLogSink } from "../validation/log-sink-rule.js";

/** Default time a dead-lettered message is kept: 7 days. */
export const DEFAULT_DLQ_TTL = 7 * 24 * 3_600_000;

/** Options of {@link Broker}. */
export interface BrokerOptions {
  /**
   * How long failed messages stay in the dead-letter queue, in ms. `null` or `0` disables the DLQ.
   * @defaultValue 604_800_000 (7 days)
   */
  dlqTtl?: number | null;
  /**
   * Where the logs of this broker and of its tasks go (pino's shape: `info(fields, message)`),
   * and of pools running its tasks unless they have their own.
   * @defaultValue `null`: the process-wide logger (`setLogger`; JSON lines on stderr by default)
   */
  logger?: LogSink | null;
}

/** Which limit a rate-limit call of {@link Broker} reads or writes. */
export interface RateLimitTarget {
  /** A task of the queue: the limit applies to that task's messages only. Omitted: the whole queue. */
  task?: string;
}

function refOf(message: Message): MessageRef {
  return { queue: message.queue, uuid: message.uuid };
}

/**
 * The message operations of one backend. Every method uses `message.lease` when it is set (the
 * write is fenced: it applies only while that claim still holds) and the bare `(queue, uuid)`
 * otherwise (the operator path, which applies whatever the state).
 */
export class Broker {
  /** Where messages are stored. */
  readonly backend: Backend;
  /** Dead-letter TTL in ms, or `null` when the DLQ is disabled. */
  readonly dlqTtl: number | null;
  /** The `logger` option, or `null` (the process-wide logger). */
  readonly logger: LogSink | null;
  readonly #log: Logger;

  constructor(backend: Backend, options: BrokerOptions = {}) {
    const dlqTtl = options.dlqTtl === undefined ? DEFAULT_DLQ_TTL : options.dlqTtl;
    if (dlqTtl !== null && (typeof dlqTtl !== "number" || !Number.isFinite(dlqTtl) || dlqTtl < 0)) {
      throw new ValidationError(`Broker: \`dlqTtl\` must be a number of ms ≥ 0 or null, got ${String(dlqTtl)}.`);
    }
    this.backend = backend;
    this.dlqTtl = dlqTtl === 0 ? null : dlqTtl;
    this.logger = requireLogSink("Broker", options.logger);
    this.#log = createLogger("alsek.broker", this.logger);
  }

  #target(message: Message): Lease | MessageRef {
    return message.lease ?? refOf(message);
  }

  async #releaseLinkedLock(message: Message): Promise<void> {
    const link = message.linkedLock;
    if (!link) return;
    message.linkedLock = null;
    try {
      if (!(await this.backend.releaseLock(link.name, link.ownerId))) {
        this.#log.warn("Linked lock was not held by its owner any more", { ...messageLogFields(message), lock: link.name });
      }
    } catch (error) {
      message.linkedLock = link;
      this.#log.error("Could not release linked lock", { ...messageLogFields(message), lock: link.name, error });
    }
  }

  /** Whether the message is queued (ready, delayed or running). */
  async exists(message: Message): Promise<boolean> {
    return (await this.backend.getMessage(refOf(message))) !== null;
  }

  /**
   * Enqueue the message. A replayed submit of identical data is accepted (`"duplicate"`).
   * With `options.status` (a status sink's `prepare(message, TaskStatus.SUBMITTED)`), the status
   * is written in the same atomic step when the message is created, replacing any stored one:
   * this is also how an operator restarts a message's life (re-submitting a dead letter).
   * @throws MessageAlreadyExistsError when another message with this uuid is queued.
   */
  async submit(message: Message, options: { status?: StatusWrite } = {}): Promise<SubmitOutcome> {
    const queued = message.toQueued();
    if (options.status !== undefined) queued.status = options.status;
    const [outcome] = await this.backend.submit([queued]);
    if (outcome === "conflict") {
      throw new MessageAlreadyExistsError(
        `${message.summary} already exists with different content: submit message.duplicate() ` +
          "to enqueue a copy under a new uuid.",
      );
    }
    return outcome ?? "created";
  }

  /**
   * Enqueue many messages in one backend call. Returns one outcome per message; conflicts are
   * reported as `"conflict"`, not thrown, so the rest of the batch is not lost. `statuses[i]`, when
   * given, is written with message `i` as in {@link submit}.
   */
  async submitMany(messages: readonly Message[], statuses?: readonly (StatusWrite | undefined)[]): Promise<SubmitOutcome[]> {
    if (messages.length === 0) return [];
    return this.backend.submit(
      messages.map((message, i) => {
        const queued = message.toQueued();
        const status = statuses?.[i];
        if (status !== undefined) queued.status = status;
        return queued;
      }),
    );
  }

  /**
   * Schedule another attempt: `retries + 1`, ready again after the backoff. Mutates the message.
   * Releases a linked lock first, so the stored copy is unlinked.
   */
  async retry(message: Message): Promise<WriteOutcome> {
    const link = message.linkedLock;
    message.linkedLock = null;
    message.incrementRetries();
    const outcome = await this.backend.retry(this.#target(message), message.shallowData(), message.readyAt);
    message.linkedLock = link;
    if (outcome === "ok") {
      await this.#releaseLinkedLock(message);
      this.#log.debug("Retrying message", { ...messageLogFields(message), inMs: message.ttr });
    }
    return outcome;
  }

  /** Remove the message without a trace. */
  async remove(message: Message): Promise<WriteOutcome> {
    const outcome = await this.backend.remove(this.#target(message));
    if (outcome !== "lost") await this.#releaseLinkedLock(message);
    return outcome;
  }

  /** Remove the message after success, storing its result and enqueueing its callback atomically. */
  ack(message: Message, options?: AckOptions): Promise<WriteOutcome> {
    // Without a linked lock (the common case) the backend's promise is the answer: no async frame.
    if (message.linkedLock) return this.#ackThenRelease(message, options);
    try {
      return this.backend.ack(this.#target(message), options);
    } catch (error) {
      // A backend that throws synchronously still rejects, as an async method would.
      return Promise.reject(error);
    }
  }

  async #ackThenRelease(message: Message, options?: AckOptions): Promise<WriteOutcome> {
    const outcome = await this.backend.ack(this.#target(message), options);
    if (outcome !== "lost") await this.#releaseLinkedLock(message);
    return outcome;
  }

  /** Remove the message and keep its data in the dead-letter queue for {@link dlqTtl}. */
  async fail(message: Message): Promise<WriteOutcome> {
    const outcome = await this.backend.fail(this.#target(message), message.shallowData(), this.dlqTtl);
    if (outcome !== "lost") await this.#releaseLinkedLock(message);
    return outcome;
  }

  /** Whether the message is in the dead-letter queue. */
  async inDlq(message: Message): Promise<boolean> {
    return (await this.backend.getDeadLetter(refOf(message))) !== null;
  }

  /**
   * A fresh copy of the message as stored: from the queue, else from the DLQ. The in-memory
   * lease is carried over when the message is still queued.
   * @throws MessageDoesNotExistError when it is in neither.
   */
  async syncFromBackend(message: Message): Promise<Message> {
    const ref = refOf(message);
    const queued = await this.backend.getMessage(ref);
    if (queued) {
      const fresh = new Message(queued);
      fresh.lease = message.lease;
      fresh.expiredLeases = message.expiredLeases;
      return fresh;
    }
    const dead = await this.backend.getDeadLetter(ref);
    if (dead) return new Message(dead);
    throw new MessageDoesNotExistError(
      `${message.summary} is neither queued nor in the dead-letter queue (acked, removed or expired).`,
    );
  }

  // ---- flow control ----------------------------------------------------------------------------

  /**
   * Pause `queue` for every pool on every host: claims skip it from now on; messages already
   * running finish and settle; submits still land and wait. Idempotent.
   */
  async pauseQueue(queue: string): Promise<void> {
    await this.backend.setQueuePaused(queue, true);
  }

  /** Resume a paused `queue`: idle pools are woken and claim its backlog at once. Idempotent. */
  async resumeQueue(queue: string): Promise<void> {
    await this.backend.setQueuePaused(queue, false);
  }

  /** Whether `queue` is paused. */
  async isPaused(queue: string): Promise<boolean> {
    return (await this.backend.getQueueControl(queue)).paused;
  }

  /**
   * Limit how many messages of `queue` (or, with `target.task`, of one task in it) start per
   * `limit.durationMs`, across every pool on every host. The limit is stored in the backend and
   * counted by the claim itself (a sliding window of claim times). Replaces an earlier limit.
   * @throws ValidationError for a bad queue or task name or a limit out of range.
   */
  async setRateLimit(queue: string, limit: RateLimit, target: RateLimitTarget = {}): Promise<void> {
    await this.backend.setRateLimit(queue, limit, target.task);
  }

  /** Remove the rate limit of `queue` (or of `target.task` in it). Idempotent. */
  async clearRateLimit(queue: string, target: RateLimitTarget = {}): Promise<void> {
    await this.backend.setRateLimit(queue, null, target.task);
  }

  /** The rate limit of `queue` (or of `target.task` in it), or `null` when it has none. */
  async getRateLimit(queue: string, target: RateLimitTarget = {}): Promise<RateLimit | null> {
    const control = await this.backend.getQueueControl(queue);
    if (target.task === undefined) return control.rateLimit;
    return control.taskRateLimits[target.task] ?? null;
  }
}
