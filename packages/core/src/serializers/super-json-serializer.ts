import { SuperJSON } from "superjson";
import { SerializationError } from "../errors/index.js";
import { findSuperJsonChange } from "./find-super-json-change.js";
import type { Serializer } from "./serializer.js";
import { registerSparseArrays } from "./sparse-array-transformer.js";

/** Options of {@link SuperJsonSerializer}. */
export interface SuperJsonSerializerOptions {
  /**
   * The superjson instance to encode with: pass your own to use the classes, symbols and custom
   * types registered on it (`instance.registerClass(Money)`). The serializer registers one custom
   * type of its own on it, `alsek.sparse-array`, so that array holes survive.
   * @defaultValue a private `new SuperJSON()`
   */
  superjson?: SuperJSON;
}

/**
 * A serializer built on superjson: keeps `Date`, `Map`, `Set`, `BigInt`, `RegExp`, `URL`, `Error`,
 * typed arrays, `undefined`, `NaN`, `±Infinity`, `-0`, sparse arrays and repeated (even circular)
 * references intact through storage. Like the default serializer, it refuses what it would change
 * rather than change it silently: functions, unregistered symbols, instances of unregistered
 * classes and `Buffer`s throw a {@link SerializationError} naming where the value is.
 */
export class SuperJsonSerializer implements Serializer {
  readonly #superjson: SuperJSON;

  constructor(options: SuperJsonSerializerOptions = {}) {
    this.#superjson = options.superjson ?? new SuperJSON();
    registerSparseArrays(this.#superjson);
  }

  /** @throws SerializationError for a value superjson would change (see the class). */
  forward(value: unknown): string {
    try {
      const change = findSuperJsonChange(value, this.#superjson);
      if (change !== null) {
        const where = change.path === "" ? "the value" : change.path;
        throw new SerializationError(
          `SuperJsonSerializer cannot store ${where} unchanged: it is ${change.found}, and superjson ${change.effect}. ` +
            `Pass it another way (${change.hint}).`,
          { path: change.path },
        );
      }
      return this.#superjson.stringify(value as Parameters<SuperJSON["stringify"]>[0]);
    } catch (error) {
      if (error instanceof SerializationError) throw error;
      throw new SerializationError(`SuperJsonSerializer cannot encode this value: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  reverse(text: string): unknown {
    return this.#superjson.parse(text);
  }
}
