/** A result with its metadata, as `get(message, { withMetadata: true })` returns it. */
export interface ResultRecord<T = unknown> {
  /** What the task returned. */
  result: T;
  /** When the result was stored, epoch ms on the writer's clock. */
  timestamp: number;
  /** The uuid of the message that produced it (a descendant's own uuid under `descendants`). */
  uuid: string;
}

/**
 * The stored form of a result: the value and when it was written (epoch ms, as in the original),
 * plus the same instant to the microsecond, which orders results written within one millisecond.
 */
interface StoredEnvelope {
  result: unknown;
  timestamp: number;
  writtenAt?: number;
}

/** A result decoded together with its precise write time, for ordering. @internal */
export interface DecodedResult {
  record: ResultRecord;
  writtenAt: number;
}

/** @internal */
export function encodeResult(result: unknown): StoredEnvelope {
  const writtenAt = performance.timeOrigin + performance.now();
  return { result, timestamp: Math.floor(writtenAt), writtenAt };
}

/**
 * Read a stored value back. A value that is not an envelope (stored by something other than a
 * `ResultStore`) is taken as the result itself, with no timestamp.
 * @internal
 */
export function decodeResult(uuid: string, value: unknown): DecodedResult {
  if (typeof value === "object" && value !== null && "timestamp" in value) {
    const envelope = value as Partial<StoredEnvelope>;
    if (typeof envelope.timestamp === "number") {
      const writtenAt = typeof envelope.writtenAt === "number" ? envelope.writtenAt : envelope.timestamp;
      return { record: { result: envelope.result, timestamp: envelope.timestamp, uuid }, writtenAt };
    }
  }
  return { record: { result: value, timestamp: 0, uuid }, writtenAt: 0 };
}
