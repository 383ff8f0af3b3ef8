import type { QueueCounts } from "../backend/types.js";
import { IndexedHeap, type HeapItem } from "./indexed-heap.js";
import { MemoryThroughput } from "./memory-throughput.js";
import { isExpired, type StoredText } from "./stored-text.js";

/** One queued message and where it stands. */
export interface MemoryEntry extends HeapItem {
  readonly uuid: string;
  readonly priority: number;
  /** Arrival order within the namespace; kept across release and lease expiry. */
  seq: number;
  readyAt: number;
  /** The message data, serialized. */
  text: string;
  state: "ready" | "delayed" | "active";
  token: string | null;
  leaseExpiresAt: number;
  expiredLeases: number;
}

const byPriorityThenArrival = (a: MemoryEntry, b: MemoryEntry): boolean =>
  a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
const byReadyAt = (a: MemoryEntry, b: MemoryEntry): boolean =>
  a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
const byLeaseExpiry = (a: MemoryEntry, b: MemoryEntry): boolean =>
  a.leaseExpiresAt < b.leaseExpiresAt || (a.leaseExpiresAt === b.leaseExpiresAt && a.seq < b.seq);

/**
 * The messages of one queue: a map by uuid plus one heap per state, so claiming takes the head of
 * the ready heap instead of scanning the backlog.
 */
export class MemoryQueue {
  readonly entries = new Map<string, MemoryEntry>();
  readonly deadLetters = new Map<string, StoredText>();
  /** Acks and failures per minute, bumped by `ack` and `fail`. */
  readonly throughput = new MemoryThroughput();
  readonly #ready = new IndexedHeap<MemoryEntry>(byPriorityThenArrival);
  readonly #delayed = new IndexedHeap<MemoryEntry>(byReadyAt);
  readonly #active = new IndexedHeap<MemoryEntry>(byLeaseExpiry);

  /** Add a new entry, ready or delayed depending on `now`. */
  add(entry: MemoryEntry, now: number): void {
    this.entries.set(entry.uuid, entry);
    if (entry.readyAt <= now) this.#toReady(entry);
    else this.#toDelayed(entry);
  }

  /** Put an entry back in line with its current `seq` (release, expired lease). */
  requeue(entry: MemoryEntry): void {
    this.#detach(entry);
    this.#toReady(entry);
  }

  /** Schedule an entry again at `readyAt`, keeping its place in line (its original `seq`). */
  reschedule(entry: MemoryEntry, readyAt: number, now: number): void {
    this.#detach(entry);
    entry.readyAt = readyAt;
    if (readyAt <= now) {
      this.#toReady(entry);
    } else {
      this.#toDelayed(entry);
    }
  }

  delete(entry: MemoryEntry): void {
    this.#detach(entry);
    this.entries.delete(entry.uuid);
  }

  /**
   * Bring the queue up to `now`: due delayed messages and expired leases go back to ready at
   * their original place (arrival = submission, as on Redis and SQLite), expired leases counted.
   * Returns the entries whose lease expired (for their `stalled` events).
   */
  settle(now: number): MemoryEntry[] {
    const stalled: MemoryEntry[] = [];
    for (let entry = this.#delayed.peek(); entry && entry.readyAt <= now; entry = this.#delayed.peek()) {
      this.#delayed.pop();
      this.#toReady(entry);
    }
    for (let entry = this.#active.peek(); entry && entry.leaseExpiresAt <= now; entry = this.#active.peek()) {
      this.#active.pop();
      entry.expiredLeases += 1;
      this.#toReady(entry);
      stalled.push(entry);
    }
    return stalled;
  }

  /** The head of the ready line, left in place. */
  peekReady(): MemoryEntry | undefined {
    return this.#ready.peek();
  }

  /**
   * Take the head of the ready line out of it for the rest of one synchronous claim (a message
   * the claim skips), so that the entries behind it come to the head; {@link putBack} returns it.
   */
  setAsideReady(): MemoryEntry | undefined {
    return this.#ready.pop();
  }

  /** Return entries {@link setAsideReady} took to their places in the ready line. */
  putBack(entries: readonly MemoryEntry[]): void {
    for (const entry of entries) this.#ready.push(entry);
  }

  /** Lease the head of the ready line, if any. */
  claimNext(token: string, leaseExpiresAt: number): MemoryEntry | undefined {
    const entry = this.#ready.pop();
    if (entry === undefined) return undefined;
    this.renew(entry, leaseExpiresAt, token);
    return entry;
  }

  /** Set (or move) an active entry's lease expiry. */
  renew(entry: MemoryEntry, leaseExpiresAt: number, token = entry.token): void {
    this.#detach(entry);
    entry.state = "active";
    entry.token = token;
    entry.leaseExpiresAt = leaseExpiresAt;
    this.#active.push(entry);
  }

  /** Epoch ms of the next delayed message or lease expiry, or `null`. */
  nextEventAt(): number | null {
    const delayed = this.#delayed.peek()?.readyAt;
    const lease = this.#active.peek()?.leaseExpiresAt;
    if (delayed === undefined) return lease ?? null;
    return lease === undefined ? delayed : Math.min(delayed, lease);
  }

  /** Counts as of `now`, dropping expired dead letters on the way. */
  counts(now: number): QueueCounts {
    for (const [uuid, dead] of this.deadLetters) if (isExpired(dead, now)) this.deadLetters.delete(uuid);
    let delayed = 0;
    let active = 0;
    for (const entry of this.entries.values()) {
      if (entry.state === "active" && entry.leaseExpiresAt > now) active += 1;
      else if (entry.state === "delayed" && entry.readyAt > now) delayed += 1;
    }
    return {
      ready: this.entries.size - delayed - active,
      delayed,
      active,
      dead: this.deadLetters.size,
    };
  }

  /** Forget everything; returns how many messages and dead letters there were. */
  clear(): number {
    const count = this.entries.size + this.deadLetters.size;
    this.#ready.clear();
    this.#delayed.clear();
    this.#active.clear();
    this.entries.clear();
    this.deadLetters.clear();
    this.throughput.clear();
    return count;
  }

  #toReady(entry: MemoryEntry): void {
    entry.state = "ready";
    entry.token = null;
    this.#ready.push(entry);
  }

  #toDelayed(entry: MemoryEntry): void {
    entry.state = "delayed";
    entry.token = null;
    this.#delayed.push(entry);
  }

  #detach(entry: MemoryEntry): void {
    if (entry.state === "ready") this.#ready.remove(entry);
    else if (entry.state === "delayed") this.#delayed.remove(entry);
    else this.#active.remove(entry);
  }
}
