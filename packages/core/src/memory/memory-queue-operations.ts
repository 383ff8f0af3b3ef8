// The queue's state changes in memory: submitting, claiming and settling messages. Each runs
// synchronously to the end, which is what makes it atomic, and validates everything before it
// changes anything.
import { randomUUID } from "node:crypto";
import { validateMessageUuid } from "../validation/inspection-rules.js";
import { validateQueueName } from "../validation/name-rules.js";
import type {
  AckOptions,
  ClaimedMessage,
  ClaimRequest,
  ClaimResult,
  Lease,
  RejectedMessage,
  LeaseState,
  MessageRef,
  ProgressWrite,
  QueuedMessage,
  ReleaseOptions,
  SubmitOutcome,
  WriteOutcome,
} from "../backend/types.js";
import { DEFAULT_DLQ_TTL } from "../broker/broker.js";
import { ValidationError } from "../errors/index.js";
import { eventErrorOf, failEventType } from "../events/queue-event.js";
import type { MessageData } from "../messages/message-data.js";
import type { ProgressUpdate } from "../progress/progress-update.js";
import { requirePositiveMs, requireText, requireTimestamp } from "../validation/argument-checks.js";
import { validateClaimLimit, validatePriority, validateSkipTasks } from "../validation/backend-argument-rules.js";
import { decodeStoredMessage, type DecodedMessage } from "../validation/decode-stored-message.js";
import { requireMatchingData, requireMessageData } from "../validation/message-schema.js";
import { requireProgressWrite } from "../validation/progress-rules.js";
import type { FencedOperation } from "./memory-applied-writes.js";
import type { MemoryBackendState } from "./memory-backend-state.js";
import type { MemoryEntry, MemoryQueue } from "./memory-queue.js";
import type { MemoryResultOperations } from "./memory-result-operations.js";
import { applyStatus, prepareStatus, type PreparedStatus } from "./memory-status-writes.js";
import { readLive } from "./stored-text.js";

interface PreparedMessage {
  message: QueuedMessage;
  text: string;
  status: PreparedStatus | null;
}

type Located = { queue: MemoryQueue; entry: MemoryEntry };

/** Messages one claim may postpone because their task is at its rate limit, per queue. */
const MAX_POSTPONEMENTS_PER_CLAIM = 1_000;
/** Messages one claim may skip (`ClaimRequest.skipTasks`) per queue. */
const MAX_SKIPPED_PER_CLAIM = 1_000;

/** The queue writes of `MemoryBackend`; see the `Backend` contract for each method. */
export class MemoryQueueOperations {
  readonly #state: MemoryBackendState;
  readonly #results: MemoryResultOperations;

  constructor(state: MemoryBackendState, results: MemoryResultOperations) {
    this.#state = state;
    this.#results = results;
  }

