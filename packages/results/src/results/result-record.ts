/** A result with its metadata, as `get(message, { withMetadata: true })` returns it. */
export interface ResultRecord<T = unknown> {
  /** What the task returned. */
  result: T;
  /** When the result was stored, epoch ms on the writer's clock. */
  timestamp: number;
  /** The uuid of the message that produced it (a descendant's own uuid under `descendants`). */
  uuid: string;
}

/** The stored form of a result: the value and when it was written, as in the original. */
interface StoredEnvelope {
  result: unknown;
  timestamp: number;
}

/** @internal */
export function encodeResult(result: unknown, timestamp: number): StoredEnvelope {
  return { result, timestamp };
}

/**
 * Read a stored value back. A value that is not an envelope (stored by something other than a
 * `ResultStore`) is taken as the result itself, with no timestamp.
 * @internal
 */
export function decodeResult(uuid: string, value: unknown): ResultRecord {
  if (typeof value === "object" && value !== null && "timestamp" in value) {
    const envelope = value as Partial<StoredEnvelope>;
    if (typeof envelope.timestamp === "number") {
      return { result: envelope.result, timestamp: envelope.timestamp, uuid };
    }
  }
  return { result: value, timestamp: 0, uuid };
}
