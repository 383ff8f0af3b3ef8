// Reading a queue without changing it (one message, a dead letter, counts, the queue list) is for
// tools and tests rather than workers, so it stays apart from the queue writes.
import { validateQueueName } from "../backend/names.js";
import type { MessageRef, QueueCounts } from "../backend/types.js";
import type { MessageData } from "../messages/message-data.js";
import type { MemoryBackendState } from "./memory-backend-state.js";
import { decodeStoredMessage } from "../validation/decode-stored-message.js";
import { readLive } from "./stored-text.js";

/** The read-only queue queries of `MemoryBackend`; see the `Backend` contract for each method. */
export class MemoryQueueInspection {
  readonly #state: MemoryBackendState;

  constructor(state: MemoryBackendState) {
    this.#state = state;
  }

  /** The data of a message still in its queue, or `null`. @throws MessageDecodeError when it cannot be decoded. */
  async getMessage(ref: MessageRef): Promise<MessageData | null> {
    this.#state.assertOpen();
    const entry = this.#state.ns.queues.get(validateQueueName(ref.queue))?.entries.get(ref.uuid);
    if (entry === undefined) return null;
    const decoded = decodeStoredMessage(ref, entry.text, (text) => this.#state.decode(text));
    if (!decoded.ok) throw decoded.error;
    return decoded.data;
  }

  /** The data of a dead-lettered message, or `null`. */
  async getDeadLetter(ref: MessageRef): Promise<MessageData | null> {
    this.#state.assertOpen();
    const dead = this.#state.ns.queues.get(validateQueueName(ref.queue))?.deadLetters;
    const text = readLive(dead, ref.uuid, Date.now());
    return text === undefined ? null : (this.#state.decode(text) as MessageData);
  }

  /** How many messages `queue` holds in each state. */
  async countQueue(queue: string): Promise<QueueCounts> {
    this.#state.assertOpen();
    const state = this.#state.ns.queues.get(validateQueueName(queue));
    return state?.counts(Date.now()) ?? { ready: 0, delayed: 0, active: 0, dead: 0 };
  }

  /** Every queue that holds or held messages in this namespace, sorted. */
  async listQueues(): Promise<string[]> {
    this.#state.assertOpen();
    return [...this.#state.ns.queues.keys()].sort();
  }
}
