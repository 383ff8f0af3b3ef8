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

/** The last write time this process gave out (see {@link encodeResult}). */
let lastWrittenAt = 0;

/**
 * The envelope of a result written now. `timestamp` is the wall clock (`Date.now()`), as a
 * reader compares it with its own. `writtenAt` orders results that share a millisecond: the wall
 * clock plus a thousandth of a ms per earlier write of this process in that millisecond. (It
 * used to be `performance.timeOrigin + performance.now()`, a monotonic clock that drifts from the
 * wall clock over a process's life: CI saw results stamped 6–10 ms in the future.)
 * @internal
 */
export function encodeResult(result: unknown): StoredEnvelope {
  const now = Date.now();
  const writtenAt = Math.max(now, lastWrittenAt + 0.001);
  lastWrittenAt = writtenAt;
  return { result, timestamp: now, writtenAt };
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
