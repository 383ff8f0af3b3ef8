import { TaskStatus, ValidationError, WaitTimeoutError, statusRank, validateQueueName } from "@alsek/core";
import type { Backend, ProgressUpdate, StatusSink, StatusWrite } from "@alsek/core";
import { StatusNotFoundError } from "../errors/index.js";
import { describeMessage } from "../messages/index.js";
import type { MessageLike } from "../messages/index.js";
import { ChannelWatch, deadlineFrom } from "../waiting/index.js";
import { progressFeed, readProgress } from "./progress-feed.js";
import { decodeStatusUpdate, encodeStatusUpdate, isTerminalStatus } from "./status-update.js";
import type { StatusUpdate } from "./status-update.js";

const SEVEN_DAYS_MS = 7 * 24 * 3600_000;

/** Options of {@link StatusTracker}. */
export interface StatusTrackerOptions {
  /**
   * How long a status is kept after its last write, in ms; `null` keeps it forever. Unlike the
   * original, every write sets it, so statuses of callbacks and retried messages expire too.
   * @defaultValue `604_800_000` (7 days)
   */
  ttl?: number | null;
  /**
   * How often `waitFor` and `listen` re-read a status on a backend without cross-process pub/sub,
   * in ms. With pub/sub they wake on each published update instead (and re-read every 5 s only
   * in case a notice was lost).
   * @defaultValue `100`
   */
  pollInterval?: number;
}

/** Options of {@link StatusTracker.waitFor}. */
export interface WaitForStatusOptions {
  /**
   * How long to wait, in ms; `null` waits forever.
   * @defaultValue `5_000`
   */
  timeout?: number | null;
  /**
   * Throw a `WaitTimeoutError` on timeout; when `false`, return the last status seen instead
   * (`TaskStatus.UNKNOWN` when there was none).
   * @defaultValue `true`
   */
  throwOnTimeout?: boolean;
  /** Stops waiting early: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of {@link StatusTracker.listen}. */
export interface ListenOptions {
  /** Stops listening: the iterator throws the signal's reason. Breaking out of the loop also stops it. */
  signal?: AbortSignal;
}

/** Options of {@link StatusTracker.delete}. */
export interface DeleteStatusOptions {
  /**
   * Delete even when the status is not terminal (the message may still be running).
   * @defaultValue `false`
   */
  force?: boolean;
}

const PUBSUB_RECHECK_MS = 5_000;

/**
 * Records where each message is in its life (`TaskStatus`), and lets anyone read, wait for or
 * listen to it. Give it to a task as its `statusTracker` option and the lifecycle writes SUBMITTED
 * (with the submit itself, before any pool can claim the message), RUNNING (each attempt),
 * RETRYING, FAILED and SUCCEEDED. Statuses are keyed values `status:{<queue>}:<uuid>` (the braces
 * keep a status in its queue's Redis Cluster slot); each write is also published on the channel
 * of the same name.
 *
 * Every write is a guarded transition in the backend: a status never moves backwards, whatever
 * the order writes arrive in (see `statusRank` in `@alsek/core` for the order). A message's life
 * restarts only when a submit creates it again: pass `prepare(message, TaskStatus.SUBMITTED)` as
 * the `status` of `Broker.submit` (what `Task.generate()` does), e.g. to re-submit a dead letter.
 */
export class StatusTracker implements StatusSink {
  /** The backend the statuses are stored on. */
  readonly backend: Backend;
  /** Expiry of each status write in ms, or `null` for none. */
  readonly ttl: number | null;
  #pollInterval: number;

  constructor(backend: Backend, options: StatusTrackerOptions = {}) {
    const ttl = options.ttl === undefined ? SEVEN_DAYS_MS : options.ttl;
    if (ttl !== null && !(Number.isFinite(ttl) && ttl > 0)) {
      throw new ValidationError(`Invalid status ttl ${String(ttl)}: give a positive number of ms, or null to keep statuses forever.`);
    }
    const pollInterval = options.pollInterval ?? 100;
    if (!(Number.isFinite(pollInterval) && pollInterval > 0)) {
      throw new ValidationError(`Invalid pollInterval ${String(pollInterval)}: give a positive number of ms.`);
    }
    this.backend = backend;
    this.ttl = ttl;
    this.#pollInterval = pollInterval;
  }

