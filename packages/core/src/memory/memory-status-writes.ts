// Status writes are guarded transitions (a status never moves backwards); the queue operations
// apply them with a submit or a release, the value operations on their own. Both go through here.
import type { StatusWrite } from "../backend/types.js";
import { requireStatusWrite } from "../validation/backend-argument-rules.js";
import type { MemoryBackendState } from "./memory-backend-state.js";

/** A validated, encoded status write. */
export interface PreparedStatus {
  key: string;
  text: string;
  rank: number;
  ttlMs: number | null;
  channel: string | null;
}

/** Validates and encodes `write`, so a bad one fails before anything changes. */
export function prepareStatus(state: MemoryBackendState, write: StatusWrite): PreparedStatus {
  requireStatusWrite(write);
  return { key: write.key, text: state.encode(write.value), rank: write.rank, ttlMs: write.ttlMs, channel: write.channel };
}

/**
 * Stores the status (guarded unless `force`) and publishes it when it applied. True also when the
 * stored status is already this very write (nothing is published again), as the Redis backend
 * answers a re-sent write.
 */
export function applyStatus(state: MemoryBackendState, status: PreparedStatus, force: boolean, now: number): boolean {
  const result = state.ns.values.setStatus(status.key, status.text, status.rank, status.ttlMs, force, now);
  if (result !== "written") return result === "same";
  if (status.channel !== null) state.publishText(status.channel, status.text);
  return true;
}