  /** Adds messages to their queues, each once by uuid. */
  async submit(messages: readonly QueuedMessage[]): Promise<SubmitOutcome[]> {
    this.#state.assertOpen();
    // Validate and encode everything first so that a bad message leaves the batch unapplied.
    const prepared = messages.map((message) => this.#prepareMessage(message));
    const now = Date.now();
    const outcomes = prepared.map((item) => this.#enqueue(item, now));
    for (const queue of new Set(prepared.map((item) => item.message.queue))) this.#state.wake(queue);
    return outcomes;
  }

  /**
   * Validates and encodes one message now and returns the step that enqueues it (and wakes its
   * queue's watchers), for a write that submits with another change (a schedule's fire).
   */
  prepareSubmit(message: QueuedMessage): () => SubmitOutcome {
    const prepared = this.#prepareMessage(message);
    return () => {
      const outcome = this.#enqueue(prepared, Date.now());
      this.#state.wake(message.queue);
      return outcome;
    };
  }

  /** Leases up to `request.limit` ready messages, by priority then submission order. */
  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const state = this.#state;
    state.assertOpen();
    const { limit, leaseMs } = request;
    validateClaimLimit(limit);
    requirePositiveMs("leaseMs", leaseMs);
    const skip = validateSkipTasks(request.skipTasks);
    const names = [...new Set(request.queues.map((name) => validateQueueName(name)))];
    const deadLetterTtlMs = request.deadLetterTtlMs === undefined ? DEFAULT_DLQ_TTL : request.deadLetterTtlMs;
    const now = Date.now();
    const messages: ClaimedMessage[] = [];
    const rejected: RejectedMessage[] = [];
    // Per queue: when its rate limit stopped this claim with ready messages left, when it frees.
    const freeAt = new Map<string, number>();
    for (const name of names) {
      const queue = state.ns.queues.get(name);
      if (queue === undefined) continue;
      for (const entry of queue.settle(now)) {
        state.recordEvent(name, { type: "stalled", uuid: entry.uuid, attempt: state.attemptOf(entry.text) }, now);
      }
      const control = state.ns.controls.get(name);
      if (control?.paused === true) continue;
      let allowed = control === undefined ? Infinity : control.admitQueue(now).allowed;
      const postponed = new Map<string, number>();
      let postponements = 0;
      // Skipped messages leave the ready line for this claim only: they go back below, in place.
      const skipped: MemoryEntry[] = [];
      try {
        while (messages.length + rejected.length < limit) {
          const entry = queue.peekReady();
          if (entry === undefined) break;
          let decoded: DecodedMessage | null = null;
          if (skip !== null) {
            decoded = decodeStoredMessage({ queue: name, uuid: entry.uuid }, entry.text, (text) => state.decode(text));
            if (decoded.ok && skip.has(decoded.data.taskName)) {
              // Past the bound the rest of this queue waits for a later claim; the skipped ones
              // alone never make it look ready now (see ClaimRequest.skipTasks).
              if (skipped.length >= MAX_SKIPPED_PER_CLAIM) break;
              skipped.push(queue.setAsideReady()!);
              continue;
            }
          }
          if (allowed <= 0) {
            freeAt.set(name, control?.admitQueue(now).freeAt ?? now);
            break;
          }
          const ref = { queue: name, uuid: entry.uuid };
          decoded ??= decodeStoredMessage(ref, entry.text, (text) => state.decode(text));
          const task = decoded.ok ? decoded.data.taskName : null;
          if (task !== null && control?.hasTaskLimits === true) {
            const admission = control.admitTask(task, now);
            if (admission.allowed <= 0) {
              if (postponements >= MAX_POSTPONEMENTS_PER_CLAIM) {
                freeAt.set(name, now);
                break;
              }
              // Spread a backlog of one task over the windows ahead instead of bringing it all
              // back at once; a message that comes back too early is postponed again.
              const taskLimit = control.taskLimit(task)!;
              const earlier = postponed.get(task) ?? 0;
              postponed.set(task, earlier + 1);
              postponements += 1;
              const at = (admission.freeAt ?? now) + Math.floor(earlier / taskLimit.max) * taskLimit.durationMs;
              queue.reschedule(entry, at, now);
              continue;
            }
          }
          const token = randomUUID();
          queue.claimNext(token, now + leaseMs);
          if (decoded.ok) {
            control?.record(task, now);
            allowed -= 1;
            messages.push({ data: decoded.data, lease: { ...ref, token }, expiredLeases: entry.expiredLeases });
            state.recordEvent(name, { type: "started", uuid: entry.uuid, attempt: decoded.data.retries }, now);
            continue;
          }
          const error = eventErrorOf(decoded.deadLetter.exceptionDetails);
          state.recordEvent(name, { type: "failed", uuid: entry.uuid, attempt: 0, error }, now);
          // Dead-lettered on its own, in this same synchronous step: the rest of the claim goes on.
          queue.delete(entry);
          if (deadLetterTtlMs !== null && deadLetterTtlMs > 0) {
            queue.deadLetters.set(entry.uuid, {
              text: state.encode(decoded.deadLetter),
              expiresAt: now + deadLetterTtlMs,
            });
            state.recordEvent(name, { type: "dead-lettered", uuid: entry.uuid, attempt: 0, error }, now);
          }
          rejected.push({ ...ref, error: decoded.error, deadLetter: decoded.deadLetter });
        }
      } finally {
        // Also when something threw: a set-aside entry left out of the heap could never be claimed.
        if (skipped.length > 0) queue.putBack(skipped);
      }
    }
    let nextReadyInMs: number | null = null;
    if (messages.length + rejected.length < limit) {
      for (const name of names) {
        if (state.ns.controls.get(name)?.paused === true) continue;
        const event = state.ns.queues.get(name)?.nextEventAt() ?? null;
        for (const at of [event, freeAt.get(name) ?? null]) {
          if (at !== null) nextReadyInMs = Math.min(nextReadyInMs ?? Infinity, Math.max(0, at - now));
        }
      }
    }
    return rejected.length > 0 ? { messages, rejected, nextReadyInMs } : { messages, nextReadyInMs };
  }

  /** Extends leases still held. */
  async renew(leases: readonly Lease[], leaseMs: number): Promise<LeaseState[]> {
    this.#state.assertOpen();
    requirePositiveMs("leaseMs", leaseMs);
    const now = Date.now();
    return leases.map((lease) => {
      const located = this.#locate(lease);
      if (typeof located === "string") return located;
      if (located.entry.state !== "active") return "lost";
      located.queue.renew(located.entry, now + leaseMs);
      return "ok";
    });
  }

  /** Stores and publishes a running message's progress while its lease holds. */
  async setProgress(lease: Lease, write: ProgressWrite): Promise<WriteOutcome> {
    const state = this.#state;
    state.assertOpen();
    requireProgressWrite(lease, write);
    const text = state.encode(write.value);
    const located = this.#locate(lease);
    if (typeof located === "string") return located;
    const now = Date.now();
    state.ns.values.set(write.key, text, { ttlMs: write.ttlMs, nx: false, keepTtl: false }, now);
    state.publishText(write.channel, text);
    if (state.eventLength > 0) {
      const progress = state.decode(text) as ProgressUpdate;
      state.recordEvent(lease.queue, { type: "progress", uuid: lease.uuid, attempt: write.attempt, progress }, now);
    }
    return "ok";
  }

  /** Deletes a finished message, storing its result and submitting its callback in the same step. */
  async ack(target: Lease | MessageRef, options: AckOptions = {}): Promise<WriteOutcome> {
    this.#state.assertOpen();
    const results = this.#results;
    const result = options.result === undefined ? null : results.prepare(options.result);
    const callback = options.callback === undefined ? null : this.#prepareMessage(options.callback);
    const located = this.#locate(target);
    if (typeof located === "string") return this.#refused(target, "ack", located);
    const now = Date.now();
    this.#recordApplied(target, "ack", located.entry, now);
    this.#state.recordEvent(
      target.queue,
      { type: "succeeded", uuid: target.uuid, attempt: this.#state.attemptOf(located.entry.text) },
      now,
    );
    located.queue.delete(located.entry);
    located.queue.throughput.bump("completed", now);
    if (result !== null) results.store(target, result, now);
    if (callback !== null) {
      // Only submit writes a message's first status (see QueuedMessage.status).
      this.#enqueue({ ...callback, status: null }, now);
      this.#state.wake(callback.message.queue);
    }
    if (result !== null) results.announce(target.uuid, result.progenitorUuid);
    return "ok";
  }

  /** Puts a message back as delayed until `readyAt`, with updated data. */
  async retry(target: Lease | MessageRef, data: MessageData, readyAt: number): Promise<WriteOutcome> {
    this.#state.assertOpen();
    requireTimestamp("retry readyAt", readyAt);
    requireMatchingData(target, data);
    const text = this.#state.encode(data);
    const located = this.#locate(target);
    if (typeof located === "string") return this.#refused(target, "retry", located);
    const now = Date.now();
    this.#recordApplied(target, "retry", located.entry, now);
    located.entry.text = text;
    located.queue.reschedule(located.entry, readyAt, now);
    const error = eventErrorOf(data.exceptionDetails);
    this.#state.recordEvent(
      target.queue,
      { type: "retried", uuid: target.uuid, attempt: data.retries, error, readyAt },
      now,
    );
    this.#state.wake(target.queue);
    return "ok";
  }

