// Keyed values are the backend's plain key-value store (task state, trigger bookkeeping); with the
// glob scans over them and the namespace-wide clear they form one group.
import type { SetValueOptions, StatusWrite } from "../backend/types.js";
import { requirePositiveMs, requireText } from "../validation/argument-checks.js";
import { globToRegExp } from "./glob-pattern.js";
import type { MemoryBackendState } from "./memory-backend-state.js";
import { applyStatus, prepareStatus } from "./memory-status-writes.js";

/** The keyed values of `MemoryBackend` and the clearing of its namespace; see the `Backend` contract. */
export class MemoryValueOperations {
  readonly #state: MemoryBackendState;

  constructor(state: MemoryBackendState) {
    this.#state = state;
  }

  /** The decoded value at `key`, or `undefined`. */
  async getValue(key: string): Promise<unknown> {
    this.#state.assertOpen();
    const text = this.#state.ns.values.get(requireText("key", key), Date.now());
    return text === undefined ? undefined : this.#state.decode(text);
  }

  /** Stores `value` at `key`; `false` when `nx` found the key taken. */
  async setValue(key: string, value: unknown, options: SetValueOptions = {}): Promise<boolean> {
    this.#state.assertOpen();
    requireText("key", key);
    const ttlMs = options.ttlMs ?? null;
    if (ttlMs !== null) requirePositiveMs("ttlMs", ttlMs);
    const text = this.#state.encode(value);
    const flags = { ttlMs, nx: options.nx === true, keepTtl: options.keepTtl === true };
    return this.#state.ns.values.set(key, text, flags, Date.now());
  }

  /** Stores a status when its rank is above the stored one, and publishes it; whether it applied. */
  async setStatus(write: StatusWrite): Promise<boolean> {
    this.#state.assertOpen();
    return applyStatus(this.#state, prepareStatus(this.#state, write), false, Date.now());
  }

  /** Deletes the values at `keys`; returns how many existed. */
  async deleteValue(...keys: string[]): Promise<number> {
    this.#state.assertOpen();
    const values = this.#state.ns.values;
    const now = Date.now();
    return keys.filter((key) => values.delete(requireText("key", key), now)).length;
  }

  /** Whether a value is stored at `key`. */
  async hasValue(key: string): Promise<boolean> {
    this.#state.assertOpen();
    return this.#state.ns.values.get(requireText("key", key), Date.now()) !== undefined;
  }

  /** The value keys matching the glob `pattern`. */
  async *scanKeys(pattern: string): AsyncIterable<string> {
    this.#state.assertOpen();
    yield* this.#state.ns.values.keys(globToRegExp(pattern), Date.now());
  }

  /** How many value keys match the glob `pattern`. */
  async count(pattern = "*"): Promise<number> {
    this.#state.assertOpen();
    return this.#state.ns.values.keys(globToRegExp(pattern), Date.now()).length;
  }

  /** Deletes everything of the namespace (queues, results, values); returns how many items there were. */
  async clear(): Promise<number> {
    this.#state.assertOpen();
    const ns = this.#state.ns;
    let count = ns.results.size + ns.values.clear();
    for (const queue of ns.queues.values()) count += queue.clear();
    ns.queues.clear();
    ns.controls.clear();
    ns.results.clear();
    ns.applied.clear();
    ns.schedules.clear();
    ns.events.clear();
    return count;
  }
}
