// Reading a queue (one message, a dead letter, counts, pages of a state, throughput) and the
// operator's single-message writes (ready now, delete dead letters) are for tools and tests rather
// than workers, so they stay apart from the hot queue writes.
import {
  encodeListingCursor,
  validateListMessagesRequest,
  validateQueueName,
  validateThroughputMinutes,
  type ListedMessage,
  type ListMessagesRequest,
  type MessageData,
  type MessagePage,
  type MessageRef,
  type MessageState,
  type QueueCounts,
  type StoredMessage,
  type ThroughputMinute,
  type WriteOutcome,
} from "@alsek/core";
import type { BackendConnection } from "./backend-connection.js";
import { STORED_SCORE_WIDTH as SCORE_WIDTH } from "../lua/script-constants.js";
import { decodeStoredValue } from "./stored-value-decoding.js";
import { validateRef, validateUuid } from "./validation.js";
import { newCallId } from "./call-id.js";

const MINUTE_MS = 60_000;
/** Dead letters per delete script call: bounds how long one call blocks the server. */
const DEAD_LETTERS_PER_CALL = 500;

/** The read-only queue queries of `RedisBackend`; see the `Backend` contract for each method. */
export class QueueInspection {
  readonly #connection: BackendConnection;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  /** The data of a message still in its queue, or `null`. @throws MessageDecodeError when it cannot be decoded. */
  async getMessage(ref: MessageRef): Promise<MessageData | null> {
    validateRef(ref);
    const connection = this.#connection;
    return connection.guard("getMessage", async () => {
      const raw = await connection.get().client.get(connection.keys.message(ref.queue, ref.uuid));
      if (raw === null) return null;
      const decoded = decodeStoredValue(raw, ref, connection.serializer);
      if (!decoded.ok) throw decoded.error;
      return decoded.data;
    });
  }

  /** The data of a dead-lettered message, or `null`. */
  async getDeadLetter(ref: MessageRef): Promise<MessageData | null> {
    validateRef(ref);
    const connection = this.#connection;
    return connection.guard("getDeadLetter", async () => {
      const raw = await connection.get().client.get(connection.keys.deadLetter(ref.queue, ref.uuid));
      return raw === null ? null : connection.decodeMessage(raw, ref);
    });
  }

  /** How many messages `queue` holds in each state. */
  async countQueue(queue: string): Promise<QueueCounts> {
    validateQueueName(queue);
    const connection = this.#connection;
    const keys = [...connection.queueKeys(queue), connection.keys.dead(queue), connection.keys.wait(queue)];
    return connection.guard("countQueue", async () => {
      const [ready, delayed, active, dead] = (await connection.get().scripts.run("count-queue", keys, [])) as number[];
      return { ready: ready ?? 0, delayed: delayed ?? 0, active: active ?? 0, dead: dead ?? 0 };
    });
  }

  /** Every queue ever submitted to in this namespace, sorted. */
  async listQueues(): Promise<string[]> {
    const connection = this.#connection;
    return connection.guard("listQueues", async () =>
      (await connection.get().client.smembers(connection.keys.queues())).sort(),
    );
  }

  /** One page of a queue's messages in one state, by cursor position (see list-messages.lua). */
  async listMessages(queue: string, request: ListMessagesRequest): Promise<MessagePage> {
    validateQueueName(queue);
    const position = validateListMessagesRequest(request);
    const { state, order, limit } = request;
    const connection = this.#connection;
    const keys = connection.keys;
    // Ready messages are in two indexes, merged by the script: the zset and the wait list.
    const indexes =
      state === "dead"
        ? [keys.dead(queue)]
        : state === "ready"
          ? [keys.ready(queue), keys.wait(queue)]
          : state === "delayed"
            ? [keys.delayed(queue)]
            : [keys.active(queue)];
    const args = [
      keys.queuePrefix(queue),
      state === "dead" ? "dead" : "queued",
      order === "newest" ? "desc" : "asc",
      limit,
      position === null ? "0" : "1",
      position?.score ?? 0,
      position?.uuid ?? "",
    ];
    return connection.guard("listMessages", async () => {
      const reply = (await connection.get().scripts.run("list-messages", indexes, args)) as unknown[];
      const items: ListedMessage[] = [];
      let lastCursor: string | null = null;
      for (let i = 1; i + 2 < reply.length; i += 3) {
        const uuid = String(reply[i]);
        const score = Number(reply[i + 1]);
        lastCursor = encodeListingCursor({ state, order, score, uuid });
        const stored = reply[i + 2];
        // An entry whose data vanished (an expired dead letter) is skipped, but the walk moves past it.
        if (typeof stored !== "string") continue;
        items.push({
          data: this.#decode(state, stored, { queue, uuid }),
          state,
          dueAt: state === "ready" ? null : score,
          cursor: lastCursor,
        });
      }
      return { items, nextCursor: Number(reply[0]) === 1 ? lastCursor : null };
    });
  }

