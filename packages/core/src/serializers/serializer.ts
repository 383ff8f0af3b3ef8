/**
 * Turns values into text for storage and back. Backends take one in their constructor and use it
 * for message data, results, statuses and every other stored value.
 *
 * Implement it to store values another way; `reverse(forward(v))` must give back an equivalent value.
 */
export interface Serializer {
  /** Encode a value as text. Throws on values the format cannot represent. */
  forward(value: unknown): string;
  /** Decode text written by `forward`. */
  reverse(text: string): unknown;
}