  /** Deletes a message that failed for good, keeping it as a dead letter for `dlqTtlMs`. */
  async fail(target: Lease | MessageRef, data: MessageData, dlqTtlMs: number | null): Promise<WriteOutcome> {
    this.#state.assertOpen();
    if (dlqTtlMs !== null && (typeof dlqTtlMs !== "number" || Number.isNaN(dlqTtlMs))) {
      throw new ValidationError(`dlqTtlMs must be a number of milliseconds or null, got ${String(dlqTtlMs)}.`);
    }
    requireMatchingData(target, data);
    const text = this.#state.encode(data);
    const located = this.#locate(target);
    if (typeof located === "string") return this.#refused(target, "fail", located);
    const now = Date.now();
    this.#recordApplied(target, "fail", located.entry, now);
    located.queue.delete(located.entry);
    located.queue.throughput.bump("failed", now);
    const error = eventErrorOf(data.exceptionDetails);
    const event = { uuid: target.uuid, attempt: data.retries, error };
    this.#state.recordEvent(target.queue, { ...event, type: failEventType(data.exceptionDetails) }, now);
    if (dlqTtlMs !== null && dlqTtlMs > 0) {
      located.queue.deadLetters.set(target.uuid, { text, expiresAt: now + dlqTtlMs });
      this.#state.recordEvent(target.queue, { ...event, type: "dead-lettered" }, now);
    }
    return "ok";
  }

