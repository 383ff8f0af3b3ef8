// A fenced write whose reply was lost is re-sent by its client; it must get the answer of its first
// application, not "gone" (the message it removed) or "lost" (the lease it ended). Each applied
// fenced write is remembered by its lease token for a while.

/** How long after its lease would have expired an applied write is remembered (the contract's 60 s). */
export const APPLIED_WRITE_GRACE_MS = 60_000;

/** Sweep expired records every this many new ones: bounds the memory of a long-lived store. */
const SWEEP_EVERY = 1_000;

/** The fenced operations whose re-sends are answered from memory (a fenced remove counts as an ack). */
export type FencedOperation = "ack" | "retry" | "fail" | "release";

interface AppliedWrite {
  operation: FencedOperation;
  expiresAt: number;
}

/** Applied fenced writes of one namespace, by lease token (unique per claim). */
export class MemoryAppliedWrites {
  readonly #byToken = new Map<string, AppliedWrite>();
  #sinceSweep = 0;

  /** Remember that `operation` applied with `token`, until `leaseExpiresAt` plus the grace. */
  record(token: string, operation: FencedOperation, leaseExpiresAt: number, now: number): void {
    this.#byToken.set(token, { operation, expiresAt: Math.max(leaseExpiresAt, now) + APPLIED_WRITE_GRACE_MS });
    if (++this.#sinceSweep >= SWEEP_EVERY) {
      this.#sinceSweep = 0;
      for (const [key, write] of this.#byToken) if (write.expiresAt <= now) this.#byToken.delete(key);
    }
  }

  /** Whether `operation` already applied with `token` (a re-send). */
  applied(token: string, operation: FencedOperation, now: number): boolean {
    const write = this.#byToken.get(token);
    return write !== undefined && write.expiresAt > now && write.operation === operation;
  }

  clear(): void {
    this.#byToken.clear();
  }
}
