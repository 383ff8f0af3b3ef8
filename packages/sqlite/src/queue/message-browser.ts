// The inspection side of the queue tables: pages of one state's messages by cursor, one message
// wherever it is, and the operator's writes on single messages (ready now, delete dead letters).
// Each page is one indexed range query (`(key, uuid) > cursor ORDER BY ... LIMIT n + 1`), so its
// cost does not grow with the backlog.
import {
  encodeListingCursor,
  type ListedMessage,
  type ListingPosition,
  type ListMessagesRequest,
  type MessageData,
  type MessagePage,
  type MessageRef,
  type MessageState,
  type StoredMessage,
  type WriteOutcome,
} from "@alsek/core";
import type { Statement } from "better-sqlite3";
import type { SqliteContext } from "../database/sqlite-context.js";

const PRIORITY_FACTOR = 2 ** 32;

interface ListedRow {
  uuid: string;
  /** Ready: priority; others: the index time. */
  k1: number;
  /** Ready: seq; others: unused (0). */
  k2: number;
  data: string;
}

/** Per state: the table, its filter and the columns that order it. */
function shape(state: MessageState): { from: string; where: string; keys: string[] } {
  switch (state) {
    case "ready":
      return { from: "alsek_messages", where: "state = 'ready'", keys: ["priority", "seq"] };
    case "delayed":
    case "active":
      return { from: "alsek_messages", where: `state = '${state}'`, keys: ["due_at"] };
    case "dead":
      return { from: "alsek_dead_letters", where: "expires_at > @now", keys: ["expires_at"] };
  }
}

/** Reads pages of a queue's states and applies the operator's single-message writes. */
export class MessageBrowser {
  readonly #ctx: SqliteContext;
  readonly #pages = new Map<string, Statement>();
  readonly #s;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    this.#s = {
      findQueued: db.prepare(
        "SELECT state, due_at, data FROM alsek_messages WHERE ns = ? AND queue = ? AND uuid = ?",
      ),
      findDead: db.prepare(
        "SELECT expires_at, data FROM alsek_dead_letters WHERE ns = ? AND queue = ? AND uuid = ? AND expires_at > ?",
      ),
      readyNow: db.prepare(
        `UPDATE alsek_messages SET state = 'ready', due_at = NULL
         WHERE ns = ? AND queue = ? AND uuid = ? AND state = 'delayed'`,
      ),
      exists: db.prepare("SELECT 1 FROM alsek_messages WHERE ns = ? AND queue = ? AND uuid = ?"),
      deleteDead: db.prepare(
        "DELETE FROM alsek_dead_letters WHERE ns = ? AND queue = ? AND uuid = ? AND expires_at > ?",
      ),
      signal: db.prepare(
        `INSERT INTO alsek_signals (ns, queue, version) VALUES (?, ?, 1)
         ON CONFLICT (ns, queue) DO UPDATE SET version = version + 1`,
      ),
    };
  }

  /** One page of `queue`'s messages in `request.state`, after `position`. */
  list(queue: string, request: ListMessagesRequest, position: ListingPosition | null): MessagePage {
    const { state, order, limit } = request;
    const params: Record<string, unknown> = { ns: this.#ctx.ns, queue, now: this.#ctx.now(), limit: limit + 1 };
    if (position !== null) {
      if (state === "ready") {
        const priority = Math.floor(position.score / PRIORITY_FACTOR);
        Object.assign(params, { k1: priority, k2: position.score - priority * PRIORITY_FACTOR });
      } else {
        params.k1 = position.score;
      }
      params.uuid = position.uuid;
    }
    const rows = this.#page(state, order === "newest", position !== null).all(params) as ListedRow[];
    const more = rows.length > limit;
    const items: ListedMessage[] = rows.slice(0, limit).map((row) => {
      const score = state === "ready" ? row.k1 * PRIORITY_FACTOR + row.k2 : row.k1;
      return {
        data: this.#ctx.serializer.reverse(row.data) as MessageData,
        state,
        dueAt: state === "ready" ? null : row.k1,
        cursor: encodeListingCursor({ state, order, score, uuid: row.uuid }),
      };
    });
    return { items, nextCursor: more ? (items.at(-1)?.cursor ?? null) : null };
  }

  /** A message with its state, queued or dead-lettered, or `null`. */
  inspect(ref: MessageRef): StoredMessage | null {
    const { ns, serializer } = this.#ctx;
    const queued = this.#s.findQueued.get(ns, ref.queue, ref.uuid) as
      | { state: "ready" | "delayed" | "active"; due_at: number | null; data: string }
      | undefined;
    if (queued !== undefined) {
      const dueAt = queued.state === "ready" ? null : queued.due_at;
      return { data: serializer.reverse(queued.data) as MessageData, state: queued.state, dueAt };
    }
    const dead = this.#s.findDead.get(ns, ref.queue, ref.uuid, this.#ctx.now()) as
      | { expires_at: number; data: string }
      | undefined;
    if (dead === undefined) return null;
    return { data: serializer.reverse(dead.data) as MessageData, state: "dead", dueAt: dead.expires_at };
  }

  /** Make a delayed message ready now (it keeps its priority and arrival order). */
  readyNow(ref: MessageRef): WriteOutcome {
    const { ns } = this.#ctx;
    if (this.#s.readyNow.run(ns, ref.queue, ref.uuid).changes === 1) {
      this.#s.signal.run(ns, ref.queue);
      this.#ctx.touch(ref.queue);
      return "ok";
    }
    return this.#s.exists.get(ns, ref.queue, ref.uuid) === undefined ? "gone" : "lost";
  }

  /** Delete dead letters; returns how many existed (expired ones do not count). */
  deleteDeadLetters(queue: string, uuids: readonly string[]): number {
    const now = this.#ctx.now();
    let deleted = 0;
    for (const uuid of uuids) deleted += this.#s.deleteDead.run(this.#ctx.ns, queue, uuid, now).changes;
    return deleted;
  }

  #page(state: MessageState, newest: boolean, after: boolean): Statement {
    const name = `${state}:${newest}:${after}`;
    let statement = this.#pages.get(name);
    if (statement === undefined) {
      const { from, where, keys } = shape(state);
      const columns = [...keys, "uuid"];
      const cursorParams = keys.length === 2 ? ["@k1", "@k2", "@uuid"] : ["@k1", "@uuid"];
      const past = after ? `AND (${columns.join(", ")}) ${newest ? "<" : ">"} (${cursorParams.join(", ")})` : "";
      const direction = newest ? " DESC" : "";
      const select = keys.length === 2 ? `${keys[0]} AS k1, ${keys[1]} AS k2` : `${keys[0]} AS k1, 0 AS k2`;
      statement = this.#ctx.db.prepare(
        `SELECT uuid, ${select}, data FROM ${from}
         WHERE ns = @ns AND queue = @queue AND ${where} ${past}
         ORDER BY ${columns.map((c) => c + direction).join(", ")} LIMIT @limit`,
      );
      this.#pages.set(name, statement);
    }
    return statement;
  }
}