  /** Gives a leased message back as ready, as if never claimed, with its status if given. */
  async release(lease: Lease, options: ReleaseOptions = {}): Promise<WriteOutcome> {
    this.#state.assertOpen();
    const status = options.status === undefined ? null : prepareStatus(this.#state, options.status);
    const located = this.#locate(lease);
    if (typeof located === "string") return this.#refused(lease, "release", located);
    if (located.entry.state !== "active") return "lost";
    const now = Date.now();
    this.#recordApplied(lease, "release", located.entry, now);
    located.queue.requeue(located.entry);
    this.#state.recordEvent(lease.queue, { type: "released", uuid: lease.uuid, attempt: this.#state.attemptOf(located.entry.text) }, now);
    if (status !== null) applyStatus(this.#state, status, true, now);
    this.#state.wake(lease.queue);
    return "ok";
  }

  /** Deletes a message whatever its state. */
  async remove(target: Lease | MessageRef): Promise<WriteOutcome> {
    this.#state.assertOpen();
    const located = this.#locate(target);
    // A fenced remove is an ack without side effects, remembered as one.
    if (typeof located === "string") return this.#refused(target, "ack", located);
    const now = Date.now();
    this.#recordApplied(target, "ack", located.entry, now);
    this.#state.recordEvent(target.queue, { type: "removed", uuid: target.uuid, attempt: this.#state.attemptOf(located.entry.text) }, now);
    located.queue.delete(located.entry);
    return "ok";
  }

  /** The answer to a fenced write that cannot apply: `"ok"` when it is a re-send of one that did. */
  #refused(target: Lease | MessageRef, operation: FencedOperation, outcome: "lost" | "gone"): WriteOutcome {
    const token = (target as Partial<Lease>).token;
    return token !== undefined && this.#state.ns.applied.applied(token, operation, Date.now()) ? "ok" : outcome;
  }

  /** Remembers an applied fenced write, so that its re-send gets `"ok"` again. */
  #recordApplied(target: Lease | MessageRef, operation: FencedOperation, entry: MemoryEntry, now: number): void {
    const token = (target as Partial<Lease>).token;
    if (token !== undefined) this.#state.ns.applied.record(token, operation, entry.leaseExpiresAt, now);
  }

  /** Makes a delayed message ready now, at its place by priority and arrival. */
  async readyNow(ref: MessageRef): Promise<WriteOutcome> {
    this.#state.assertOpen();
    validateMessageUuid(ref.uuid);
    const located = this.#locate(ref);
    if (typeof located === "string") return located;
    if (located.entry.state !== "delayed") return "lost";
    const now = Date.now();
    located.queue.reschedule(located.entry, now, now);
    this.#state.wake(ref.queue);
    return "ok";
  }

  /** Deletes dead letters; returns how many existed. */
  async deleteDeadLetters(queue: string, uuids: readonly string[]): Promise<number> {
    this.#state.assertOpen();
    validateQueueName(queue);
    uuids.forEach(validateMessageUuid);
    const dead = this.#state.ns.queues.get(queue)?.deadLetters;
    const now = Date.now();
    let deleted = 0;
    for (const uuid of uuids) {
      if (readLive(dead, uuid, now) !== undefined) deleted += 1;
      dead?.delete(uuid);
    }
    return deleted;
  }

  /** The message a write targets, or why the write cannot apply. */
  #locate(target: Lease | MessageRef): Located | "lost" | "gone" {
    const queue = this.#state.ns.queues.get(validateQueueName(target.queue));
    const entry = queue?.entries.get(target.uuid);
    if (queue === undefined || entry === undefined) return "gone";
    const token = (target as Partial<Lease>).token;
    if (token !== undefined && (entry.state !== "active" || entry.token !== token)) return "lost";
    return { queue, entry };
  }

  #prepareMessage(message: QueuedMessage): PreparedMessage {
    validateQueueName(message.queue);
    requireText("message uuid", message.uuid);
    validatePriority(message.priority);
    requireTimestamp(`readyAt of message ${message.uuid}`, message.readyAt);
    requireMessageData(message, message.data);
    const status = message.status === undefined ? null : prepareStatus(this.#state, message.status);
    return { message, text: this.#state.encode(message.data), status };
  }

  #enqueue({ message, text, status }: PreparedMessage, now: number): SubmitOutcome {
    const ns = this.#state.ns;
    const queue = ns.queue(message.queue);
    const existing = queue.entries.get(message.uuid);
    if (existing !== undefined) return existing.text === text ? "duplicate" : "conflict";
    queue.add(
      {
        uuid: message.uuid,
        priority: message.priority,
        seq: ns.nextSeq(),
        readyAt: message.readyAt,
        text,
        state: "ready",
        token: null,
        leaseExpiresAt: 0,
        expiredLeases: 0,
        heapIndex: -1,
      },
      now,
    );
    // A created message starts a new life: its first status replaces whatever was stored.
    if (status !== null) applyStatus(this.#state, status, true, now);
    this.#state.recordEvent(
      message.queue,
      { type: "submitted", uuid: message.uuid, attempt: message.data.retries },
      now,
    );
    return "created";
  }
}
