import type { MessageRef, ProgressWrite } from "../backend/types.js";
import type { ProgressUpdate, ProgressValue } from "./progress-update.js";

/** How long a message's progress is kept after its last write: 7 days, like statuses. */
export const PROGRESS_TTL = 7 * 24 * 3_600_000;

/**
 * The keyed-value key of a message's progress (`progress:{<queue>}:<uuid>`): the braces keep it in
 * its queue's Redis Cluster slot, beside the message it belongs to.
 */
export function progressKey(ref: MessageRef): string {
  return `progress:{${ref.queue}}:${ref.uuid}`;
}

/** The channel (inside the namespace) on which a message's progress updates are published; same as its key. */
export function progressChannel(ref: MessageRef): string {
  return progressKey(ref);
}

/** The write of `value` as the progress of attempt `attempt` of `ref`, for {@link Backend.setProgress}. */
export function progressWrite(ref: MessageRef, value: ProgressValue, attempt: number, now = Date.now()): ProgressWrite {
  const update: ProgressUpdate = { value, attempt, updatedAt: now };
  return { key: progressKey(ref), value: update, ttlMs: PROGRESS_TTL, channel: progressChannel(ref), attempt };
}
