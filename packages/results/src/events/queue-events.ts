import { EventEmitter } from "node:events";
import {
  abortableSleep,
  createLogger,
  QUEUE_EVENT_TYPES,
  ValidationError,
  validateQueueName,
  type Backend,
  type QueueEvent,
  type QueueEventType,
} from "@alsek/core";

const log = createLogger("alsek.events");

/** Options of {@link QueueEvents}. */
export interface QueueEventsOptions {
  /** The queues whose events to read. */
  queues: readonly string[];
  /**
   * Where to start: `"now"` (events recorded after the reader started), `"oldest"` (every event
   * still kept), or the {@link QueueEvents.positions} of an earlier reader (per queue, the last
   * id it saw; queues missing from it start at `"now"`), to resume without losing any event
   * still kept.
   * @defaultValue `"now"`
   */
  from?: "now" | "oldest" | Readonly<Record<string, string>>;
  /**
   * How often to look for new events while none are waiting, in ms.
   * @defaultValue `100`
   */
  pollInterval?: number;
  /**
   * Most events read per queue per call.
   * @defaultValue `500`
   */
  batchSize?: number;
}

/** The events of a {@link QueueEvents}: one per {@link QueueEventType}, plus `event` (all of them) and `error`. */
export type QueueEventsEvents = { [K in QueueEventType]: [event: QueueEvent] } & {
  event: [event: QueueEvent];
  /** Reading failed (it is tried again after `pollInterval`). */
  error: [error: unknown];
};

/**
 * A live feed of what happens to the messages of some queues, across every process that uses the
 * backend: `submitted`, `started`, `progress`, `stalled`, `released`, `retried`, `succeeded`,
 * `failed`, `dead-lettered`, `revoked`, `removed`, each with the message's queue and uuid, attempt, time and error summary. Read it as an
 * EventEmitter (`on("failed", ...)`) or an async iterator (`for await (const event of events)`);
 * it reads the queues' event streams, which the backend records (option `events`) in the same
 * atomic step as each state change, so nothing is reported that did not happen, and nothing that
 * happened is missed while it is kept (up to the stream's `maxLength` per queue). A reader that
 * stops and comes back passes its {@link positions} as `from` and loses nothing in between.
 *
 * Reading starts with the first listener or iteration; {@link close} stops it. Within one queue
 * events come in the order they happened; across queues, in the order they were read.
 */
export class QueueEvents extends EventEmitter<QueueEventsEvents> implements AsyncIterable<QueueEvent> {
  /** The backend read from. */
  readonly backend: Backend;
  /** The queues read. */
  readonly queues: readonly string[];
  readonly #from: QueueEventsOptions["from"];
  readonly #pollInterval: number;
  readonly #batchSize: number;
  readonly #positions = new Map<string, string | null>();
  readonly #stop = new AbortController();
  #running: Promise<void> | null = null;
  #placed: () => void = () => {};
  /** Settles once every queue's starting position is fixed (see {@link ready}). */
  readonly #positioned = new Promise<void>((resolve) => {
    this.#placed = resolve;
  });

  /**
   * @throws ValidationError when the backend records no events (give it the `events` option), or
   *   for bad queues or options.
   */
  constructor(backend: Backend, options: QueueEventsOptions) {
    super();
    if (!backend.recordsEvents) {
      throw new ValidationError(
        "QueueEvents needs a backend that records events: create it with the `events` option, e.g. new RedisBackend(url, { events: true }).",
      );
    }
    if (!Array.isArray(options.queues) || options.queues.length === 0) {
      throw new ValidationError("QueueEvents: give at least one queue in `queues`.");
    }
    const pollInterval = options.pollInterval ?? 100;
    if (!(Number.isFinite(pollInterval) && pollInterval > 0)) {
      throw new ValidationError(`QueueEvents: \`pollInterval\` must be a positive number of ms, got ${String(pollInterval)}.`);
    }
    const batchSize = options.batchSize ?? 500;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 1_000) {
      throw new ValidationError(`QueueEvents: \`batchSize\` must be an integer from 1 to 1000, got ${String(batchSize)}.`);
    }
    this.backend = backend;
    this.queues = [...new Set(options.queues.map((queue) => validateQueueName(queue)))];
    this.#from = options.from ?? "now";
    this.#pollInterval = pollInterval;
    this.#batchSize = batchSize;
    // Reading starts with the first listener of an event (the typed events do not list Node's own).
    (this as EventEmitter).on("newListener", (name: string | symbol) => {
      if (name !== "newListener" && name !== "removeListener" && name !== "error") this.#start();
    });
  }

  /**
   * Per queue, the id of the last event delivered (queues that had none yet are left out). Keep
   * it and pass it as `from` to a new reader to resume after it.
   */
  get positions(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [queue, id] of this.#positions) if (id !== null) out[queue] = id;
    return out;
  }

  /**
   * Start reading (if no listener or iteration did yet) and resolve once the starting position of
   * every queue is fixed: with `from: "now"`, every event recorded after this resolves is delivered.
   */
  async ready(): Promise<void> {
    this.#start();
    await Promise.race([this.#positioned, this.#running]);
  }

  /** Stop reading; iterators end. Resolves once the last read finished. */
  async close(): Promise<void> {
    this.#stop.abort();
    await this.#running;
  }

  /** Every event of the queues, as they happen, until {@link close} or `break`. */
  async *[Symbol.asyncIterator](): AsyncIterator<QueueEvent> {
    const buffer: QueueEvent[] = [];
    let wake: (() => void) | null = null;
    const push = (event: QueueEvent): void => {
      buffer.push(event);
      wake?.();
    };
    const onStop = (): void => wake?.();
    this.on("event", push);
    this.#stop.signal.addEventListener("abort", onStop);
    try {
      for (;;) {
        const next = buffer.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (this.#stop.signal.aborted) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      this.off("event", push);
      this.#stop.signal.removeEventListener("abort", onStop);
    }
  }

  #start(): void {
    this.#running ??= this.#run().catch((error: unknown) => log.error("QueueEvents stopped reading", { error }));
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      let full = false;
      try {
        if (this.#positions.size === 0) {
          await this.#initPositions();
          this.#placed();
        }
        for (const queue of this.queues) {
          const events = await this.backend.readEvents(queue, { after: this.#positions.get(queue) ?? null, limit: this.#batchSize });
          if (events.length === this.#batchSize) full = true;
          for (const event of events) {
            if (signal.aborted) return;
            this.#positions.set(queue, event.id);
            this.#deliver(event);
          }
        }
      } catch (error) {
        if (this.listenerCount("error") > 0) this.emit("error", error);
        else log.warn("Could not read queue events; trying again", { error });
        full = false;
      }
      if (!full) await abortableSleep(this.#pollInterval, signal).catch(() => undefined);
    }
  }

  async #initPositions(): Promise<void> {
    const from = this.#from;
    const positions = await Promise.all(
      this.queues.map(async (queue): Promise<string | null> => {
        if (from === "oldest") return null;
        if (typeof from === "object" && typeof from[queue] === "string") return from[queue];
        return this.backend.lastEventId(queue);
      }),
    );
    for (const [i, queue] of this.queues.entries()) this.#positions.set(queue, positions[i] ?? null);
  }

  #deliver(event: QueueEvent): void {
    if (QUEUE_EVENT_TYPES.includes(event.type)) this.emit(event.type, event as never);
    this.emit("event", event);
  }
}
