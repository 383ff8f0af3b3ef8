// Status writes are guarded transitions done in scripts: alone (set-status), with the submit that
// creates a message, or with a release. All three take a status as the same run of arguments.
import { requireStatusKeyAndRank, ValidationError, type StatusWrite } from "@alsek/core";
import { STATUS_HEAD_WIDTH, STATUS_MARK, STATUS_RANK_WIDTH as RANK_WIDTH } from "../lua/script-constants.js";
import type { BackendConnection } from "./backend-connection.js";
import { ttlArgument } from "./validation.js";

/** A status write as the scripts take it: key, rank, serialized value, ttl, channel. */
export type StatusArguments = [key: string, rank: string, payload: string, ttlMs: number, channel: string];

/** The arguments of no status, for scripts that take one optionally. */
export const NO_STATUS: StatusArguments = ["", "", "", 0, ""];

/**
 * The script arguments of `write`. A status written with a message (`queue` given) must be in the
 * queue's Cluster slot: its key must carry `{<queue>}` as hash tag.
 * @throws ValidationError for a bad rank or ttl, or a key outside the queue's slot on a Cluster.
 */
export function statusArguments(connection: BackendConnection, write: StatusWrite, queue?: string): StatusArguments {
  requireStatusKeyAndRank(write);
  const key = connection.keys.value(write.key);
  if (queue !== undefined && connection.get().cluster && hashTag(key) !== queue) {
    throw new ValidationError(
      `Status key '${write.key}' is not in the Cluster slot of queue '${queue}', so it cannot be written with the message: ` +
        `put the queue in braces in the key (StatusTracker keys are status:{<queue>}:<uuid>).`,
    );
  }
  return [
    key,
    String(write.rank).padStart(RANK_WIDTH, "0"),
    connection.serializer.forward(write.value),
    ttlArgument("status ttlMs", write.ttlMs),
    write.channel === null ? "" : connection.keys.channel(write.channel),
  ];
}

/** The stored text of a keyed value without a status' mark and rank. */
export function withoutStatusHead(raw: string): string {
  return raw.startsWith(STATUS_MARK) ? raw.slice(STATUS_HEAD_WIDTH) : raw;
}

/** What Redis Cluster hashes a key by: the first non-empty `{...}`, else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf("{");
  if (open === -1) return key;
  const close = key.indexOf("}", open + 1);
  return close === -1 || close === open + 1 ? key : key.slice(open + 1, close);
}
