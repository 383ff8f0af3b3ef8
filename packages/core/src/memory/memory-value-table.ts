import { readLive, type StoredText } from "./stored-text.js";

interface MemoryLock {
  ownerId: string;
  expiresAt: number | null;
}

/**
 * What a guarded status write did: wrote it, found this very write already stored (a repeat: true
 * to its caller, nothing published again), or refused it (a later status is stored).
 */
export type StatusWriteResult = "written" | "same" | "refused";

/** Serialized keyed values and locks of one namespace, each with an optional expiry. */
export class MemoryValueTable {
  readonly #values = new Map<string, StoredText>();
  readonly #locks = new Map<string, MemoryLock>();

  get(key: string, now: number): string | undefined {
    return readLive(this.#values, key, now);
  }

  /** Write `text`; `false` only when `nx` is set and a live value exists. */
  set(key: string, text: string, options: { ttlMs: number | null; nx: boolean; keepTtl: boolean }, now: number): boolean {
    const live = this.get(key, now) === undefined ? undefined : this.#values.get(key);
    if (options.nx && live !== undefined) return false;
    let expiresAt: number | null = null;
    if (options.ttlMs !== null) expiresAt = now + options.ttlMs;
    else if (options.keepTtl) expiresAt = live?.expiresAt ?? null;
    this.#values.set(key, { text, expiresAt });
    return true;
  }

  /**
   * Write a status: unless `force`, only when no live value is there or the live one's rank is
   * lower (a plain value has none). Returns `"written"`, `"same"` when the live status is already
   * this write (same rank and text: nothing is written), or `"refused"`.
   */
  setStatus(key: string, text: string, rank: number, ttlMs: number | null, force: boolean, now: number): StatusWriteResult {
    const live = this.get(key, now) === undefined ? undefined : this.#values.get(key);
    if (!force && live?.rank !== undefined && live.rank >= rank) {
      return live.rank === rank && live.text === text ? "same" : "refused";
    }
    this.#values.set(key, { text, expiresAt: ttlMs === null ? null : now + ttlMs, rank });
    return "written";
  }

  /** Delete a value; returns whether a live one existed. */
  delete(key: string, now: number): boolean {
    const existed = this.get(key, now) !== undefined;
    this.#values.delete(key);
    return existed;
  }

  /** Live keys matching `pattern`, as a snapshot so writes during iteration are harmless. */
  keys(pattern: RegExp, now: number): string[] {
    return [...this.#values.keys()].filter((key) => pattern.test(key) && this.get(key, now) !== undefined);
  }

  /** The owner of a live lock. */
  lockHolder(name: string, now: number): string | null {
    const lock = this.#locks.get(name);
    if (lock === undefined) return null;
    if (lock.expiresAt !== null && lock.expiresAt <= now) {
      this.#locks.delete(name);
      return null;
    }
    return lock.ownerId;
  }

  acquireLock(name: string, ownerId: string, ttlMs: number | null, now: number): boolean {
    const holder = this.lockHolder(name, now);
    if (holder !== null && holder !== ownerId) return false;
    this.#locks.set(name, { ownerId, expiresAt: ttlMs === null ? null : now + ttlMs });
    return true;
  }

  releaseLock(name: string, ownerId: string, now: number): boolean {
    if (this.lockHolder(name, now) !== ownerId) return false;
    this.#locks.delete(name);
    return true;
  }

  /** Forget every value and lock; returns how many there were. */
  clear(): number {
    const count = this.#values.size + this.#locks.size;
    this.#values.clear();
    this.#locks.clear();
    return count;
  }
}
