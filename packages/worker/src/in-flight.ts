import type { LeaseRenewer, LeaseState, Logger, Message, ProgressValue, Task } from "@alsek/core";
import { ChurnMap, ChurnSet, messageLogFields } from "@alsek/core";
import type { AttemptTrace } from "@alsek/core";

/** One claimed message the pool holds, from its admission to its outcome. */
export interface RunningMessage {
  /** The assignment's id (unique within the pool). */
  id: number;
  message: Message;
  task: Task;
  /** How the lease went, when the renewer reported it was not ours any more. */
  lostState: LeaseState | null;
  /** Stopped by a graceful stop past its grace: give it back to its queue untouched. */
  handBack: boolean;
  /** Status RUNNING being written (only with a status tracker, once it started); settled after it. */
  marked: Promise<void> | null;
  /** The attempt's OpenTelemetry spans (`null` without `@opentelemetry/api`). */
  trace: AttemptTrace | null;
  /** Progress being written (only once the task reported some); settled after it. */
  progressWriting?: Promise<void> | undefined;
  /** The latest progress reported while a write was on its way: written next. */
  progressPending?: ProgressValue | undefined;
}

/**
 * What a pool holds in flight: its running (or prefetched) messages, whose leases the renewer
 * keeps alive while they are here, and the background settlements that must finish before the
 * pool stops. The one place a message enters and leaves the lease renewer.
 */
export class InFlight {
  // Churn-safe collections: a Map or Set here kept settled messages alive across scavenges (see ChurnMap).
  readonly #running = new ChurnMap<RunningMessage>();
  readonly #settling = new ChurnSet<Promise<void>>();
  readonly #log: Logger;
  #nextId = 0;
  /** The lease renewer of the current run (none between runs). */
  renewer: LeaseRenewer | null = null;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Messages held: running or waiting at the executor. */
  get size(): number {
    return this.#running.size;
  }

  /** Hold `message` (its lease renewed from now on) under a new assignment id. */
  add(message: Message, task: Task, trace: AttemptTrace | null): RunningMessage {
    const id = ++this.#nextId;
    const entry: RunningMessage = { id, message, task, lostState: null, handBack: false, marked: null, trace };
    this.#running.set(id, entry);
    this.renewer?.add(message);
    return entry;
  }

  /** The held message of assignment `id`, if it is still held. */
  get(id: number): RunningMessage | undefined {
    return this.#running.get(id);
  }

  /** Stop holding assignment `id` (its lease is no longer renewed); the entry, if it was held. */
  take(id: number): RunningMessage | undefined {
    const entry = this.#running.get(id);
    if (!entry) return undefined;
    this.#running.delete(id);
    this.renewer?.delete(entry.message);
    return entry;
  }

  /** Every held message. */
  values(): IterableIterator<RunningMessage> {
    return this.#running.values();
  }

  /** Keep `promise` (a settlement) until it ends; a rejection is logged, never thrown. */
  track(promise: Promise<void>, message: Message | null = null): void {
    const tracked = promise.catch((error: unknown) => this.logSettleError(error, message));
    this.#settling.add(tracked);
    void tracked.finally(() => this.#settling.delete(tracked));
  }

  /** Resolves once every tracked settlement ended, including those started meanwhile. */
  async settled(): Promise<void> {
    while (this.#settling.size > 0) await Promise.all([...this.#settling]);
  }

  /** Log a settlement that failed: the message runs again once its lease expires. */
  logSettleError(error: unknown, message: Message | null): void {
    const fields = message === null ? { error } : { ...messageLogFields(message), error };
    this.#log.error("Settling a message failed; it runs again once its lease expires.", fields);
  }
}
