import { ValidationError } from "@alsek/core";
import { ResultNotFoundError } from "../errors/index.js";
import type { MessageLike } from "../messages/index.js";
import type { ResultPair } from "./result-shape.js";
import type { ResultStore } from "./result-store.js";

/** Options of {@link ResultPool.istream} and {@link ResultPool.stream}. */
export interface ResultPoolOptions {
  /**
   * Yield each message's family results (an array, oldest write first) instead of its own result;
   * see `ResultStore.get`.
   * @defaultValue `false`
   */
  descendants?: boolean;
  /**
   * Keep results stored after yielding them.
   * @defaultValue `false`
   */
  keep?: boolean;
  /**
   * Yield `{ result, timestamp, uuid }` records instead of bare results.
   * @defaultValue `false`
   */
  withMetadata?: boolean;
  /** Stops the iteration: the iterator throws the signal's reason. Breaking out of the loop also stops it. */
  signal?: AbortSignal;
}

/**
 * Iterates over the results of many messages as they arrive. Both iterators wait without polling
 * where the backend has pub/sub, never lose a result when the caller breaks out (a result is read,
 * and so deleted, only when it is about to be yielded), and end once every message has yielded.
 */
export class ResultPool {
  /** Where the results are read from. */
  readonly resultStore: ResultStore;

  constructor(resultStore: ResultStore) {
    this.resultStore = resultStore;
  }

  /**
   * Yield `[message, result]` in completion order: whichever result is stored first comes first.
   * Each result is typed by its message (see `ResultStore.get`), so a mixed array yields a union
   * of correctly paired `[message, result]` tuples.
   * @throws ValidationError when a message appears twice.
   */
  istream<M extends MessageLike, const O extends ResultPoolOptions = Record<never, never>>(
    messages: Iterable<M>,
    options?: O,
  ): AsyncGenerator<ResultPair<M, O>, void, undefined> {
    return this.#istream(distinct(messages), options ?? {}) as AsyncGenerator<ResultPair<M, O>, void, undefined>;
  }

  async *#istream<M extends MessageLike>(
    list: M[],
    options: ResultPoolOptions,
  ): AsyncGenerator<[M, unknown], void, undefined> {
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    // Indexes whose results are stored, in the order they were noticed; one wake-up at a time
    // keeps this linear in the number of messages (no race over every pending wait).
    const ready: number[] = [];
    let failure: { error: unknown } | null = null;
    let wake: (() => void) | null = null;
    let waiting = 0;
    const notify = (): void => {
      const resolve = wake;
      wake = null;
      resolve?.();
    };
    const watchFor = (index: number, message: M): void => {
      waiting += 1;
      this.resultStore
        .waitFor(message, { descendants: options.descendants === true, timeout: null, signal: stop.signal })
        .then(
          () => ready.push(index),
          (error: unknown) => {
            failure ??= { error };
          },
        )
        .finally(() => {
          waiting -= 1;
          notify();
        });
    };
    try {
      options.signal?.throwIfAborted();
      for (const [index, message] of list.entries()) watchFor(index, message);
      let yielded = 0;
      while (yielded < list.length) {
        if (failure !== null) throw (failure as { error: unknown }).error;
        const index = ready.shift();
        if (index === undefined) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        const message = list[index] as M;
        const result = await this.#read(message, options);
        // Another reader took it between the notice and our read: wait for the next one.
        if (result === NOTHING) {
          watchFor(index, message);
          continue;
        }
        yielded += 1;
        yield [message, result];
      }
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      stop.abort();
      // Let every wait unsubscribe before the caller moves on.
      while (waiting > 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    }
  }

  /**
   * Yield `[message, result]` in the order of `messages`, each as soon as it and all before it
   * are stored.
   * @throws ValidationError when a message appears twice.
   */
  stream<M extends MessageLike, const O extends ResultPoolOptions = Record<never, never>>(
    messages: Iterable<M>,
    options?: O,
  ): AsyncGenerator<ResultPair<M, O>, void, undefined> {
    return this.#stream(distinct(messages), options ?? {}) as AsyncGenerator<ResultPair<M, O>, void, undefined>;
  }

  async *#stream<M extends MessageLike>(
    list: M[],
    options: ResultPoolOptions,
  ): AsyncGenerator<[M, unknown], void, undefined> {
    for (const message of list) {
      for (;;) {
        await this.resultStore.waitFor(message, {
          descendants: options.descendants === true,
          timeout: null,
          signal: options.signal,
        });
        const result = await this.#read(message, options);
        if (result !== NOTHING) {
          yield [message, result];
          break;
        }
      }
    }
  }

  async #read(message: MessageLike, options: ResultPoolOptions): Promise<unknown> {
    try {
      return await this.resultStore.get(message, {
        descendants: options.descendants === true,
        keep: options.keep === true,
        withMetadata: options.withMetadata === true,
        timeout: 0,
      });
    } catch (error) {
      if (error instanceof ResultNotFoundError) return NOTHING;
      throw error;
    }
  }
}

const NOTHING: unique symbol = Symbol("nothing");

function distinct<M extends MessageLike>(messages: Iterable<M>): M[] {
  const list = [...messages];
  const seen = new Set<string>();
  for (const message of list) {
    const key = `${message.queue}\u0000${message.uuid}`;
    if (seen.has(key)) {
      throw new ValidationError(
        `Duplicate message ${message.uuid} (queue '${message.queue}'): each message may appear only once, since its result is read once.`,
      );
    }
    seen.add(key);
  }
  return list;
}
