import { randomBytes } from "node:crypto";

/**
 * A random id for one call of a script, sent as an argument. ioredis re-sends a call whose reply
 * was lost in a disconnect with the same arguments, so a script that remembers what a call id did
 * (a claim's leases, a take's values, an operator write's reply) answers the re-send like the first
 * run instead of from the state the first run left behind. 12 characters, 72 random bits.
 */
export function newCallId(): string {
  return randomBytes(9).toString("base64url");
}
