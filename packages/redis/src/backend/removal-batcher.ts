// Bare acks and removes are the hottest write of a busy pool: one per finished message. Those
// issued in the same tick go to Redis together, one `remove-many` script call per queue, instead
// of one call (and one socket write) each.
import type { Lease, MessageRef, WriteOutcome } from "@alsek/core";
import type { BackendConnection } from "./backend-connection.js";
import { leaseToken } from "./message-targets.js";
import { newCallId } from "./call-id.js";

/** Removals per script call at most: bounds how long one call blocks the server. */
const REMOVALS_PER_CALL = 500;
const WRITE_OUTCOMES: readonly WriteOutcome[] = ["ok", "lost", "gone"];

interface PendingRemoval {
  uuid: string;
  token: string;
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

/**
 * Collects the removals (bare acks and removes) of one tick and sends them per queue and
 * operation in one script call. Each caller still gets its own outcome, and its own error if the call fails.
 */
export class RemovalBatcher {
  readonly #connection: BackendConnection;
  /** This tick's removals by operation, then by queue (acks and removes go in separate calls: the script counts acks as completions). */
  #pending = { ack: new Map<string, PendingRemoval[]>(), remove: new Map<string, PendingRemoval[]>() };
  #scheduled = false;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  /** Removes `target` (fenced by its lease token, if it has one) together with this tick's others. */
  remove(operation: "ack" | "remove", target: Lease | MessageRef): Promise<WriteOutcome> {
    return new Promise<WriteOutcome>((resolve, reject) => {
      const removal = { uuid: target.uuid, token: leaseToken(target), resolve, reject };
      const byQueue = this.#pending[operation];
      const queued = byQueue.get(target.queue);
      if (queued === undefined) byQueue.set(target.queue, [removal]);
      else queued.push(removal);
      if (!this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const pending = this.#pending;
    this.#pending = { ack: new Map(), remove: new Map() };
    for (const operation of ["ack", "remove"] as const) {
      for (const [queue, removals] of pending[operation]) {
        for (let start = 0; start < removals.length; start += REMOVALS_PER_CALL) {
          void this.#send(queue, operation, removals.slice(start, start + REMOVALS_PER_CALL));
        }
      }
    }
  }

  async #send(queue: string, operation: "ack" | "remove", removals: readonly PendingRemoval[]): Promise<void> {
    const connection = this.#connection;
    try {
      // Named after what the callers asked for, so an error reads "Redis ack failed" for an ack.
      const codes = await connection.guard(operation, async () => {
        // Fenced removals are remembered by token; an unfenced one needs the reply remembered.
        const replyId = removals.some((removal) => removal.token === "") ? newCallId() : "";
        const args: string[] = [connection.keys.queuePrefix(queue), operation, String(connection.eventLength), replyId];
        for (const removal of removals) args.push(removal.uuid, removal.token);
        return (await connection.get().scripts.run("remove-many", connection.queueKeys(queue), args)) as number[];
      });
      for (const [index, removal] of removals.entries()) removal.resolve(WRITE_OUTCOMES[codes[index] ?? 2]!);
    } catch (error) {
      for (const removal of removals) removal.reject(error);
    }
  }
}
