// The queue's state changes: submitting, claiming and settling messages. Each is one Lua script
// call per queue (one call in all on a standalone server where possible), so this is the hot path
// of the backend and allocates nothing it does not need.
import {
  DEFAULT_DLQ_TTL,
  failEventType,
  requireMessageData,
  validateClaimLimit,
  validateQueueName,
  validateSkipTasks,
  type AckOptions,
  type ClaimedMessage,
  type ClaimRequest,
  type ClaimResult,
  type Lease,
  type LeaseState,
  type MessageData,
  type MessageRef,
  type QueuedMessage,
  type RejectedMessage,
  type ReleaseOptions,
  type SubmitOutcome,
  type WriteOutcome,
} from "@alsek/core";
import type { BackendConnection } from "./backend-connection.js";
import { readClaimReply, type UndecodableMessage } from "./claim-reply.js";
import { eventArguments } from "./event-arguments.js";
import { groupByQueue, leaseToken } from "./message-targets.js";
import { OutboxForwarder, type OutboxEntry } from "./outbox-forwarder.js";
import { RemovalBatcher } from "./removal-batcher.js";
import { resultArguments } from "./result-arguments.js";
import { NO_STATUS, statusArguments } from "./status-arguments.js";
import { submitRows } from "./submit-rows.js";
import {
  deadLetterTtlArgument,
  validatePositiveMs,
  validatePriority,
  validateRef,
  validateTimestamp,
} from "./validation.js";
import { newCallId } from "./call-id.js";

/** Messages per submit script call: bounds how long one call blocks the server. */
const SUBMIT_CHUNK = 500;
/** Due-delayed and expired-lease moves per queue per claim. */
const MAX_MOVES_PER_CLAIM = 1_000;
const SUBMIT_OUTCOMES: readonly SubmitOutcome[] = ["created", "duplicate", "conflict"];
const WRITE_OUTCOMES: readonly WriteOutcome[] = ["ok", "lost", "gone"];

