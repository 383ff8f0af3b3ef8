import { progressChannel, progressKey, validateQueueName } from "@alsek/core";
import type { Backend, ProgressUpdate } from "@alsek/core";
import type { MessageLike } from "../messages/index.js";
import { ChannelWatch, type ChannelWatchOptions } from "../waiting/index.js";

/**
 * Read a stored or published progress back; anything else (written by something other than a
 * pool) yields `null`.
 * @internal
 */
export function decodeProgressUpdate(value: unknown): ProgressUpdate | null {
  if (typeof value !== "object" || value === null) return null;
  const stored = value as Partial<ProgressUpdate>;
  const known = typeof stored.value === "number" || (typeof stored.value === "object" && stored.value !== null);
  if (!known || typeof stored.updatedAt !== "number") return null;
  return { value: stored.value!, attempt: typeof stored.attempt === "number" ? stored.attempt : 0, updatedAt: stored.updatedAt };
}

/** The stored progress of `message`, or `null`. @internal */
export async function readProgress(backend: Backend, message: MessageLike): Promise<ProgressUpdate | null> {
  return decodeProgressUpdate(await backend.getValue(progressKey({ queue: validateQueueName(message.queue), uuid: message.uuid })));
}

/** Whether `next` is a later report than `last` (attempts first, then write time). */
function isNewer(next: ProgressUpdate, last: ProgressUpdate | null): boolean {
  if (last === null) return true;
  if (next.attempt !== last.attempt) return next.attempt > last.attempt;
  return next.updatedAt > last.updatedAt;
}

/** What {@link progressFeed} needs from its tracker. */
export interface ProgressFeedSource {
  backend: Backend;
  watchOptions: ChannelWatchOptions;
  /** Opens the watch of the message's status channel. */
  watchStatus(): Promise<ChannelWatch>;
  /** Whether the message's status is terminal now. */
  finished(): Promise<boolean>;
}

/**
 * Live progress of `message`: the stored value first, then each new one as it is published,
 * ending once its status is terminal (after the last value was yielded). Subscribes before it
 * reads, so nothing is missed; a late notice of an earlier value is skipped.
 * @internal
 */
export async function* progressFeed(
  source: ProgressFeedSource,
  message: MessageLike,
  signal?: AbortSignal,
): AsyncGenerator<ProgressUpdate, void, undefined> {
  const ref = { queue: validateQueueName(message.queue), uuid: message.uuid };
  const progress = await ChannelWatch.open(source.backend, progressChannel(ref), source.watchOptions);
  const status = await source.watchStatus();
  try {
    let last: ProgressUpdate | null = null;
    for (;;) {
      const published = progress.take().map(decodeProgressUpdate);
      status.take();
      const finished = await source.finished();
      // The stored value catches what a lost notice (or no pub/sub) would miss.
      const candidates = [...published, await readProgress(source.backend, ref)];
      for (const update of candidates) {
        if (update === null || !isNewer(update, last)) continue;
        last = update;
        yield update;
      }
      if (finished) return;
      const either = new AbortController();
      const forward = (): void => either.abort(signal?.reason);
      signal?.addEventListener("abort", forward, { once: true });
      try {
        await Promise.race([
          progress.wait(Number.POSITIVE_INFINITY, either.signal),
          status.wait(Number.POSITIVE_INFINITY, either.signal),
        ]);
      } finally {
        signal?.removeEventListener("abort", forward);
        either.abort();
      }
      signal?.throwIfAborted();
    }
  } finally {
    await Promise.all([progress.close(), status.close()]);
  }
}
