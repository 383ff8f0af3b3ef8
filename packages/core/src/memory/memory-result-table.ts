import { readLive, type StoredText } from "./stored-text.js";

interface StoredResult extends StoredText {
  progenitorUuid: string | null;
}

/** `queue + "\n" + uuid`: newlines cannot occur in validated queue names. */
function keyOf(queue: string, uuid: string): string {
  return `${queue}\n${uuid}`;
}

/** Serialized results per `(queue, uuid)`, indexed per `(queue, progenitorUuid)` in write order. */
export class MemoryResultTable {
  readonly #results = new Map<string, StoredResult>();
  /** A Map keeps insertion order, which is write order since rewrites delete first. */
  readonly #index = new Map<string, Map<string, true>>();

  get size(): number {
    return this.#results.size;
  }

  set(queue: string, uuid: string, text: string, expiresAt: number | null, progenitorUuid: string | null): void {
    this.delete(queue, uuid);
    this.#results.set(keyOf(queue, uuid), { text, expiresAt, progenitorUuid });
    if (progenitorUuid === null) return;
    const indexKey = keyOf(queue, progenitorUuid);
    let index = this.#index.get(indexKey);
    if (index === undefined) this.#index.set(indexKey, (index = new Map()));
    index.set(uuid, true);
  }

  /** The live result's text, or `undefined`. */
  get(queue: string, uuid: string, now: number): string | undefined {
    const text = readLive(this.#results, keyOf(queue, uuid), now);
    // readLive dropped an expired result; drop its index entry as well.
    if (text === undefined) this.delete(queue, uuid);
    return text;
  }

  /** Uuids of live results under `progenitorUuid`, oldest write first. */
  descendants(queue: string, progenitorUuid: string, now: number): string[] {
    const index = this.#index.get(keyOf(queue, progenitorUuid));
    if (index === undefined) return [];
    return [...index.keys()].filter((uuid) => this.get(queue, uuid, now) !== undefined);
  }

  /** Delete a result and its index entry; returns whether it was stored (expired or not). */
  delete(queue: string, uuid: string): boolean {
    const stored = this.#results.get(keyOf(queue, uuid));
    if (stored === undefined) return false;
    this.#results.delete(keyOf(queue, uuid));
    if (stored.progenitorUuid !== null) {
      const indexKey = keyOf(queue, stored.progenitorUuid);
      const index = this.#index.get(indexKey);
      index?.delete(uuid);
      if (index?.size === 0) this.#index.delete(indexKey);
    }
    return true;
  }

  clear(): void {
    this.#results.clear();
    this.#index.clear();
  }
}
