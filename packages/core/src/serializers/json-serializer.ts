import { SerializationError } from "../errors/index.js";
import { findJsonChange } from "./find-json-change.js";
import type { Serializer } from "./serializer.js";

/**
 * The default serializer: plain JSON, which **refuses** what JSON would store differently instead
 * of changing it silently. `Date`, `Map`, `Set`, `BigInt`, functions, symbols, `NaN`, `±Infinity`,
 * `-0`, `undefined` in arrays, array holes and class instances (including `Buffer`, typed arrays
 * and classes with a `toJSON`) throw a {@link SerializationError} naming where the value is
 * (`args[0]`, `kwargs.when`); nothing is stored. `undefined` object properties are allowed: JSON
 * drops them, and reading them back gives `undefined` again. Give the backend a
 * {@link SuperJsonSerializer} to store those types unchanged.
 */
export class JsonSerializer implements Serializer {
  /** @throws SerializationError for a value JSON would change (see the class). */
  forward(value: unknown): string {
    let text: string | undefined;
    try {
      const change = findJsonChange(value);
      if (change !== null) {
        const where = change.path === "" ? "the value" : change.path;
        const hint = change.hint === "" ? "" : ` (${change.hint})`;
        throw new SerializationError(
          `JsonSerializer cannot store ${where} unchanged: it is ${change.found}, and JSON ${change.effect}. ` +
            `Pass JSON data instead${hint}, or give the backend a SuperJsonSerializer, which ` +
            "keeps Date, Map, Set, BigInt, undefined, NaN, ±Infinity, -0 and sparse arrays.",
          { path: change.path },
        );
      }
      text = JSON.stringify(value);
    } catch (error) {
      if (error instanceof SerializationError) throw error;
      throw new SerializationError(
        `JsonSerializer cannot encode this value: ${(error as Error).message}. ` +
          "Pass JSON-compatible data, or give the backend a SuperJsonSerializer.",
        { cause: error },
      );
    }
    // Only for a value findJsonChange let through and JSON.stringify still skipped; never expected.
    if (text === undefined) throw new SerializationError("JsonSerializer cannot store this value: JSON has no text for it.");
    return text;
  }

  reverse(text: string): unknown {
    return JSON.parse(text);
  }
}
