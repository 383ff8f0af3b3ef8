/**
 * A map from integer ids to values, for collections whose entries come and go once per message on
 * a pool's hot path (its in-flight table, the executor's running attempts).
 *
 * Why not a `Map`: V8 rebuilds a `Map`'s or `Set`'s table as entries come and go, and the old table
 * keeps a link to the new one and keeps its own entries. Once a table has reached the old
 * generation (a pool that sat idle for a few seconds), every later table and every entry they held
 * outlive each scavenge through that dead table, until the next full collection. In an in-loop
 * drain of 100,000 messages that promoted 77–93 MB (~0.85 kB per message) and set the pool's RSS
 * peak; with these collections on the same paths it promoted 24 MB (the bench's FINDINGS.md,
 * *Hot-path collections*). The entries live here as the integer-keyed properties of a
 * prototype-less object, whose hash table V8 rebuilds without that link.
 *
 * Iteration order is not specified. Values cannot be `undefined` (it marks an absent id).
 */
export class ChurnMap<V> {
  #entries: Record<number, V> = Object.create(null) as Record<number, V>;
  #size = 0;

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /** The value under `id`, or `undefined`. */
  get(id: number): V | undefined {
    return this.#entries[id];
  }

  /** Whether an entry is under `id`. */
  has(id: number): boolean {
    return this.#entries[id] !== undefined;
  }

  /**
   * Put `value` under `id` (replacing what was there).
   * @throws TypeError when `value` is `undefined`.
   */
  set(id: number, value: V): this {
    if (value === undefined) throw new TypeError("ChurnMap.set(): a value cannot be undefined (it marks an absent id).");
    if (this.#entries[id] === undefined) this.#size++;
    this.#entries[id] = value;
    return this;
  }

  /** Remove the entry under `id`; whether there was one. */
  delete(id: number): boolean {
    if (this.#entries[id] === undefined) return false;
    delete this.#entries[id];
    this.#size--;
    return true;
  }

  /** Remove every entry. */
  clear(): void {
    this.#entries = Object.create(null) as Record<number, V>;
    this.#size = 0;
  }

  /** The ids, as numbers. */
  *keys(): IterableIterator<number> {
    for (const key in this.#entries) yield Number(key);
  }

  /** The values. */
  *values(): IterableIterator<V> {
    for (const key in this.#entries) yield this.#entries[key as unknown as number] as V;
  }

  /** `[id, value]` pairs. */
  *entries(): IterableIterator<[number, V]> {
    for (const key in this.#entries) yield [Number(key), this.#entries[key as unknown as number] as V];
  }

  /** `[id, value]` pairs, as a `Map` iterates. */
  [Symbol.iterator](): IterableIterator<[number, V]> {
    return this.entries();
  }
}
