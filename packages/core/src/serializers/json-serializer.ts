import { ValidationError } from "../errors/index.js";
import type { Serializer } from "./serializer.js";

/**
 * The default serializer: plain JSON. `Date` becomes an ISO string, `undefined` object fields are
 * dropped, `Map`/`Set` become `{}`; use {@link SuperJsonSerializer} to keep those types.
 */
export class JsonSerializer implements Serializer {
  forward(value: unknown): string {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw new ValidationError(
        `JsonSerializer cannot encode this value: ${(error as Error).message}. ` +
          "Pass JSON-compatible data, or give the backend a SuperJsonSerializer.",
        { cause: error },
      );
    }
    // JSON.stringify(undefined) (and of a bare function or symbol) yields undefined.
    return text ?? "null";
  }

  reverse(text: string): unknown {
    return JSON.parse(text);
  }
}
