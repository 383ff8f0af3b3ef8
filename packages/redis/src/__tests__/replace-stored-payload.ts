// The conformance suite's poison-message hook for RedisBackend: overwrite the data part of a
// stored message (`<16-digit ready score><data>`), keeping its score.
import type { Backend, MessageRef } from "@alsek/core";
import type { RedisBackend } from "../index.js";
import { KeyLayout } from "../keys/index.js";
import { STORED_SCORE_WIDTH as SCORE_WIDTH } from "../lua/script-constants.js";

/** Replace the stored data of `ref` with `payload`, as a producer writing bad data would. */
export async function replaceStoredRedisPayload(backend: Backend, ref: MessageRef, payload: string): Promise<void> {
  const client = (backend as RedisBackend).client;
  const key = new KeyLayout(backend.namespace).message(ref.queue, ref.uuid);
  const score = await client.getrange(key, 0, SCORE_WIDTH - 1);
  if (score === "") throw new Error(`No stored message ${ref.uuid} to replace.`);
  await client.set(key, score + payload);
}
