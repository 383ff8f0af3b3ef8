import type { ProgressValue } from "@alsek/core";

/** Least time between two progress reports of one message, in ms: at most ten a second. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Limits one running message's progress reports to one per {@link PROGRESS_INTERVAL_MS}, keeping
 * the last value: a value reported inside the interval replaces the pending one and goes out when
 * the interval ends (a trailing report), or at {@link flush} when the task finishes first. It sits
 * next to the task (in its thread or child), so a task calling `progress()` in a tight loop costs
 * neither messages to the pool nor writes to the backend.
 */
export class ProgressThrottle {
  readonly #send: (value: ProgressValue) => void;
  readonly #intervalMs: number;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #pending: { value: ProgressValue } | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(send: (value: ProgressValue) => void, intervalMs = PROGRESS_INTERVAL_MS) {
    this.#send = send;
    this.#intervalMs = intervalMs;
  }

  /** Report `value`: now when the interval since the last report is over, else when it is. */
  push(value: ProgressValue): void {
    if (this.#closed) return;
    const now = performance.now();
    if (this.#timer === null && now - this.#lastSentAt >= this.#intervalMs) {
      this.#emit(value, now);
      return;
    }
    this.#pending = { value };
    if (this.#timer === null) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        const pending = this.#pending;
        this.#pending = null;
        if (pending !== null && !this.#closed) this.#emit(pending.value, performance.now());
      }, this.#intervalMs - (now - this.#lastSentAt));
      // A task that left only this timer behind must not keep its worker alive for it.
      this.#timer.unref();
    }
  }

  /** Send the pending value now (the task finished) and take no more. */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const pending = this.#pending;
    this.#pending = null;
    if (pending !== null && !this.#closed) this.#emit(pending.value, performance.now());
    this.#closed = true;
  }

  #emit(value: ProgressValue, now: number): void {
    this.#lastSentAt = now;
    this.#send(value);
  }
}
