import type { QueueWatcher, RejectedMessage } from "../backend/types.js";
import type { LogSink } from "../logging/log-sink.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { requireLogSink } from "../validation/log-sink-rule.js";
import { validateSkipTasks } from "../validation/backend-argument-rules.js";
import { abortableSleep } from "../timing/abortable-sleep.js";
import { validateQueueName } from "../validation/name-rules.js";
import type { Broker } from "../broker/broker.js";
import { ValidationError } from "../errors/index.js";
import { Message } from "../messages/message.js";

/** Options of {@link Consumer}. */
export interface ConsumerOptions {
  /**
   * Queues in priority order (a queue is drained before the next). Omitted: every queue of the
   * backend, alphabetically, refreshed when the consumer runs out of work.
   */
  queues?: readonly string[];
  /**
   * Lease length in ms: a claimed message returns to its queue when its lease is not renewed
   * (see `LeaseRenewer`) or settled within this time.
   * @defaultValue 30_000
   */
  leaseMs?: number;
  /**
   * Longest wait for new work in `waitForWork()`, in ms (new queues are also discovered at this
   * pace when `queues` is omitted).
   * @defaultValue 5_000
   */
  maxIdleWaitMs?: number;
  /**
   * Called for each message a claim could not decode (corrupt or malformed stored data). The
   * backend already dead-lettered it; the consumer has logged it. Pools record status FAILED and
   * emit `failed` here.
   * @defaultValue none
   */
  onRejected?: (rejected: RejectedMessage) => void;
  /**
   * Task names whose messages the consumer leaves in their queues for another consumer (sent as
   * `ClaimRequest.skipTasks` with every claim): a pool passes the tasks of the other mechanism
   * that share its queues. At most 1 000 (`MAX_SKIP_TASKS`), each a valid task name.
   * @defaultValue `[]`
   */
  skipTasks?: readonly string[];
  /**
   * Where the consumer's logs go (pino's shape). A pool passes its own.
   * @defaultValue `null`: the broker's `logger`, else the process-wide logger
   */
  logger?: LogSink | null;
}


/** Options of {@link Consumer.stream}. */
export interface ConsumerStreamOptions {
  /** Ends the stream. */
  signal?: AbortSignal;
}

function requirePositive(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ValidationError(`Consumer: \`${option}\` must be an integer number of ms ≥ 1, got ${String(value)}.`);
  }
  return value;
}

/**
 * Claims messages from a broker's backend, each under a lease (`message.lease`). Claims go by
 * queue order, then priority, then arrival; waiting for work uses the backend's watcher (no
 * polling loop; no wait after a claim that took all it asked for).
 */
export class Consumer {
  /** The broker whose backend is consumed. */
  readonly broker: Broker;
  /** Lease length in ms. */
  readonly leaseMs: number;
  /** Longest idle wait in ms. */
  readonly maxIdleWaitMs: number;

  readonly #fixedQueues: string[] | null;
  readonly #onRejected: ((rejected: RejectedMessage) => void) | null;
  /** Spread into every claim request: `{ skipTasks }`, or nothing when there are none. */
  readonly #skip: { skipTasks?: readonly string[] };
  #queues: string[] | null = null;
  #watcher: QueueWatcher | null = null;
  #versionBeforeClaim = 0;
  #lastClaimed = 0;
  /** Whether the last claim took all it asked for (so more may be ready right away). */
  #lastClaimFull = false;
  #nextReadyInMs: number | null = null;
  #closed = false;
  readonly #closing = new AbortController();
  /** The last caller's signal of `waitForWork`, and it combined with {@link #closing}. */
  #combined: { source: AbortSignal; either: AbortSignal } | null = null;
  readonly #log: Logger;

  constructor(broker: Broker, options: ConsumerOptions = {}) {
    this.broker = broker;
    this.leaseMs = requirePositive("leaseMs", options.leaseMs ?? 30_000);
    this.maxIdleWaitMs = requirePositive("maxIdleWaitMs", options.maxIdleWaitMs ?? 5_000);
    this.#onRejected = options.onRejected ?? null;
    const skip = validateSkipTasks(options.skipTasks);
    this.#skip = skip === null ? {} : { skipTasks: [...skip] };
    const sink = requireLogSink("Consumer", options.logger);
    this.#log = createLogger("alsek.consumer", () => sink ?? this.broker.logger);
    if (options.queues) {
      const queues = options.queues.map((queue) => validateQueueName(queue));
      if (new Set(queues).size !== queues.length) {
        throw new ValidationError(`Consumer: duplicate queue names in ${JSON.stringify(queues)}.`);
      }
      this.#fixedQueues = queues;
    } else {
      this.#fixedQueues = null;
    }
  }

  /** The queues consumed, in order (discovered ones once the first claim ran). */
  get queues(): readonly string[] {
    return this.#fixedQueues ?? this.#queues ?? [];
  }

