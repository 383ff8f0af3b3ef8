/** A signal that never aborts: what {@link Message.signal} is outside a run. */
const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/**
 * The abort switch of one attempt of a message: the worker that runs the attempt holds it and
 * aborts it when the pool stops the attempt (timeout, revocation, lost lease, graceful stop),
 * before any hard stop. The task reads it as `message.signal` (with `passMessage`). The
 * `AbortController` behind it is created only when the task reads the signal, so an attempt that
 * never looks costs one small object.
 */
export class AttemptAbort {
  #controller: AbortController | null = null;
  #aborted = false;
  #reason: unknown = undefined;

  /** The attempt's signal; already aborted (with the reason) when the abort came first. */
  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Whether the attempt was aborted. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Abort the attempt with `reason` (the error the attempt is stopped with); later calls do nothing. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

/** The signal of `abort`, or one that never aborts when there is none. */
export function signalOf(abort: AttemptAbort | null): AbortSignal {
  return abort === null ? NEVER_ABORTED : abort.signal;
}
