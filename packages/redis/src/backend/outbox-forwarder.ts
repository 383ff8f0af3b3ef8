// On a Cluster, an ack's callback bound for another queue lives on another slot, so the ack script
// parks it in the acked queue's outbox and the client forwards it afterwards; this does the
// forwarding, and re-forwards entries whose writer died before it could.
import type { BackendConnection } from "./backend-connection.js";
import { submitRows, type SubmitRow } from "./submit-rows.js";

/** Outbox entries older than this are re-forwarded by any claimer (their writer likely died). */
const OUTBOX_RECOVERY_AGE_MS = 10_000;

/** A callback message waiting in an outbox to be submitted to its own queue. */
export interface OutboxEntry extends SubmitRow {
  /** The queue the callback is submitted to. */
  queue: string;
  /** `Date.now()` when the ack wrote the entry. */
  writtenAt: number;
}

/** Moves callback messages from outboxes to their queues. */
export class OutboxForwarder {
  readonly #connection: BackendConnection;
  #recovering = false;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  /** Submits an outbox entry to its queue (idempotent by uuid), then drops it from the outbox. */
  async forward(sourceQueue: string, serialized: string, entry: OutboxEntry): Promise<void> {
    await submitRows(this.#connection, entry.queue, [entry]);
    await this.#connection.get().client.lrem(this.#connection.keys.outbox(sourceQueue), 1, serialized);
  }

  /** Forwards the stale entries of the outboxes of `queues`; one recovery at a time per backend. */
  async recover(queues: readonly string[]): Promise<void> {
    if (this.#recovering) return;
    this.#recovering = true;
    try {
      for (const queue of queues) {
        const raw = await this.#connection.get().client.lrange(this.#connection.keys.outbox(queue), 0, 99);
        for (const serialized of raw) {
          const entry = JSON.parse(serialized) as OutboxEntry;
          if (Date.now() - entry.writtenAt >= OUTBOX_RECOVERY_AGE_MS) await this.forward(queue, serialized, entry);
        }
      }
    } catch {
      // Recovery is retried on the next claim that sees a non-empty outbox.
    } finally {
      this.#recovering = false;
    }
  }
}
