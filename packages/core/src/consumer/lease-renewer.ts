import type { Backend } from "../backend/backend.js";
import { ChurnSet } from "../collections/churn-set.js";
import type { Lease, LeaseState } from "../backend/types.js";
import { ValidationError } from "../errors/index.js";
import { messageLogFields } from "../logging/log-fields.js";
import type { LogSink } from "../logging/log-sink.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { requireLogSink } from "../validation/log-sink-rule.js";
import type { Message } from "../messages/message.js";


/** Options of {@link LeaseRenewer}. */
export interface LeaseRenewerOptions {
  /** New lease length in ms at each renewal (the consumer's `leaseMs`). */
  leaseMs: number;
  /**
   * Milliseconds between renewals; keep it well below `leaseMs`.
   * @defaultValue 1_000
   */
  intervalMs?: number;
  /**
   * Called once for a message whose lease was `"lost"` (another consumer holds it) or is
   * `"gone"` (revoked or removed); the message is no longer renewed.
   */
  onLost?: (message: Message, state: Exclude<LeaseState, "ok">) => void;
  /**
   * Where its logs go (pino's shape). A pool passes its own.
   * @defaultValue `null`: the process-wide logger
   */
  logger?: LogSink | null;
}

/**
 * Keeps the leases of running messages alive with one batched `renew` call per interval, and
 * reports the ones that were lost. Its timer does not keep the process alive.
 */
export class LeaseRenewer {
  /** Where the leases are held. */
  readonly backend: Backend;
  /** Lease length in ms. */
  readonly leaseMs: number;
  /** Milliseconds between renewals. */
  readonly intervalMs: number;

  readonly #onLost: LeaseRenewerOptions["onLost"];
  readonly #log: Logger;
  /**
   * Held by identity: no key string per add and delete, on every message's path through a pool;
   * a {@link ChurnSet}, since a `Set` there kept settled messages alive across scavenges.
   */
  readonly #messages = new ChurnSet<Message>();
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> | null = null;

  constructor(backend: Backend, options: LeaseRenewerOptions) {
    this.backend = backend;
    for (const [option, value] of [["leaseMs", options.leaseMs], ["intervalMs", options.intervalMs ?? 1_000]] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new ValidationError(`LeaseRenewer: \`${option}\` must be an integer number of ms ≥ 1, got ${String(value)}.`);
      }
    }
    this.leaseMs = options.leaseMs;
    this.intervalMs = options.intervalMs ?? 1_000;
    this.#onLost = options.onLost;
    this.#log = createLogger("alsek.lease", requireLogSink("LeaseRenewer", options.logger));
  }

  /** Number of messages being renewed. */
  get size(): number {
    return this.#messages.size;
  }

  /**
   * Renew this message's lease from now on. Held by identity: {@link delete} takes the same object.
   * @throws ValidationError when the message has no lease.
   */
  add(message: Message): void {
    if (!message.lease) {
      throw new ValidationError(`LeaseRenewer.add(): ${message.summary} has no lease; only claimed messages can be renewed.`);
    }
    this.#messages.add(message);
  }

  /** Stop renewing this message (after it was settled). Returns whether it was renewed. */
  delete(message: Message): boolean {
    return this.#messages.delete(message);
  }

  /** Start the interval (idempotent). */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      // Skip a tick rather than stack renewals behind a slow backend.
      if (!this.#inFlight) this.#inFlight = this.renewNow().finally(() => (this.#inFlight = null));
    }, this.intervalMs);
    this.#timer.unref();
  }

  /** Stop the interval (idempotent). The messages stay registered. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Renew every registered lease now, in one backend call. */
  async renewNow(): Promise<void> {
    const batch = [...this.#messages.values()];
    const leases = batch.map((message) => message.lease as Lease);
    if (leases.length === 0) return;
    let states: LeaseState[];
    try {
      states = await this.backend.renew(leases, this.leaseMs);
    } catch (error) {
      this.#log.warn("Lease renewal failed; will try again", { count: leases.length, error });
      return;
    }
    batch.forEach((message, i) => {
      const state = states[i];
      if (state === undefined || state === "ok") return;
      const lease = leases[i] as Lease;
      // Settled while the renewal was in flight: "gone" then only means "acked".
      if (!this.#messages.has(message) || message.lease?.token !== lease.token) return;
      this.#messages.delete(message);
      this.#log.warn("Lease of a running message was lost", { ...messageLogFields(message), state });
      try {
        this.#onLost?.(message, state);
      } catch (error) {
        this.#log.error("onLost callback failed", { ...messageLogFields(message), error });
      }
    });
  }
}