/** The queue writes of `RedisBackend`; see the `Backend` contract for each method. */
export class QueueOperations {
  readonly #connection: BackendConnection;
  readonly #outbox: OutboxForwarder;
  readonly #removals: RemovalBatcher;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
    this.#outbox = new OutboxForwarder(connection);
    this.#removals = new RemovalBatcher(connection);
  }

  /** Adds messages to their queues, each once by uuid. */
  async submit(messages: readonly QueuedMessage[]): Promise<SubmitOutcome[]> {
    const connection = this.#connection;
    const rows = messages.map((m) => {
      validateRef(m);
      requireMessageData(m, m.data);
      return {
        queue: m.queue,
        uuid: m.uuid,
        priority: validatePriority(m.priority),
        readyAt: validateTimestamp("readyAt", m.readyAt),
        data: connection.encodeMessage(m.data, m),
        attempt: m.data.retries,
        ...(m.status === undefined ? {} : { status: statusArguments(connection, m.status, m.queue) }),
      };
    });
    if (connection.ready() !== null) await connection.open("submit");
    if (rows.length === 1 && !connection.get().cluster) {
      // One message (task.generate()): one script call, without the grouping and chunking below.
      const row = rows[0]!;
      return connection.guard("submit", async () => [
        SUBMIT_OUTCOMES[(await submitRows(connection, row.queue, rows))[0] ?? 2]!,
      ]);
    }
    return connection.guard("submit", async () => {
      const outcomes = new Array<SubmitOutcome>(rows.length);
      const groups = groupByQueue(rows);
      const work: Promise<unknown>[] = [];
      // Standalone: the submit script adds the queue to <ns>:queues itself. Cluster: that set is
      // on another slot, so the client adds each queue once per backend instance.
      const registering = connection.get().cluster ? connection.registerQueues(groups.keys()) : null;
      if (registering !== null) work.push(registering);
      for (const [queue, indexes] of groups) {
        for (let start = 0; start < indexes.length; start += SUBMIT_CHUNK) {
          const chunk = indexes.slice(start, start + SUBMIT_CHUNK);
          work.push(
            submitRows(
              connection,
              queue,
              chunk.map((i) => rows[i]!),
            ).then((codes) => {
              chunk.forEach((i, j) => {
                outcomes[i] = SUBMIT_OUTCOMES[codes[j] ?? 2]!;
              });
            }),
          );
        }
      }
      await Promise.all(work);
      return outcomes;
    });
  }

  /** Leases up to `request.limit` ready messages, by priority then submission order. */
  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const queues = request.queues.map((q) => validateQueueName(q));
    validateClaimLimit(request.limit);
    const leaseMs = validatePositiveMs("leaseMs", request.leaseMs);
    const skip = validateSkipTasks(request.skipTasks);
    if (queues.length === 0) return { messages: [], nextReadyInMs: null };
    const connection = this.#connection;
    const keyLayout = connection.keys;
    return connection.guard("claim", async () => {
      const conn = connection.get();
      const messages: ClaimedMessage[] = [];
      const undecodable: UndecodableMessage[] = [];
      let nextReadyInMs: number | null = null;
      let outboxLength = 0;
      // Standalone: one script over all queues. Cluster: queues live on different slots, so one
      // call per queue, in order, until the limit is reached.
      const batches = conn.cluster ? queues.map((q) => [q]) : [queues];
      for (const batch of batches) {
        const remaining = request.limit - messages.length - undecodable.length;
        if (remaining <= 0) break;
        const keys = batch.flatMap((q) => [...connection.queueKeys(q), keyLayout.outbox(q)]);
        const tokenPrefix = `${newCallId()}:`;
        const args = [
          remaining,
          leaseMs,
          tokenPrefix,
          MAX_MOVES_PER_CLAIM,
          connection.eventLength,
          ...batch.map((q) => keyLayout.queuePrefix(q)),
        ];
        // After the queue prefixes: the task names claim.lua leaves in place (none: nothing added).
        if (skip !== null) args.push(...skip);
        const reply = (await conn.scripts.run("claim", keys, args)) as (string | number)[];
        const header = readClaimReply(reply, batch, tokenPrefix, connection.serializer, messages, undecodable, connection.log);
        if (header.next >= 0) nextReadyInMs = nextReadyInMs === null ? header.next : Math.min(nextReadyInMs, header.next);
        outboxLength += header.outboxLength;
      }
      if (outboxLength > 0) void this.#outbox.recover(queues);
      const full = messages.length + undecodable.length >= request.limit;
      if (undecodable.length === 0) return { messages, nextReadyInMs: full ? null : nextReadyInMs };
      const rejected = await this.#deadLetter(undecodable, request.deadLetterTtlMs);
      return { messages, rejected, nextReadyInMs: full ? null : nextReadyInMs };
    });
  }

  /**
   * Dead-letters messages claim.lua leased but the client could not decode, each on its own and
   * fenced by its new lease. Returns those it dead-lettered; one that could not be is logged and
   * comes back when its lease expires, to be rejected again.
   */
  async #deadLetter(
    undecodable: readonly UndecodableMessage[],
    ttlMs: number | null | undefined,
  ): Promise<RejectedMessage[]> {
    const dlqTtlMs = ttlMs === undefined ? DEFAULT_DLQ_TTL : ttlMs;
    const outcomes = await Promise.all(
      undecodable.map(({ lease, deadLetter }) =>
        this.fail(lease, deadLetter, dlqTtlMs).catch((error: unknown) => {
          this.#connection.log.error("Could not dead-letter an undecodable message; it is rejected again once its lease expires.", {
            queue: lease.queue,
            ...(deadLetter.taskName ? { task: deadLetter.taskName } : {}),
            uuid: lease.uuid,
            error,
          });
          return null;
        }),
      ),
    );
    return undecodable
      .filter((_, n) => outcomes[n] === "ok")
      .map(({ queue, uuid, error, deadLetter }) => ({ queue, uuid, error, deadLetter }));
  }

  /** Extends leases still held. */
  async renew(leases: readonly Lease[], leaseMs: number): Promise<LeaseState[]> {
    leases.forEach(validateRef);
    const ms = validatePositiveMs("leaseMs", leaseMs);
    const connection = this.#connection;
    const keys = connection.keys;
    return connection.guard("renew", async () => {
      const states = new Array<LeaseState>(leases.length);
      const groups = groupByQueue(leases);
      await Promise.all(
        [...groups].map(async ([queue, indexes]) => {
          const args: (string | number)[] = [keys.queuePrefix(queue), ms];
          for (const i of indexes) args.push(leases[i]!.uuid, leases[i]!.token);
          const codes = (await connection.get().scripts.run("renew", [keys.active(queue)], args)) as number[];
          indexes.forEach((i, j) => {
            states[i] = WRITE_OUTCOMES[codes[j] ?? 2]!;
          });
        }),
      );
      return states;
    });
  }

  /** Deletes a finished message, storing its result and submitting its callback in the same step. */
  ack(target: Lease | MessageRef, options: AckOptions = {}): Promise<WriteOutcome> {
    try {
      validateRef(target);
    } catch (error) {
      return Promise.reject(error);
    }
    // A bare ack (no result, no callback) is exactly `remove`, batched with this tick's others:
    // the hottest write of a busy pool, so no async frame of its own.
    if (options.result === undefined && options.callback === undefined) return this.#removals.remove("ack", target);
    return this.#ackWithWrites(target, options);
  }

  /** {@link ack} storing a result or submitting a callback in the same script call. */
  async #ackWithWrites(target: Lease | MessageRef, options: AckOptions): Promise<WriteOutcome> {
    const { result, callback } = options;
    const connection = this.#connection;
    const keyLayout = connection.keys;
    if (connection.ready() !== null) await connection.open("ack");
    const conn = connection.get();
    let mode: "none" | "inline" | "outbox" = "none";
    let entry: OutboxEntry | null = null;
    if (callback !== undefined) {
      validateRef(callback);
      validatePriority(callback.priority);
      requireMessageData(callback, callback.data);
      mode = !conn.cluster || callback.queue === target.queue ? "inline" : "outbox";
      entry = {
        queue: callback.queue,
        uuid: callback.uuid,
        priority: callback.priority,
        readyAt: validateTimestamp("readyAt", callback.readyAt),
        data: connection.encodeMessage(callback.data, callback),
        writtenAt: Date.now(),
      };
    }
    const resultArgs = resultArguments(connection, target.uuid, result);
    const callbackQueue = mode === "inline" && entry !== null ? entry.queue : target.queue;
    const keys = [
      ...connection.queueKeys(target.queue),
      keyLayout.outbox(target.queue),
      keyLayout.ready(callbackQueue),
      keyLayout.delayed(callbackQueue),
      keyLayout.seq(callbackQueue),
    ];
    const serializedEntry = mode === "outbox" ? JSON.stringify(entry) : "";
    const args = [
      keyLayout.queuePrefix(target.queue),
      target.uuid,
      leaseToken(target),
      ...resultArgs,
      mode,
      entry === null ? "" : keyLayout.queuePrefix(entry.queue),
      entry === null ? "" : keyLayout.wakeChannel(entry.queue),
      entry?.uuid ?? "",
      entry?.priority ?? 0,
      entry?.readyAt ?? 0,
      entry?.data ?? "",
      serializedEntry,
      connection.eventLength,
    ];
    return connection.guard("ack", async () => {
      const work: Promise<unknown>[] = [conn.scripts.run("ack", keys, args)];
      const registering = entry === null ? null : connection.registerQueues([entry.queue]);
      if (registering !== null) work.push(registering);
      const [outcome] = (await Promise.all(work)) as [WriteOutcome];
      if (outcome === "ok" && mode === "outbox" && entry !== null) {
        // A failure here leaves the entry in the outbox, where the next claim on this queue finds it.
        await this.#outbox.forward(target.queue, serializedEntry, entry).catch(() => undefined);
      }
      return outcome;
    });
  }

  /** Puts a message back as delayed until `readyAt`, with updated data. */
  async retry(target: Lease | MessageRef, data: MessageData, readyAt: number): Promise<WriteOutcome> {
    validateRef(target);
    const connection = this.#connection;
    const args = [
      connection.keys.queuePrefix(target.queue),
      connection.keys.wakeChannel(target.queue),
      target.uuid,
      leaseToken(target),
      connection.encodeMessage(data, target),
      validateTimestamp("readyAt", readyAt),
      ...eventArguments(connection, data),
    ];
    return connection.guard(
      "retry",
      async () => (await connection.get().scripts.run("retry", connection.queueKeys(target.queue), args)) as WriteOutcome,
    );
  }

  /** Deletes a message that failed for good, keeping it as a dead letter for `dlqTtlMs`. */
  async fail(target: Lease | MessageRef, data: MessageData, dlqTtlMs: number | null): Promise<WriteOutcome> {
    validateRef(target);
    const connection = this.#connection;
    const keys = [...connection.queueKeys(target.queue), connection.keys.dead(target.queue)];
    const args = [
      connection.keys.queuePrefix(target.queue),
      target.uuid,
      leaseToken(target),
      connection.encodeMessage(data, target),
      deadLetterTtlArgument(dlqTtlMs),
      ...eventArguments(connection, data, failEventType(data.exceptionDetails)),
    ];
    return connection.guard("fail", async () => (await connection.get().scripts.run("fail", keys, args)) as WriteOutcome);
  }

  /** Gives a leased message back as ready, as if never claimed, with its status if given. */
  async release(lease: Lease, options: ReleaseOptions = {}): Promise<WriteOutcome> {
    validateRef(lease);
    const connection = this.#connection;
    const keyLayout = connection.keys;
    const keys = [keyLayout.ready(lease.queue), keyLayout.active(lease.queue)];
    const status = options.status === undefined ? NO_STATUS : statusArguments(connection, options.status, lease.queue);
    const args = [
      keyLayout.queuePrefix(lease.queue),
      keyLayout.wakeChannel(lease.queue),
      lease.uuid,
      lease.token,
      ...status,
      connection.eventLength,
    ];
    return connection.guard(
      "release",
      async () => (await connection.get().scripts.run("release", keys, args)) as WriteOutcome,
    );
  }

  /** Deletes a message whatever its state. */
  async remove(target: Lease | MessageRef): Promise<WriteOutcome> {
    validateRef(target);
    return this.#removals.remove("remove", target);
  }
}
