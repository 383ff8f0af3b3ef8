import superjson from "superjson";
import { ValidationError } from "../errors/index.js";
import type { Serializer } from "./serializer.js";

/**
 * A serializer built on superjson: keeps `Date`, `Map`, `Set`, `BigInt`, `RegExp`, `undefined`
 * and repeated references intact through storage.
 */
export class SuperJsonSerializer implements Serializer {
  forward(value: unknown): string {
    try {
      return superjson.stringify(value);
    } catch (error) {
      throw new ValidationError(
        `SuperJsonSerializer cannot encode this value: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  reverse(text: string): unknown {
    return superjson.parse(text);
  }
}
