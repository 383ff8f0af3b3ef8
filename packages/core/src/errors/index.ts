import { AlsekError } from "./alsek-error.js";

export { AlsekError };

/** A message with this uuid is already queued with different content. */
export class MessageAlreadyExistsError extends AlsekError {}

/** The message is neither queued nor in the dead-letter queue. */
export class MessageDoesNotExistError extends AlsekError {}

/** The tasks given to a pool are bound to more than one `Broker`. */
export class MultipleBrokersError extends AlsekError {}

/** No tasks were found (in a module, a folder, or for a pool's mechanism). */
export class NoTasksFoundError extends AlsekError {}

/** An option, name or payload is invalid. The message says which and why. */
export class ValidationError extends AlsekError {}

/** A trigger could not be scheduled (for example a trigger task with parameters). */
export class SchedulingError extends AlsekError {}

/** Two different tasks share one name. */
export class TaskNameCollisionError extends AlsekError {}

/** The task was stopped because its pool shut down before it finished. */
export class TerminationError extends AlsekError {}

/** The message was revoked (`task.revoke(message)`); it will not run again. */
export class RevokedError extends AlsekError {}

/** A running task exceeded its timeout and was stopped. */
export class TaskTimeoutError extends AlsekError {}

/** The message's worker died (crash, kill, lost connection) more often than the pool allows. */
export class LeaseExpiredError extends AlsekError {}

/** A message names a task that no pool consuming its queue registers. */
export class UnknownTaskError extends AlsekError {}

/** The worker thread or process running the task exited before reporting an outcome. */
export class WorkerCrashedError extends AlsekError {}

/**
 * A pool's workers (threads, process groups or processes) could not start, so the pool stopped
 * and handed the messages it had claimed back to their queues. The cause is attached.
 */
export class WorkerStartError extends AlsekError {}

/** The storage backend failed or is unreachable. The cause is attached. */
export class BackendError extends AlsekError {}

/**
 * A backend failure that retrying cannot fix: wrong credentials, missing permissions (an ACL that
 * denies a command or the namespace's keys), a TLS certificate this process does not trust, a file
 * that is not a SQLite database. The configuration must change; a pool stops on it and `run()`
 * rejects with it. The driver's error is the `cause`.
 */
export class PermanentBackendError extends BackendError {}

/**
 * Whether `error` is a {@link PermanentBackendError}, also one made by another copy of
 * `@alsek/core` (a backend and a pool may resolve different copies).
 */
export function isPermanentBackendError(error: unknown): error is PermanentBackendError {
  return error instanceof PermanentBackendError || (error instanceof Error && error.name === "PermanentBackendError");
}

/** Waiting for something (a status, a result) took longer than its timeout. */
export class WaitTimeoutError extends AlsekError {}

/** `lock.withLock(fn)` found the lock held by another owner; `fn` did not run. */
export class LockNotAcquiredError extends AlsekError {}

/** Options of {@link SerializationError} and {@link ResultSerializationError}. */
export interface SerializationErrorOptions extends ErrorOptions {
  /** Where in the value the problem is (`args[0]`, `kwargs.when`, `result.items[3].id`). */
  path?: string | null;
}

/**
 * The backend's serializer cannot store a value unchanged (for example a `Date` under the default
 * JSON serializer). `path` says where in the value; nothing was written.
 */
export class SerializationError extends ValidationError {
  /** Where in the encoded value the problem is (`""` for the value itself), or `null` when unknown. */
  readonly path: string | null;

  constructor(message: string, options: SerializationErrorOptions = {}) {
    super(message, options);
    this.path = options.path ?? null;
  }
}

/**
 * A task returned a result (or built a callback message from it) that the backend's serializer
 * cannot store: the attempt failed with this error and is retried or dead-lettered like any
 * task error.
 */
export class ResultSerializationError extends AlsekError {
  /** Where in the stored value the problem is (`result.items[3].id`), or `null` when unknown. */
  readonly path: string | null;

  constructor(message: string, options: SerializationErrorOptions = {}) {
    super(message, options);
    this.path = options.path ?? null;
  }
}

/** What a {@link MessageDecodeError} is about. */
export interface MessageDecodeErrorOptions extends ErrorOptions {
  queue: string;
  uuid: string;
  /** The offending field, or `null` when the payload did not parse into an object at all. */
  field: string | null;
}

/**
 * A stored message could not be read back: its payload does not parse, or it parses to something
 * that is not a well-formed message (a field of the wrong type or out of range, a field missing).
 * A claim dead-letters such a message on its own, keeping the raw payload in the dead letter's
 * `metadata.rawPayload`; the rest of the claim goes on.
 */
export class MessageDecodeError extends AlsekError {
  /** The message's queue. */
  readonly queue: string;
  /** The message's uuid. */
  readonly uuid: string;
  /** The offending field (`"args"`, `"callbackMessageData.retries"`), or `null` when the payload did not parse into an object at all. */
  readonly field: string | null;

  constructor(message: string, options?: MessageDecodeErrorOptions) {
    super(message, options);
    this.queue = options?.queue ?? "";
    this.uuid = options?.uuid ?? "";
    this.field = options?.field ?? null;
  }

  /** The error for message `uuid` of `queue`, saying what is wrong (`problem`) and what to do. */
  static describe(queue: string, uuid: string, field: string | null, problem: string, cause?: unknown): MessageDecodeError {
    return new MessageDecodeError(
      `Message ${uuid} in queue '${queue}' cannot be decoded: ${problem}. A claim dead-letters it on its own, ` +
        "keeping its raw payload in metadata.rawPayload (dropped when the DLQ is off); fix the producer that stored it.",
      { queue, uuid, field, ...(cause === undefined ? {} : { cause }) },
    );
  }
}
