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
