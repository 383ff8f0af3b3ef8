// Results are stored both by setResult and, in the same step as the ack, by ack; both validate,
// store and announce a result the same way, which lives here with the result queries.
import { resultChannel } from "../backend/result-channel.js";
import { validateQueueName } from "../validation/name-rules.js";
import type { MessageRef, ResultWrite, StoredResult } from "../backend/types.js";
import { requirePositiveMs } from "../validation/argument-checks.js";
import type { MemoryBackendState } from "./memory-backend-state.js";

/** A result validated and encoded, ready to store once its message is settled. */
export interface PreparedResult {
  /** The encoded value. */
  text: string;
  /** How long the result is kept; `null` for ever. */
  ttlMs: number | null;
  /** The uuid of the first message of the chain, whose channel gets the notice. */
  progenitorUuid: string | null;
}

/** The result storage of `MemoryBackend`; see the `Backend` contract for each method. */
export class MemoryResultOperations {
  readonly #state: MemoryBackendState;

  constructor(state: MemoryBackendState) {
    this.#state = state;
  }

  /** Stores a result and announces it. */
  async setResult(ref: MessageRef, result: ResultWrite): Promise<void> {
    this.#state.assertOpen();
    validateQueueName(ref.queue);
    const prepared = this.prepare(result);
    this.store(ref, prepared, Date.now());
    this.announce(ref.uuid, prepared.progenitorUuid);
  }

  /** The stored results of `refs` (`null` where none), deleted unless `keep`. */
  async getResults(refs: readonly MessageRef[], options: { keep: boolean }): Promise<(StoredResult | null)[]> {
    this.#state.assertOpen();
    const results = this.#state.ns.results;
    const now = Date.now();
    return refs.map((ref) => {
      const text = results.get(validateQueueName(ref.queue), ref.uuid, now);
      if (text === undefined) return null;
      if (!options.keep) results.delete(ref.queue, ref.uuid);
      return { uuid: ref.uuid, value: this.#state.decode(text) };
    });
  }

  /** The uuids of the stored results whose progenitor is `progenitorUuid`. */
  async descendantResults(queue: string, progenitorUuid: string): Promise<string[]> {
    this.#state.assertOpen();
    return this.#state.ns.results.descendants(validateQueueName(queue), progenitorUuid, Date.now());
  }

  /** Deletes the results of `refs`; returns how many existed. */
  async deleteResults(refs: readonly MessageRef[]): Promise<number> {
    this.#state.assertOpen();
    const results = this.#state.ns.results;
    const now = Date.now();
    let count = 0;
    for (const ref of refs) {
      if (results.get(validateQueueName(ref.queue), ref.uuid, now) !== undefined) count += 1;
      results.delete(ref.queue, ref.uuid);
    }
    return count;
  }

  /** Validates and encodes `result` before anything is changed. */
  prepare(result: ResultWrite): PreparedResult {
    if (result.ttlMs !== null) requirePositiveMs("result ttlMs", result.ttlMs);
    return {
      text: this.#state.encode(result.value),
      ttlMs: result.ttlMs,
      progenitorUuid: result.progenitorUuid ?? null,
    };
  }

  /** Stores a prepared result of the message `ref`. */
  store(ref: MessageRef, result: PreparedResult, now: number): void {
    const expiresAt = result.ttlMs === null ? null : now + result.ttlMs;
    this.#state.ns.results.set(ref.queue, ref.uuid, result.text, expiresAt, result.progenitorUuid);
  }

  /** Publishes the notice that the result of `uuid` is stored. */
  announce(uuid: string, progenitorUuid: string | null): void {
    this.#state.publishText(resultChannel(progenitorUuid ?? uuid), this.#state.encode(uuid));
  }
}
