import { TaskStatus, progressChannel, resultChannel } from "@alsek/core";
import type { Backend, Subscription } from "@alsek/core";
import { ResultNotFoundError, StatusNotFoundError } from "@alsek/results";
import type { ResultStore, StatusTracker } from "@alsek/results";
import { progressText } from "../html/format-progress.js";
import { prettyJson } from "../html/format-value.js";
import type { LiveEvent, LiveListener } from "./live-event.js";

/**
 * The live status, progress and result of one message, shared by every tab that shows it: one
 * subscription to its status channel, one to its progress channel and one to its family's result
 * channel, however many tabs are open.
 * Without cross-process pub/sub the hub's shared poll calls {@link MessageWatch.refresh}.
 */
export class MessageWatch {
  readonly listeners = new Set<LiveListener>();
  #subscriptions: Subscription[] = [];
  #lastStatus: LiveEvent | null = null;
  #lastProgress: LiveEvent | null = null;
  #lastResult: LiveEvent | null = null;
  #closed = false;

  constructor(
    private readonly backend: Backend,
    private readonly statusTracker: StatusTracker,
    private readonly resultStore: ResultStore,
    readonly queue: string,
    readonly uuid: string,
  ) {}

  /** Subscribe first, then read, so that no update between the two is missed. */
  async open(): Promise<void> {
    const data = await this.backend.getMessage({ queue: this.queue, uuid: this.uuid });
    const root = data?.progenitorUuid ?? this.uuid;
    const ref = { queue: this.queue, uuid: this.uuid };
    try {
      // A failed read on a notice is retried by the next notice or poll; it must not go unhandled.
      this.#subscriptions.push(await this.backend.subscribe(this.statusTracker.channelOf(ref), () => void this.#readStatus().catch(() => undefined)));
      this.#subscriptions.push(await this.backend.subscribe(progressChannel(ref), () => void this.#readProgress().catch(() => undefined)));
      this.#subscriptions.push(await this.backend.subscribe(resultChannel(root), () => void this.#readResult().catch(() => undefined)));
    } catch {
      // The shared poll still finds every change.
    }
    if (this.#closed) await this.close();
    await this.refresh();
  }

  /** Re-read status, progress and result, and tell the listeners what changed. */
  async refresh(): Promise<void> {
    await Promise.all([this.#readStatus(), this.#readProgress(), this.#lastResult === null ? this.#readResult() : null]);
  }

  /** Give a new listener the state seen so far. */
  replay(listener: LiveListener): void {
    if (this.#lastStatus !== null) listener(this.#lastStatus);
    if (this.#lastProgress !== null) listener(this.#lastProgress);
    if (this.#lastResult !== null) listener(this.#lastResult);
  }

  async #readStatus(): Promise<void> {
    if (this.#closed) return;
    try {
      const update = await this.statusTracker.get({ queue: this.queue, uuid: this.uuid });
      const previous = this.#lastStatus?.data as { status: string; updatedAt: number } | undefined;
      const name = TaskStatus[update.status] ?? "UNKNOWN";
      if (previous && previous.status === name && previous.updatedAt === update.updatedAt) return;
      if (previous && update.updatedAt < previous.updatedAt) return;
      this.#emit((this.#lastStatus = { event: "status", data: { status: name, updatedAt: update.updatedAt } }));
    } catch (error) {
      if (!(error instanceof StatusNotFoundError)) throw error;
    }
  }

  async #readProgress(): Promise<void> {
    if (this.#closed) return;
    const update = await this.statusTracker.getProgress({ queue: this.queue, uuid: this.uuid });
    if (update === null) return;
    const previous = this.#lastProgress?.data as { updatedAt: number; attempt: number } | undefined;
    if (previous && (update.attempt < previous.attempt || (update.attempt === previous.attempt && update.updatedAt <= previous.updatedAt))) {
      return;
    }
    const data = { text: progressText(update.value), attempt: update.attempt, updatedAt: update.updatedAt };
    this.#emit((this.#lastProgress = { event: "progress", data }));
  }

  async #readResult(): Promise<void> {
    if (this.#closed || this.#lastResult !== null) return;
    try {
      const value = await this.resultStore.get({ queue: this.queue, uuid: this.uuid }, { keep: true, timeout: 0 });
      if (this.#lastResult !== null) return;
      this.#emit((this.#lastResult = { event: "result", data: { queue: this.queue, uuid: this.uuid, text: prettyJson(value) } }));
    } catch (error) {
      if (!(error instanceof ResultNotFoundError)) throw error;
    }
  }

  #emit(event: LiveEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Unsubscribe. */
  async close(): Promise<void> {
    this.#closed = true;
    const subscriptions = this.#subscriptions;
    this.#subscriptions = [];
    await Promise.allSettled(subscriptions.map((s) => s.unsubscribe()));
  }
}
