import type { AckOptions, QueuedMessage, ResultWrite, WriteOutcome } from "../backend/types.js";
import type { Broker } from "../broker/broker.js";
import { BackendError, LeaseExpiredError, UnknownTaskError, ValidationError } from "../errors/index.js";
import { messageLogFields } from "../logging/log-fields.js";
import type { LogSink } from "../logging/log-sink.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { Message } from "../messages/message.js";
import { TaskStatus } from "../status/task-status.js";
import { Task } from "../tasks/task.js";
import { exceptionDetailsOf } from "./exception-details.js";
import type { SettleDisposition, TaskOutcome } from "./task-outcome.js";
import { requireLogSink } from "../validation/log-sink-rule.js";
import { unstorableResult } from "./unstorable-result.js";

const LOGGER_NAME = "alsek.lifecycle";
// One lifecycle logger per broker (its `logger` option), for settlers without their own.
const brokerLogs = new WeakMap<Broker, Logger>();

function lifecycleLogOf(broker: Broker): Logger {
  let log = brokerLogs.get(broker);
  if (log === undefined) {
    log = createLogger(LOGGER_NAME, () => broker.logger);
    brokerLogs.set(broker, log);
  }
  return log;
}

/** Options of {@link MessageSettler}. */
export interface MessageSettlerOptions {
  /**
   * A message whose leases expired more often than this (its worker keeps dying) is failed with
   * `LeaseExpiredError` instead of being run again.
   * @defaultValue 3
   */
  maxExpiredLeases?: number;
  /**
   * Where settlement logs go (pino's shape). A pool passes its own.
   * @defaultValue `null`: the `logger` of the task's broker, else the process-wide logger
   */
  logger?: LogSink | null;
}

/** Sends of a fenced ack or fail whose call failed in transit (the backend answers a re-send as the first). */
const FENCED_WRITE_ATTEMPTS = 3;
const FENCED_WRITE_BACKOFF_MS = 250;
/** The options of a bare ack (no result, no callback): one shared object instead of one per message. */
const NO_ACK_WRITES: AckOptions = Object.freeze({});

/**
 * Applies an attempt's outcome where the lease is held (the pool's main process): ack with
 * result and callback, retry with backoff, or fail to the DLQ, each before its status, then the
 * matching hook. Revoked messages go to `onRevocation` and are never retried. Hooks' own errors
 * are logged, never thrown.
 */
export class MessageSettler {
  /** See {@link MessageSettlerOptions.maxExpiredLeases}. */
  readonly maxExpiredLeases: number;
  /** Logs to the `logger` option, or `null` (then the task's broker decides). */
  readonly #log: Logger | null;

  constructor(options: MessageSettlerOptions = {}) {
    const max = options.maxExpiredLeases ?? 3;
    if (!Number.isInteger(max) || max < 0) {
      throw new ValidationError(`MessageSettler: \`maxExpiredLeases\` must be an integer ≥ 0, got ${String(max)}.`);
    }
    this.maxExpiredLeases = max;
    const sink = requireLogSink("MessageSettler", options.logger);
    this.#log = sink === null ? null : createLogger(LOGGER_NAME, sink);
  }