  async #currentQueues(): Promise<string[]> {
    if (this.#fixedQueues) return this.#fixedQueues;
    // Rediscover only after an idle pass, so a busy consumer never pays for listQueues().
    if (this.#queues === null || this.#lastClaimed === 0) {
      const found = [...(await this.broker.backend.listQueues())].sort();
      if (this.#queues === null || found.join("\0") !== this.#queues.join("\0")) {
        await this.#watcher?.close();
        this.#watcher = null;
        this.#queues = found;
      }
    }
    return this.#queues;
  }

  #watch(queues: string[]): QueueWatcher | null {
    if (!this.#watcher && queues.length > 0) this.#watcher = this.broker.backend.watch(queues);
    return this.#watcher;
  }

  /**
   * Claim up to `limit` messages under new leases (`message.lease` and `message.expiredLeases`
   * set). Returns fewer, or none, when no more are ready.
   */
  async claim(limit: number): Promise<Message[]> {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new ValidationError(`Consumer.claim(): \`limit\` must be an integer ≥ 1, got ${String(limit)}.`);
    }
    if (this.#closed) return [];
    // Fixed queues: no await, so the claim leaves in the same turn as the slot that freed.
    const queues = this.#fixedQueues ?? (await this.#currentQueues());
    const watcher = this.#watch(queues);
    // Read before claiming: work arriving during the claim bumps the version and wakes us.
    this.#versionBeforeClaim = watcher?.version ?? 0;
    if (queues.length === 0) {
      this.#lastClaimed = 0;
      this.#lastClaimFull = false;
      this.#nextReadyInMs = null;
      return [];
    }
    const result = await this.broker.backend.claim({
      queues,
      limit,
      leaseMs: this.leaseMs,
      deadLetterTtlMs: this.broker.dlqTtl,
      ...this.#skip,
    });
    const rejected = result.rejected ?? [];
    if (rejected.length > 0) this.#reportRejected(rejected);
    // Rejected messages took slots of this claim: a claim they filled may leave more ready work.
    const taken = result.messages.length + rejected.length;
    this.#lastClaimed = taken;
    this.#lastClaimFull = taken >= limit;
    this.#nextReadyInMs = result.nextReadyInMs;
    return result.messages.map((claimed) => {
      const message = new Message(claimed.data);
      message.lease = claimed.lease;
      message.expiredLeases = claimed.expiredLeases;
      return message;
    });
  }

  #reportRejected(rejected: readonly RejectedMessage[]): void {
    for (const entry of rejected) {
      this.#log.error(entry.error.message, {
        queue: entry.queue,
        ...(entry.deadLetter.taskName ? { task: entry.deadLetter.taskName } : {}),
        uuid: entry.uuid,
        field: entry.error.field,
      });
      if (this.#onRejected === null) continue;
      try {
        this.#onRejected(entry);
      } catch (error) {
        this.#log.error("onRejected failed", { queue: entry.queue, uuid: entry.uuid, error });
      }
    }
  }

  /**
   * Wait until work may be claimable: returns at once after a claim that took all it asked for
   * (more may be ready). After a claim that found fewer, none were left: it waits for the watcher
   * (at once if work arrived since that claim began), for the next delayed message or expiring
   * lease, or for `maxIdleWaitMs`, whichever comes first (or until `signal` aborts or the consumer
   * closes). A pool at a trickle of work thus claims once per wake-up, not once more for nothing.
   */
  async waitForWork(signal?: AbortSignal): Promise<void> {
    if (this.#closed || signal?.aborted || this.#lastClaimFull) return;
    const timeoutMs = Math.max(0, Math.min(this.#nextReadyInMs ?? this.maxIdleWaitMs, this.maxIdleWaitMs));
    const abort = signal ? this.#closingOr(signal) : this.#closing.signal;
    const watcher = this.#watcher;
    if (!watcher) {
      await abortableSleep(timeoutMs, abort);
      return;
    }
    await watcher.waitForChange(this.#versionBeforeClaim, timeoutMs, abort);
  }

  /**
   * One signal that aborts with `signal` or when the consumer closes, made once per caller's
   * signal: a pool passes the same one to every wait, and Node 20's `AbortSignal.any` costs
   * ~20 µs a call and keeps what it made alive as long as its sources live.
   */
  #closingOr(signal: AbortSignal): AbortSignal {
    if (this.#combined?.source !== signal) {
      this.#combined = { source: signal, either: AbortSignal.any([signal, this.#closing.signal]) };
    }
    return this.#combined.either;
  }

  /**
   * Messages one at a time, each claimed under its own lease, until `signal` aborts or the
   * consumer closes. The caller settles each (ack, retry, fail or release) before its lease ends.
   */
  async *stream(options: ConsumerStreamOptions = {}): AsyncGenerator<Message, void, undefined> {
    const { signal } = options;
    while (!this.#closed && !signal?.aborted) {
      const [message] = await this.claim(1);
      if (message) {
        yield message;
      } else {
        await this.waitForWork(signal);
      }
    }
  }

  /** Stop waiting and claiming; closes the watcher. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    await this.#watcher?.close();
    this.#watcher = null;
  }
}
