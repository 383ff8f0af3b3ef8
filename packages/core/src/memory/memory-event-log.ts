// The event streams of a namespace in memory: one capped list per queue, ids from one counter.
import type { QueueEvent } from "../events/queue-event.js";

/** An event as an operation records it; the log adds id, queue and time. */
export type MemoryEventEntry = Omit<QueueEvent, "id" | "queue" | "at" | "error" | "readyAt" | "progress"> &
  Partial<Pick<QueueEvent, "error" | "readyAt" | "progress">>;

/** Capped per-queue event lists of one namespace, shared by the backends of a store. */
export class MemoryEventLog {
  readonly #queues = new Map<string, QueueEvent[]>();
  #seq = 0;

  /** Append `entry` to `queue`'s stream, dropping the oldest past `maxLength`. */
  append(queue: string, entry: MemoryEventEntry, maxLength: number, now: number): void {
    let list = this.#queues.get(queue);
    if (list === undefined) {
      list = [];
      this.#queues.set(queue, list);
    }
    this.#seq += 1;
    list.push({
      id: String(this.#seq),
      queue,
      at: now,
      error: entry.error ?? null,
      readyAt: entry.readyAt ?? null,
      progress: entry.progress ?? null,
      type: entry.type,
      uuid: entry.uuid,
      attempt: entry.attempt,
    });
    if (list.length > maxLength) list.splice(0, list.length - maxLength);
  }

  /** Up to `limit` events of `queue` after id `after` (all kept when `null`), oldest first. */
  read(queue: string, after: string | null, limit: number): QueueEvent[] {
    const list = this.#queues.get(queue) ?? [];
    const floor = after === null ? 0 : Number(after);
    const out: QueueEvent[] = [];
    for (const event of list) {
      if (Number(event.id) <= floor) continue;
      out.push(structuredClone(event));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The id of `queue`'s newest event, or `null`. */
  lastId(queue: string): string | null {
    return this.#queues.get(queue)?.at(-1)?.id ?? null;
  }

  /** Forget every stream (the namespace was cleared). */
  clear(): void {
    this.#queues.clear();
  }
}
