// Results are kept per message next to their queue and indexed by progenitor; storing, taking and
// deleting them are their own scripts, apart from the queue writes.
import { validateQueueName, type MessageRef, type ResultWrite, type StoredResult } from "@alsek/core";
import type { BackendConnection } from "./backend-connection.js";
import { groupByQueue } from "./message-targets.js";
import { resultArguments } from "./result-arguments.js";
import { validateRef, validateUuid } from "./validation.js";
import { newCallId } from "./call-id.js";

/** The result storage of `RedisBackend`; see the `Backend` contract for each method. */
export class ResultOperations {
  readonly #connection: BackendConnection;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  /** Stores a result and publishes its notice. */
  async setResult(ref: MessageRef, result: ResultWrite): Promise<void> {
    validateRef(ref);
    const connection = this.#connection;
    const keys = connection.keys;
    const args = [keys.queuePrefix(ref.queue), ref.uuid, ...resultArguments(connection, ref.uuid, result).slice(1)];
    await connection.guard("setResult", () =>
      connection.get().scripts.run("set-result", [keys.result(ref.queue, ref.uuid)], args),
    );
  }

  /** The stored results of `refs` (`null` where none), deleted unless `keep`. */
  async getResults(refs: readonly MessageRef[], options: { keep: boolean }): Promise<(StoredResult | null)[]> {
    refs.forEach(validateRef);
    const connection = this.#connection;
    const keyLayout = connection.keys;
    return connection.guard("getResults", async () => {
      const results = new Array<StoredResult | null>(refs.length).fill(null);
      await Promise.all(
        [...groupByQueue(refs)].map(async ([queue, indexes]) => {
          const uuids = indexes.map((i) => refs[i]!.uuid);
          const keys = uuids.map((u) => keyLayout.result(queue, u));
          // The take id lets a re-send of this call (a lost reply) find what its first run took.
          const takeId = options.keep ? "" : `${newCallId()}:`;
          const args = [keyLayout.queuePrefix(queue), options.keep ? "1" : "0", takeId, ...uuids];
          const values = (await connection.get().scripts.run("take-results", keys, args)) as (string | null | false)[];
          indexes.forEach((i, j) => {
            const raw = values[j];
            if (typeof raw === "string") {
              results[i] = { uuid: refs[i]!.uuid, value: connection.serializer.reverse(raw) };
            }
          });
        }),
      );
      return results;
    });
  }

  /** The uuids of the stored results whose progenitor is `progenitorUuid`. */
  async descendantResults(queue: string, progenitorUuid: string): Promise<string[]> {
    validateQueueName(queue);
    validateUuid(progenitorUuid);
    const connection = this.#connection;
    const keys = [connection.keys.resultIndex(queue, progenitorUuid)];
    const args = [connection.keys.queuePrefix(queue)];
    return connection.guard(
      "descendantResults",
      async () => (await connection.get().scripts.run("descendant-results", keys, args)) as string[],
    );
  }

  /** Deletes the results of `refs`; returns how many existed. */
  async deleteResults(refs: readonly MessageRef[]): Promise<number> {
    refs.forEach(validateRef);
    const connection = this.#connection;
    const keyLayout = connection.keys;
    return connection.guard("deleteResults", async () => {
      const counts = await Promise.all(
        [...groupByQueue(refs)].map(async ([queue, indexes]) => {
          const uuids = indexes.map((i) => refs[i]!.uuid);
          const keys = uuids.map((u) => keyLayout.result(queue, u));
          const args = [keyLayout.queuePrefix(queue), newCallId(), ...uuids];
          return Number(await connection.get().scripts.run("delete-results", keys, args));
        }),
      );
      return counts.reduce((a, b) => a + b, 0);
    });
  }
}
