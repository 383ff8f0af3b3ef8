// Reading a queue's event stream (`events` key in the queue's slot, written by the state-change
// scripts with XADD ... MAXLEN ~).
import {
  requireReadEventsRequest,
  validateQueueName,
  type ProgressUpdate,
  type QueueEvent,
  type QueueEventType,
  type ReadEventsRequest,
} from "@alsek/core";
import type { BackendConnection } from "./backend-connection.js";

type StreamEntry = [id: string, fields: string[]];

/** `RedisBackend.readEvents` and `lastEventId`; see the `Backend` contract. */
export class EventOperations {
  readonly #connection: BackendConnection;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  /** Events of `queue` after `request.after` (XRANGE with an exclusive start). */
  async readEvents(queue: string, request: ReadEventsRequest): Promise<QueueEvent[]> {
    validateQueueName(queue);
    const { after, limit } = requireReadEventsRequest(request);
    const connection = this.#connection;
    const key = connection.keys.events(queue);
    return connection.guard("readEvents", async () => {
      const start = after === null ? "-" : `(${after.includes("-") ? after : `${after}-0`}`;
      const entries = (await connection.get().client.call("XRANGE", key, start, "+", "COUNT", limit)) as StreamEntry[];
      return entries.map((entry) => this.#decode(queue, entry));
    });
  }

  /** The id of `queue`'s newest event, or `null`. */
  async lastEventId(queue: string): Promise<string | null> {
    validateQueueName(queue);
    const connection = this.#connection;
    const key = connection.keys.events(queue);
    return connection.guard("lastEventId", async () => {
      const entries = (await connection.get().client.call("XREVRANGE", key, "+", "-", "COUNT", 1)) as StreamEntry[];
      return entries[0]?.[0] ?? null;
    });
  }

  #decode(queue: string, [id, fields]: StreamEntry): QueueEvent {
    const field = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) field.set(fields[i]!, fields[i + 1]!);
    const errorName = field.get("e");
    const readyAt = field.get("r");
    const progress = field.get("p");
    return {
      id,
      type: field.get("t") as QueueEventType,
      queue,
      uuid: field.get("u") ?? "",
      attempt: Number(field.get("a") ?? 0),
      at: Number(id.slice(0, id.indexOf("-"))),
      error: errorName === undefined ? null : { name: errorName, message: field.get("m") ?? "" },
      readyAt: readyAt === undefined ? null : Number(readyAt),
      progress: progress === undefined ? null : (this.#connection.serializer.reverse(progress) as ProgressUpdate),
    };
  }
}