  /** A message with its state, queued or dead-lettered, or `null`. */
  async inspectMessage(ref: MessageRef): Promise<StoredMessage | null> {
    validateRef(ref);
    const connection = this.#connection;
    const keys = connection.keys;
    const scriptKeys = [keys.delayed(ref.queue), keys.active(ref.queue), keys.dead(ref.queue)];
    return connection.guard("inspectMessage", async () => {
      const reply = (await connection
        .get()
        .scripts.run("inspect-message", scriptKeys, [keys.queuePrefix(ref.queue), ref.uuid])) as unknown[];
      if (reply.length < 3) return null;
      const state = String(reply[0]) as MessageState;
      const at = String(reply[2]);
      return { data: this.#decode(state, String(reply[1]), ref), state, dueAt: at === "" ? null : Number(at) };
    });
  }

  /** Make a delayed message ready now. */
  async readyNow(ref: MessageRef): Promise<WriteOutcome> {
    validateRef(ref);
    const connection = this.#connection;
    const keys = connection.keys;
    const args = [keys.queuePrefix(ref.queue), keys.wakeChannel(ref.queue), ref.uuid, newCallId()];
    return connection.guard(
      "readyNow",
      async () =>
        (await connection.get().scripts.run("ready-now", [keys.ready(ref.queue), keys.delayed(ref.queue)], args)) as WriteOutcome,
    );
  }

  /** Delete dead letters of one queue; returns how many existed. */
  async deleteDeadLetters(queue: string, uuids: readonly string[]): Promise<number> {
    validateQueueName(queue);
    uuids.forEach(validateUuid);
    if (uuids.length === 0) return 0;
    const connection = this.#connection;
    const keys = connection.keys;
    return connection.guard("deleteDeadLetters", async () => {
      let deleted = 0;
      for (let start = 0; start < uuids.length; start += DEAD_LETTERS_PER_CALL) {
        const chunk = uuids.slice(start, start + DEAD_LETTERS_PER_CALL);
        deleted += Number(
          await connection.get().scripts.run("delete-dead-letters", [keys.dead(queue)], [keys.queuePrefix(queue), newCallId(), ...chunk]),
        );
      }
      return deleted;
    });
  }

  /** Acks and failures of one queue per minute, on server time. */
  async throughput(queue: string, minutes: number): Promise<ThroughputMinute[]> {
    validateQueueName(queue);
    validateThroughputMinutes(minutes);
    const connection = this.#connection;
    const keys = connection.keys;
    return connection.guard("throughput", async () => {
      const reply = (await connection
        .get()
        .scripts.run("throughput", [keys.ready(queue)], [keys.queuePrefix(queue), minutes])) as unknown[];
      const current = Number(reply[0]);
      const out: ThroughputMinute[] = [];
      for (let n = 0; n < minutes; n++) {
        out.push({
          minute: (current - minutes + 1 + n) * MINUTE_MS,
          completed: Number(reply[1 + n * 2]),
          failed: Number(reply[2 + n * 2]),
        });
      }
      return out;
    });
  }

  #decode(state: MessageState, stored: string, ref: MessageRef): MessageData {
    return this.#connection.decodeMessage(state === "dead" ? stored : stored.slice(SCORE_WIDTH), ref);
  }
}