  /**
   * The key of `message`'s status among the backend's keyed values (`status:{<queue>}:<uuid>`).
   * @throws ValidationError when the queue name is invalid (it could not be parsed back).
   */
  keyOf(message: MessageLike): string {
    if (typeof message.uuid !== "string" || message.uuid === "") {
      throw new ValidationError(`Invalid message uuid ${JSON.stringify(message.uuid)}: give the message's uuid string.`);
    }
    return `status:{${validateQueueName(message.queue)}}:${message.uuid}`;
  }

  /** The pub/sub channel on which `message`'s status updates are published (same as its key). */
  channelOf(message: MessageLike): string {
    return this.keyOf(message);
  }

  /**
   * Record `status` for `message`, renew its expiry, and announce it to listeners, unless the
   * stored status is already further on in the message's life (a late write never moves it
   * backwards; `message.retries` tells attempts apart). Returns whether it was written (true as
   * well for a write re-sent after a lost reply, which finds itself stored).
   */
  async set(message: MessageLike, status: TaskStatus, details: unknown = null): Promise<boolean> {
    return this.backend.setStatus(this.prepare(message, status, details));
  }

  /**
   * The write of `status` for `message`, for the backend to apply with a message write (the
   * submit that creates it, a pool's hand-back). Published even without cross-process pub/sub:
   * listeners in this process then wake at once, the others find the write on their next poll.
   */
  prepare(message: MessageLike, status: TaskStatus, details: unknown = null): StatusWrite {
    assertStatus(status, "status");
    const retries = message.retries ?? 0;
    const attempt = Number.isSafeInteger(retries) && retries >= 0 ? retries : 0;
    return {
      key: this.keyOf(message),
      value: encodeStatusUpdate({ status, details, updatedAt: Date.now() }),
      rank: statusRank(status, attempt),
      ttlMs: this.ttl,
      channel: this.channelOf(message),
    };
  }

  /**
   * The current status of `message`.
   * @throws StatusNotFoundError when none is stored (see {@link StatusTracker.exists}).
   */
  async get(message: MessageLike): Promise<StatusUpdate> {
    const update = await this.#read(message);
    if (update === null) {
      throw new StatusNotFoundError(
        `No status found for ${describeMessage(message)}: it was never tracked (no statusTracker on its task, or not submitted), or it expired or was deleted.`,
      );
    }
    return update;
  }

  /** Whether a status is stored for `message`. */
  async exists(message: MessageLike): Promise<boolean> {
    return this.backend.hasValue(this.keyOf(message));
  }

  /**
   * Delete `message`'s status. Returns whether one existed.
   * @throws ValidationError when the status is not terminal and `force` is not set.
   */
  async delete(message: MessageLike, options: DeleteStatusOptions = {}): Promise<boolean> {
    if (options.force !== true) {
      const update = await this.#read(message);
      if (update === null) return false;
      if (!isTerminalStatus(update.status)) {
        throw new ValidationError(
          `Status of ${describeMessage(message)} is ${TaskStatus[update.status]}, not terminal: it may still run. Pass { force: true } to delete it anyway.`,
        );
      }
    }
    return (await this.backend.deleteValue(this.keyOf(message))) > 0;
  }

