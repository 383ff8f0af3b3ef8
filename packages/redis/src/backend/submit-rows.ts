// Both submitting and forwarding a callback out of an outbox add encoded messages to a queue with
// the same script; this is that one call.
import type { BackendConnection } from "./backend-connection.js";
import { NO_STATUS, type StatusArguments } from "./status-arguments.js";

/** A message ready for the submit script: validated, with its data encoded. */
export interface SubmitRow {
  uuid: string;
  priority: number;
  readyAt: number;
  data: string;
  /** The message's first status, written when the submit creates it. */
  status?: StatusArguments;
  /** The message's `retries`, for its `submitted` event (only sent when events are recorded). */
  attempt?: number;
}

/**
 * Adds `rows` to `queue` in one script call (idempotent by uuid) and wakes its watchers.
 * @returns one code per row: 0 created, 1 duplicate, 2 conflict.
 */
export async function submitRows(
  connection: BackendConnection,
  queue: string,
  rows: readonly SubmitRow[],
): Promise<number[]> {
  const conn = connection.get();
  const keys = connection.keys;
  const withStatus = rows.some((row) => row.status !== undefined);
  const events = connection.eventLength;
  const args: (string | number)[] = [keys.queuePrefix(queue), keys.wakeChannel(queue), queue, withStatus ? "1" : "0", events];
  // Due by this clock: "ready now" (0), so the script reads no server time for it. A producer
  // clock behind Redis's cannot hold back an undelayed message either way; one ahead of it no
  // longer parks an undelayed message in delayed for the skew.
  const now = Date.now();
  for (const row of rows) {
    args.push(row.uuid, row.priority, row.readyAt <= now ? 0 : row.readyAt, row.data);
    if (withStatus) args.push(...(row.status ?? NO_STATUS));
    if (events > 0) args.push(row.attempt ?? 0);
  }
  const scriptKeys = [keys.ready(queue), keys.delayed(queue), keys.seq(queue)];
  if (!conn.cluster) scriptKeys.push(keys.queues());
  return (await conn.scripts.run("submit", scriptKeys, args)) as number[];
}
