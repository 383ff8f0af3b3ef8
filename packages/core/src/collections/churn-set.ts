import { ChurnMap } from "./churn-map.js";

/**
 * A set of objects held by identity, for members that come and go once per message on a pool's hot
 * path (the lease renewer's messages, the settlements a pool waits for, a queue watcher's
 * waiters). A `Set` there keeps dead members alive across scavenges for the reason given at
 * {@link ChurnMap}; this one numbers each member (a `WeakMap`) and keeps it in a {@link ChurnMap}.
 *
 * Iteration order is not specified.
 */
export class ChurnSet<T extends object> {
  readonly #ids = new WeakMap<T, number>();
  readonly #members = new ChurnMap<T>();
  #nextId = 0;

  /** Number of members. */
  get size(): number {
    return this.#members.size;
  }

  /** Add `member` (nothing changes if it is one already). */
  add(member: T): this {
    if (this.#ids.has(member)) return this;
    const id = this.#nextId++;
    this.#ids.set(member, id);
    this.#members.set(id, member);
    return this;
  }

  /** Whether `member` is in the set. */
  has(member: T): boolean {
    return this.#ids.has(member);
  }

  /** Remove `member`; whether it was in the set. */
  delete(member: T): boolean {
    const id = this.#ids.get(member);
    if (id === undefined) return false;
    this.#ids.delete(member);
    return this.#members.delete(id);
  }

  /** The members. */
  values(): IterableIterator<T> {
    return this.#members.values();
  }

  /** The members. */
  [Symbol.iterator](): IterableIterator<T> {
    return this.#members.values();
  }
}
