import { ValidationError, WaitTimeoutError, resultChannel } from "@alsek/core";
import type { Backend, MessageRef, ResultSink, ResultWrite, StoredResult } from "@alsek/core";
import { ResultNotFoundError } from "../errors/index.js";
import { describeMessage } from "../messages/index.js";
import type { MessageLike } from "../messages/index.js";
import { ChannelWatch, deadlineFrom } from "../waiting/index.js";
import { decodeResult, encodeResult } from "./result-record.js";
import type { ResultRecord } from "./result-record.js";
import type { ResultShape } from "./result-shape.js";

/** Options of {@link ResultStore}. */
export interface ResultStoreOptions {
  /**
   * How often a waiting `get` re-reads on a backend without cross-process pub/sub, in ms. With
   * pub/sub it wakes on each result notice instead (and re-reads every 5 s only in case a notice
   * was lost).
   * @defaultValue `100`
   */
  pollInterval?: number;
}

/** Options of {@link ResultStore.get}. */
export interface GetResultOptions {
  /**
   * How long to wait for the result, in ms: `0` does not wait (a missing result throws
   * `ResultNotFoundError`), `null` waits forever.
   * @defaultValue `0`
   */
  timeout?: number | null;
  /**
   * Keep the result stored after reading it. By default results are read once: reading deletes.
   * @defaultValue `false`
   */
  keep?: boolean;
  /**
   * Return every result of the message's family (its callback chain, or a trigger's fires), oldest
   * write first, instead of its own. With a `timeout`, waits until the whole callback chain has
   * results, or, for a message without callbacks (a trigger), until at least one exists.
   * @defaultValue `false`
   */
  descendants?: boolean;
  /**
   * Return `{ result, timestamp, uuid }` records instead of bare results.
   * @defaultValue `false`
   */
  withMetadata?: boolean;
  /** Stops waiting early: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of {@link ResultStore.waitFor}. */
export interface WaitForResultOptions {
  /**
   * How long to wait, in ms; `null` waits forever.
   * @defaultValue `null`
   */
  timeout?: number | null;
  /**
   * Wait for the family's results rather than the message's own (see {@link GetResultOptions.descendants}).
   * @defaultValue `false`
   */
  descendants?: boolean;
  /** Stops waiting early: the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link ResultStore.exists}. */
export interface ResultExistsOptions {
  /**
   * Ask about the family's results (see {@link GetResultOptions.descendants}).
   * @defaultValue `false`
   */
  descendants?: boolean;
}

/** Options of {@link ResultStore.delete}. */
export interface DeleteResultOptions {
  /**
   * Delete the results of the message's family too.
   * @defaultValue `true`
   */
  descendants?: boolean;
}

/** The refs of a message's family, and which of them must all have results before it is complete. */
interface Family {
  refs: MessageRef[];
  /** `null`: complete as soon as any ref has a result (a trigger's fires are open-ended). */
  required: MessageRef[] | null;
}

const PUBSUB_RECHECK_MS = 5_000;

/**
 * Stores task results (give it to a task as its `resultStore` option) and reads them back. The
 * lifecycle stores a result atomically with the message's acknowledgement; its expiry is the
 * message's `resultTtl`. Reading works from any process with just a backend.
 */
export class ResultStore implements ResultSink {
  /** The backend the results are stored on. */
  readonly backend: Backend;
  #pollInterval: number;

  constructor(backend: Backend, options: ResultStoreOptions = {}) {
    const pollInterval = options.pollInterval ?? 100;
    if (!(Number.isFinite(pollInterval) && pollInterval > 0)) {
      throw new ValidationError(`Invalid pollInterval ${String(pollInterval)}: give a positive number of ms.`);
    }
    this.backend = backend;
    this.#pollInterval = pollInterval;
  }

  /** The stored form of `result` for `message` (called by the lifecycle before `ack`). */
  prepare(message: MessageLike, result: unknown): ResultWrite {
    return {
      value: encodeResult(result),
      ttlMs: message.resultTtl ?? null,
      progenitorUuid: message.progenitorUuid ?? null,
    };
  }

  /** Store `result` for `message` outside of the lifecycle (overwrites an existing one). */
  async set(message: MessageLike, result: unknown): Promise<void> {
    await this.backend.setResult(refOf(message), this.prepare(message, result));
  }