  /**
   * Sends a fenced write again after its first send failed in transit (a connection dropped for
   * longer than the client's own re-sends): fenced writes are idempotent under re-send, so the
   * answer is the first application's, and the status and hooks that follow run once. The
   * operator path (no lease) is not idempotent and is never sent again: its error is thrown.
   * Callers make the first send themselves, without a closure (the hot path of a busy pool).
   */
  async #resendFenced(
    task: Task,
    message: Message,
    firstError: unknown,
    write: () => Promise<WriteOutcome>,
  ): Promise<WriteOutcome> {
    let error = firstError;
    for (let attempt = 1; ; attempt += 1) {
      if (!(error instanceof BackendError) || message.lease === null || attempt >= FENCED_WRITE_ATTEMPTS) throw error;
      this.#logFor(task.broker).warn("Settling write failed in transit; sending it again", {
        ...messageLogFields(message),
        attempt,
        error,
      });
      await new Promise((resolve) => setTimeout(resolve, FENCED_WRITE_BACKOFF_MS * attempt));
      try {
        return await write();
      } catch (next) {
        error = next;
      }
    }
  }

  /** Run a hook, logging (not throwing) its error; the logger is looked up only then. */
  async #guarded<T>(task: Task, hook: string, message: Message, call: () => T | Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      this.#logFor(task.broker).error(`Hook ${hook} failed`, { ...messageLogFields(message), error });
      return undefined;
    }
  }

  #logFor(broker: Broker): Logger {
    return this.#log ?? lifecycleLogOf(broker);
  }

  /** Whether the message's worker died too often: fail it with {@link failExpired} instead of running it. */
  exceededLeaseLimit(message: Message): boolean {
    return message.expiredLeases > this.maxExpiredLeases;
  }

  /** Record status RUNNING (one per attempt). */
  async markRunning(task: Task, message: Message): Promise<void> {
    await task.updateStatus(message, TaskStatus.RUNNING);
  }

  /** Settle one attempt's outcome. Never rejects on hook errors; backend errors propagate. */
  async settle(task: Task, message: Message, outcome: TaskOutcome): Promise<SettleDisposition> {
    return outcome.ok ? this.#succeed(task, message, outcome.result) : this.#fail(task, message, outcome.error);
  }

  async #succeed(task: Task, message: Message, result: unknown): Promise<SettleDisposition> {
    message.exceptionDetails = null;
    if (message.callbackMessageData || task.resultStore) return this.#succeedWithWrites(task, message, result);
    // The common case in a busy pool (no callback, no result to store): one async frame, no
    // closure and no options object per message.
    let outcome: WriteOutcome;
    try {
      // Exactly once per completed attempt: a re-sent ack answers "ok" only to the lease that applied it.
      outcome = await task.broker.ack(message, NO_ACK_WRITES);
    } catch (error) {
      outcome = await this.#resendFenced(task, message, error, () => task.broker.ack(message, NO_ACK_WRITES));
    }
    return outcome === "ok" ? this.#succeeded(task, message, result) : this.#notApplied(task, message, outcome, null, result);
  }

  /** {@link #succeed} with a callback to submit or a result to store in the same ack. */
  async #succeedWithWrites(task: Task, message: Message, result: unknown): Promise<SettleDisposition> {
    let callback: QueuedMessage | undefined;
    if (message.callbackMessageData && (await this.#guarded(task, "doCallback", message, () => task.doCallback(message, result)))) {
      const next = new Message(message.callbackMessageData);
      next.previousResult = result;
      next.progenitorUuid = message.progenitorUuid ?? message.uuid;
      next.previousMessageUuid = message.uuid;
      callback = next.toQueued();
    }
    let resultWrite: ResultWrite | undefined;
    if (task.resultStore) resultWrite = task.resultStore.prepare(message, result);
    const ackOptions = {
      ...(resultWrite ? { result: resultWrite } : {}),
      ...(callback ? { callback } : {}),
    };
    let outcome: WriteOutcome;
    try {
      try {
        outcome = await task.broker.ack(message, ackOptions);
      } catch (error) {
        outcome = await this.#resendFenced(task, message, error, () => task.broker.ack(message, ackOptions));
      }
    } catch (error) {
      // A result the serializer refuses would fail every ack the same way: fail the attempt now
      // instead of leaving the message to run again each time its lease expires.
      const unstorable = unstorableResult(message, task.broker.backend.serializer, resultWrite, callback);
      if (unstorable === null) throw error;
      return this.#fail(task, message, unstorable);
    }
    return outcome === "ok" ? this.#succeeded(task, message, result) : this.#notApplied(task, message, outcome, null, result);
  }

  /**
   * After the ack applied: status SUCCEEDED and `onSuccess`. A task that records no status and
   * has no onSuccess hook (the common case in a busy pool) skips their awaits: no promise or turn.
   */
  #succeeded(task: Task, message: Message, result: unknown): SettleDisposition | Promise<SettleDisposition> {
    const writesStatus = Boolean(task.statusTracker) || task.updateStatus !== Task.prototype.updateStatus;
    if (!writesStatus && task.onSuccess === Task.prototype.onSuccess) return "succeeded";
    return this.#afterSuccess(task, message, result, writesStatus);
  }

  async #afterSuccess(task: Task, message: Message, result: unknown, writesStatus: boolean): Promise<SettleDisposition> {
    if (writesStatus) await task.updateStatus(message, TaskStatus.SUCCEEDED);
    if (task.onSuccess !== Task.prototype.onSuccess) {
      await this.#guarded(task, "onSuccess", message, () => task.onSuccess(message, result));
    }
    return "succeeded";
  }

  async #fail(task: Task, message: Message, error: unknown): Promise<SettleDisposition> {
    if (await task.isRevoked(message)) return this.#revoked(task, message, error, null);
    message.exceptionDetails = exceptionDetailsOf(error);
    const retry = await this.#guarded(task, "doRetry", message, () => task.doRetry(message, error));
    if (retry) {
      await this.#guarded(task, "onRetry", message, () => task.onRetry(message, error));
      const outcome = await task.broker.retry(message);
      if (outcome !== "ok") return this.#notApplied(task, message, outcome, error, null);
      await task.updateStatus(message, TaskStatus.RETRYING);
      this.#logFor(task.broker).info("Attempt failed; retrying", { ...messageLogFields(message), retries: message.retries });
      return "retried";
    }
    await this.#guarded(task, "onFailure", message, () => task.onFailure(message, error));
    let outcome: WriteOutcome;
    try {
      outcome = await task.broker.fail(message);
    } catch (sendError) {
      outcome = await this.#resendFenced(task, message, sendError, () => task.broker.fail(message));
    }
    if (outcome !== "ok") return this.#notApplied(task, message, outcome, error, null);
    await task.updateStatus(message, TaskStatus.FAILED);
    this.#logFor(task.broker).warn("Retries exhausted; message moved to the DLQ", {
      ...messageLogFields(message),
      error: message.exceptionDetails?.name,
    });
    return "failed";
  }

  async #notApplied(
    task: Task,
    message: Message,
    outcome: Exclude<WriteOutcome, "ok">,
    error: unknown,
    result: unknown,
  ): Promise<SettleDisposition> {
    if (outcome === "lost") {
      this.#logFor(task.broker).warn("Lease lost before settling; another consumer holds the message", messageLogFields(message));
      return "lost";
    }
    if (await task.isRevoked(message)) return this.#revoked(task, message, error, result);
    this.#logFor(task.broker).warn("Message was removed before it could be settled", messageLogFields(message));
    return "gone";
  }

  // `revoke()` already failed the message to the DLQ and wrote FAILED; writing it again is a no-op
  // for the guarded status (terminal stays), and covers a revoke whose own status write failed.
  async #revoked(task: Task, message: Message, error: unknown, result: unknown): Promise<SettleDisposition> {
    await task.updateStatus(message, TaskStatus.FAILED);
    await this.#guarded(task, "onRevocation", message, () => task.onRevocation(message, error, result));
    return "revoked";
  }

  /**
   * Fail a message whose task no pool here registers, to the DLQ with an `UnknownTaskError`.
   */
  async rejectUnknown(broker: Broker, message: Message): Promise<WriteOutcome> {
    const error = new UnknownTaskError(
      `Unknown task '${message.taskName}' in queue '${message.queue}': no pool here registers it; message moved to the DLQ`,
    );
    message.exceptionDetails = { name: error.name, text: error.message, traceback: null };
    this.#logFor(broker).error(error.message, messageLogFields(message));
    return broker.fail(message);
  }

  /**
   * Fail a message whose leases expired more than `maxExpiredLeases` times, with a
   * `LeaseExpiredError`, through `onFailure` and status FAILED.
   */
  async failExpired(task: Task, message: Message): Promise<SettleDisposition> {
    const error = new LeaseExpiredError(
      `${message.summary} was claimed ${message.expiredLeases + 1} times and its worker died (lease expired) ` +
        `${message.expiredLeases} times, more than maxExpiredLeases = ${this.maxExpiredLeases}; moved to the DLQ ` +
        "instead of running it again.",
    );
    message.exceptionDetails = { name: error.name, text: error.message, traceback: null };
    await this.#guarded(task, "onFailure", message, () => task.onFailure(message, error));
    const outcome = await task.broker.fail(message);
    if (outcome !== "ok") return this.#notApplied(task, message, outcome, error, null);
    await task.updateStatus(message, TaskStatus.FAILED);
    return "failed";
  }
}
