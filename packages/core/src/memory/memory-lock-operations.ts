// Named locks are owner-checked entries of the value table; their argument checks and owner rules
// are their own group of the contract.
import { requirePositiveMs, requireText } from "../validation/argument-checks.js";
import type { MemoryBackendState } from "./memory-backend-state.js";

/** The named locks of `MemoryBackend`; see the `Backend` contract for each method. */
export class MemoryLockOperations {
  readonly #state: MemoryBackendState;

  constructor(state: MemoryBackendState) {
    this.#state = state;
  }

  /** Takes the lock `name` for `ownerId` unless another owner holds it. */
  async acquireLock(name: string, ownerId: string, ttlMs: number | null): Promise<boolean> {
    this.#state.assertOpen();
    requireText("lock name", name);
    requireText("lock owner id", ownerId);
    if (ttlMs !== null) requirePositiveMs("ttlMs", ttlMs);
    return this.#state.ns.values.acquireLock(name, ownerId, ttlMs, Date.now());
  }

  /** Releases the lock `name` if `ownerId` holds it. */
  async releaseLock(name: string, ownerId: string): Promise<boolean> {
    this.#state.assertOpen();
    return this.#state.ns.values.releaseLock(requireText("lock name", name), ownerId, Date.now());
  }

  /** The owner holding the lock `name`, or `null`. */
  async lockHolder(name: string): Promise<string | null> {
    this.#state.assertOpen();
    return this.#state.ns.values.lockHolder(requireText("lock name", name), Date.now());
  }
}