  /** Whether `message`'s result (or, with `descendants`, its complete family's) is stored. */
  async exists(message: MessageLike, options: ResultExistsOptions = {}): Promise<boolean> {
    return (await this.#probe(message, options.descendants === true, true)) !== null;
  }

  /**
   * Wait until `message`'s result (or its family's) is stored, without reading it.
   * @throws WaitTimeoutError after `timeout` ms.
   */
  async waitFor(message: MessageLike, options: WaitForResultOptions = {}): Promise<void> {
    const descendants = options.descendants === true;
    const deadline = deadlineFrom(options.timeout === undefined ? null : options.timeout, "timeout");
    await this.#waitUntil(message, deadline, options.signal, () => this.#probe(message, descendants, true));
  }

  /**
   * Read `message`'s result. Deletes it unless `keep: true`. Typed by the message: a message from
   * `task.generate()` gives what its task returns (`descendants: true`: its family's results,
   * `withMetadata: true`: `ResultRecord`s); an untyped message (read back, plain data) gives
   * `unknown`.
   * @throws ResultNotFoundError when there is none and `timeout` is `0`.
   * @throws WaitTimeoutError when none arrived within `timeout` ms.
   */
  get<M extends MessageLike, const O extends GetResultOptions = Record<never, never>>(
    message: M,
    options?: O,
  ): Promise<ResultShape<M, O>>;
  async get(message: MessageLike, options: GetResultOptions = {}): Promise<unknown> {
    const descendants = options.descendants === true;
    const keep = options.keep === true;
    const timeout = options.timeout === undefined ? 0 : options.timeout;
    const deadline = deadlineFrom(timeout, "timeout");
    const read = (): Promise<ResultRecord[] | null> => this.#probe(message, descendants, keep);
    let records = await read();
    if (records === null) {
      if (timeout === 0) {
        throw new ResultNotFoundError(
          `No result for ${describeMessage(message)}: it has not finished, was already read (pass keep: true to read twice), or expired. Pass a timeout to wait for it.`,
        );
      }
      records = await this.#waitUntil(message, deadline, options.signal, read);
    }
    const shaped = options.withMetadata === true ? records : records.map((record) => record.result);
    return descendants ? shaped : shaped[0];
  }

  /** Delete `message`'s result (and, unless `descendants: false`, its family's). Returns how many existed. */
  async delete(message: MessageLike, options: DeleteResultOptions = {}): Promise<number> {
    const refs = options.descendants === false ? [refOf(message)] : (await this.#family(message)).refs;
    return this.backend.deleteResults(refs);
  }

  /**
   * One look at the stored results: the records (oldest write first) when the message's result,
   * or its complete family's, is there; `null` otherwise. Deletes what it returns unless `keep`.
   */
  async #probe(message: MessageLike, descendants: boolean, keep: boolean): Promise<ResultRecord[] | null> {
    if (!descendants) {
      const [stored] = await this.backend.getResults([refOf(message)], { keep });
      return stored ? [decodeResult(stored.uuid, stored.value).record] : null;
    }
    const family = await this.#family(message);
    const peeked = await this.backend.getResults(family.refs, { keep: true });
    const present = family.refs.filter((_, i) => peeked[i] !== null);
    const complete =
      family.required === null
        ? present.length > 0
        : family.required.every((ref) => present.some((p) => sameRef(p, ref)));
    if (!complete) return null;
    // Read-once: take what is there now in one atomic read-and-delete, so two readers never
    // both get the same result.
    const stored = keep ? peeked : await this.backend.getResults(present, { keep: false });
    const decoded = stored.filter((s): s is StoredResult => s !== null).map((s) => decodeResult(s.uuid, s.value));
    if (decoded.length === 0) return null;
    // By the writers' clocks, to the microsecond. The sort is stable, so ties keep the family's
    // order: own result, the chain, then the backend's index (write order on its own clock).
    return decoded.sort((a, b) => a.writtenAt - b.writtenAt).map((d) => d.record);
  }

  /**
   * The message, its callback chain (exact refs, whatever their queues) and the results indexed
   * under it as progenitor (a trigger's fires, same queue).
   */
  async #family(message: MessageLike): Promise<Family> {
    const own = refOf(message);
    const chain: MessageRef[] = [];
    for (let data = message.callbackMessageData ?? null; data !== null; data = data.callbackMessageData) {
      chain.push({ queue: data.queue, uuid: data.uuid });
    }
    const indexed = (await this.backend.descendantResults(message.queue, message.uuid)).map((uuid) => ({
      queue: message.queue,
      uuid,
    }));
    const refs: MessageRef[] = [];
    for (const ref of [own, ...chain, ...indexed]) if (!refs.some((r) => sameRef(r, ref))) refs.push(ref);
    return { refs, required: chain.length > 0 ? [own, ...chain] : null };
  }

  async #waitUntil<T>(
    message: MessageLike,
    deadline: number,
    signal: AbortSignal | undefined,
    attempt: () => Promise<T | null>,
  ): Promise<T> {
    // Subscribe before the first look so that a result stored in between still wakes us.
    const watch = await ChannelWatch.open(this.backend, resultChannel(message.progenitorUuid ?? message.uuid), {
      recheckInterval: this.backend.supportsPubSub ? PUBSUB_RECHECK_MS : this.#pollInterval,
      pollInterval: this.#pollInterval,
    });
    try {
      for (;;) {
        const outcome = await attempt();
        if (outcome !== null) return outcome;
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        await watch.wait(remaining, signal);
        watch.take();
      }
    } finally {
      await watch.close();
    }
    throw new WaitTimeoutError(
      `Timed out waiting for the result of ${describeMessage(message)}. Raise the timeout, or check that a pool consumes queue '${message.queue}' and that its task has a resultStore.`,
    );
  }
}

function refOf(message: MessageLike): MessageRef {
  return { queue: message.queue, uuid: message.uuid };
}

function sameRef(a: MessageRef, b: MessageRef): boolean {
  return a.queue === b.queue && a.uuid === b.uuid;
}
