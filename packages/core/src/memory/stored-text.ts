/** A value kept as serialized text, with an optional expiry (epoch ms). */
export interface StoredText {
  text: string;
  expiresAt: number | null;
  /** Rank of a status written by `setStatus` (absent for plain values). */
  rank?: number;
}

/** Whether a stored value is past its expiry at `now`. */
export function isExpired(stored: StoredText, now: number): boolean {
  return stored.expiresAt !== null && stored.expiresAt <= now;
}

/** The text stored under `key` if it has not expired; an expired entry is deleted on the way. */
export function readLive(map: Map<string, StoredText> | undefined, key: string, now: number): string | undefined {
  const stored = map?.get(key);
  if (stored === undefined) return undefined;
  if (isExpired(stored, now)) {
    map?.delete(key);
    return undefined;
  }
  return stored.text;
}
