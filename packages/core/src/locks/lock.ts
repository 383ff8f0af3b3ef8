import { hostname } from "node:os";
import type { Backend } from "../backend/backend.js";
import { LockNotAcquiredError, ValidationError } from "../errors/index.js";

/** The default owner of locks taken by this process: `"<hostname>:<pid>"`. */
export const CURRENT_PROCESS_OWNER_ID = `${hostname()}:${process.pid}`;

/** Options of {@link Lock}. */
export interface LockOptions {
  /** Where the lock lives. */
  backend: Backend;
  /**
   * Expiry in ms (integer ≥ 1), refreshed by each successful `acquire()`; `null` never expires.
   * @defaultValue 3_600_000
   */
  ttl?: number | null;
  /**
   * Who holds the lock. Locks with the same owner id are the same holder: they may re-acquire
   * and release each other's lock.
   * @defaultValue `"<hostname>:<pid>"`
   */
  ownerId?: string;
}

/** A named, expiring, owner-based mutex stored on a backend (shared by every process using it). */
export class Lock {
  /** The lock's name. */
  readonly name: string;
  /** Where it lives. */
  readonly backend: Backend;
  /** Expiry in ms, or `null`. */
  readonly ttl: number | null;
  /** This holder's id. */
  readonly ownerId: string;

  constructor(name: string, options: LockOptions) {
    if (typeof name !== "string" || name.length === 0) {
      throw new ValidationError("Lock: `name` must be a non-empty string.");
    }
    const ttl = options.ttl === undefined ? 3_600_000 : options.ttl;
    if (ttl !== null && (!Number.isInteger(ttl) || ttl < 1)) {
      throw new ValidationError(`Lock '${name}': \`ttl\` must be an integer number of ms ≥ 1, or null; got ${String(ttl)}.`);
    }
    const ownerId = options.ownerId ?? CURRENT_PROCESS_OWNER_ID;
    if (typeof ownerId !== "string" || ownerId.length === 0) {
      throw new ValidationError(`Lock '${name}': \`ownerId\` must be a non-empty string.`);
    }
    this.name = name;
    this.backend = options.backend;
    this.ttl = ttl;
    this.ownerId = ownerId;
  }

  /** Take the lock (or refresh it when this owner already holds it). Returns whether it is held. */
  acquire(): Promise<boolean> {
    return this.backend.acquireLock(this.name, this.ownerId, this.ttl);
  }

  /** Release the lock if this owner holds it. Returns whether it did. */
  release(): Promise<boolean> {
    return this.backend.releaseLock(this.name, this.ownerId);
  }

  /** The current holder's owner id, or `null`. */
  holder(): Promise<string | null> {
    return this.backend.lockHolder(this.name);
  }

  /** Whether this owner holds the lock. */
  async held(): Promise<boolean> {
    return (await this.holder()) === this.ownerId;
  }

  /**
   * Run `fn` while holding the lock, then release it (also when `fn` throws).
   * @throws LockNotAcquiredError when another owner holds the lock; `fn` does not run.
   */
  async withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    if (!(await this.acquire())) {
      const holder = await this.holder();
      throw new LockNotAcquiredError(
        `Lock '${this.name}' is held by '${holder ?? "another owner"}': fn did not run; retry later.`,
      );
    }
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }
}
