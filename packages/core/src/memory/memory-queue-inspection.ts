// Reading a queue without changing it (one message, a dead letter, counts, the queue list) is for
// tools and tests rather than workers, so it stays apart from the queue writes.
import { validateListMessagesRequest, validateMessageUuid, validateThroughputMinutes } from "../validation/inspection-rules.js";
import type { ListMessagesRequest, MessagePage, StoredMessage, ThroughputMinute } from "../backend/inspection-types.js";
import { validateQueueName } from "../validation/name-rules.js";
import type { MessageRef, QueueCounts } from "../backend/types.js";
import type { MessageData } from "../messages/message-data.js";
import type { MemoryBackendState } from "./memory-backend-state.js";
import { decodeStoredMessage } from "../validation/decode-stored-message.js";
import { listPage, locateEntry } from "./memory-message-listing.js";
import { MemoryThroughput } from "./memory-throughput.js";
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

  /** One page of a queue's messages in one state. */
  async listMessages(queue: string, request: ListMessagesRequest): Promise<MessagePage> {
    this.#state.assertOpen();
    validateQueueName(queue);
    const position = validateListMessagesRequest(request);
    const decode = (text: string): MessageData => this.#state.decode(text) as MessageData;
    return listPage(this.#state.ns.queues.get(queue), request, position, decode, Date.now());
  }

  /** A message with its state, queued or dead-lettered, or `null`. */
  async inspectMessage(ref: MessageRef): Promise<StoredMessage | null> {
    this.#state.assertOpen();
    validateQueueName(ref.queue);
    validateMessageUuid(ref.uuid);
    const queue = this.#state.ns.queues.get(ref.queue);
    const found = queue === undefined ? null : locateEntry(queue, ref.uuid, Date.now());
    if (found === null) return null;
    return { data: this.#state.decode(found.text) as MessageData, state: found.state, dueAt: found.dueAt };
  }

  /** Acks and failures per minute of one queue. */
  async throughput(queue: string, minutes: number): Promise<ThroughputMinute[]> {
    this.#state.assertOpen();
    validateQueueName(queue);
    validateThroughputMinutes(minutes);
    const counters = this.#state.ns.queues.get(queue)?.throughput ?? new MemoryThroughput();
    return counters.read(minutes, Date.now());
  }
}