  /**
   * Wait until `message` has `status` (or one of `status`), and return the status reached.
   * Wakes on published updates; polls modestly on a backend without pub/sub.
   * @throws WaitTimeoutError after `timeout` ms unless `throwOnTimeout` is `false`.
   */
  async waitFor(
    message: MessageLike,
    status: TaskStatus | readonly TaskStatus[],
    options: WaitForStatusOptions = {},
  ): Promise<TaskStatus> {
    const wanted: readonly TaskStatus[] = Array.isArray(status) ? status : [status as TaskStatus];
    if (wanted.length === 0) throw new ValidationError("waitFor needs at least one TaskStatus to wait for.");
    for (const s of wanted) assertStatus(s, "status to wait for");
    const deadline = deadlineFrom(options.timeout === undefined ? 5_000 : options.timeout, "waitFor timeout");
    let last: TaskStatus = TaskStatus.UNKNOWN;
    const watch = await this.#watch(message);
    try {
      for (;;) {
        const update = await this.#read(message);
        if (update !== null) {
          last = update.status;
          if (wanted.includes(update.status)) return update.status;
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        await watch.wait(remaining, options.signal);
        watch.take();
      }
    } finally {
      await watch.close();
    }
    if (options.throwOnTimeout === false) return last;
    throw new WaitTimeoutError(
      `Timed out waiting for ${describeMessage(message)} to reach ${wanted.map((s) => TaskStatus[s]).join(" or ")} (last status: ${TaskStatus[last]}). Raise the timeout, or check that a pool consumes queue '${message.queue}'.`,
    );
  }

  /**
   * Live status updates of `message`: first the current status (when there is one), then each
   * new one, ending after a terminal status (SUCCEEDED or FAILED), also when that status was
   * written before listening began. It subscribes before it reads, so nothing is missed.
   */
  async *listen(message: MessageLike, options: ListenOptions = {}): AsyncGenerator<StatusUpdate, void, undefined> {
    const watch = await this.#watch(message);
    try {
      let last: StatusUpdate | null = null;
      // Yields `update` unless it repeats or predates the last one; returns whether to stop.
      const accept = (update: StatusUpdate | null): "skip" | "yield" | "end" => {
        if (update === null) return "skip";
        const terminal = isTerminalStatus(update.status);
        if (last !== null && !terminal) {
          const repeat = last.status === update.status && last.updatedAt === update.updatedAt;
          // A late notice of an earlier write (the subscription and the first read overlap).
          if (repeat || update.updatedAt < last.updatedAt) return "skip";
        }
        last = update;
        return terminal ? "end" : "yield";
      };
      let first = true;
      for (;;) {
        // With pub/sub the published values are the updates; without, and on the first pass and
        // each re-check, the stored value is.
        const candidates = watch.take().map(decodeStatusUpdate);
        if (first || candidates.length === 0) candidates.push(await this.#read(message));
        first = false;
        for (const update of candidates) {
          const verdict = accept(update);
          if (verdict === "skip" || update === null) continue;
          yield update;
          if (verdict === "end") return;
        }
        await watch.wait(Number.POSITIVE_INFINITY, options.signal);
      }
    } finally {
      await watch.close();
    }
  }

  /**
   * The last progress `message`'s running attempt reported (`message.progress(value)` in a task
   * run by a pool), or `null` when none was. Kept 7 days after its last write, and after the
   * message finished.
   */
  async getProgress(message: MessageLike): Promise<ProgressUpdate | null> {
    this.keyOf(message);
    return readProgress(this.backend, message);
  }

  /**
   * Live progress of `message`: the stored value (when there is one), then each new value as the
   * pool writes it (at most about ten a second), ending once the message's status is terminal,
   * after its last value. Needs the task to record statuses with this tracker to end on its own;
   * otherwise stop it with `signal` or by breaking out of the loop.
   */
  listenProgress(message: MessageLike, options: ListenOptions = {}): AsyncGenerator<ProgressUpdate, void, undefined> {
    this.keyOf(message);
    const watchOptions = {
      recheckInterval: this.backend.supportsPubSub ? PUBSUB_RECHECK_MS : this.#pollInterval,
      pollInterval: this.#pollInterval,
    };
    return progressFeed(
      {
        backend: this.backend,
        watchOptions,
        watchStatus: () => this.#watch(message),
        finished: async () => {
          const update = await this.#read(message);
          return update !== null && isTerminalStatus(update.status);
        },
      },
      message,
      options.signal,
    );
  }

  async #read(message: MessageLike): Promise<StatusUpdate | null> {
    return decodeStatusUpdate(await this.backend.getValue(this.keyOf(message)));
  }

  #watch(message: MessageLike): Promise<ChannelWatch> {
    return ChannelWatch.open(this.backend, this.channelOf(message), {
      recheckInterval: this.backend.supportsPubSub ? PUBSUB_RECHECK_MS : this.#pollInterval,
      pollInterval: this.#pollInterval,
    });
  }
}

function assertStatus(status: unknown, what: string): asserts status is TaskStatus {
  if (typeof status !== "number" || TaskStatus[status] === undefined) {
    throw new ValidationError(`Invalid ${what} ${JSON.stringify(status)}: use a TaskStatus (e.g. TaskStatus.SUCCEEDED).`);
  }
}
