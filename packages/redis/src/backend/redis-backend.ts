import { randomBytes } from "node:crypto";
import {
  AlsekError,
  BackendError,
  compactMessageData,
  expandMessageData,
  JsonSerializer,
  resultChannel,
  ValidationError,
  validateQueueName,
  type AckOptions,
  type Backend,
  type ClaimedMessage,
  type ClaimRequest,
  type ClaimResult,
  type Lease,
  type LeaseState,
  type MessageData,
  type MessageRef,
  type QueueCounts,
  type QueuedMessage,
  type QueueWatcher,
  type ResultWrite,
  type Serializer,
  type SetValueOptions,
  type StoredResult,
  type Subscription,
  type SubmitOutcome,
  type WriteOutcome,
} from "@alsek/core";
import type { Cluster, Redis } from "ioredis";
import {
  describeEndpoint,
  isCluster,
  logConnectionErrors,
  resolveClient,
  type RedisClient,
  type RedisConnection,
} from "../connection/index.js";
import { KeyLayout } from "../keys/index.js";
import { ScriptSet } from "../scripts/index.js";
import { RedisQueueWatcher, SubscriberHub } from "../watch/index.js";
import type { RedisBackendOptions } from "./redis-backend-options.js";
import {
  ttlArgument,
  validateNamespace,
  validatePositiveMs,
  validatePriority,
  validateRef,
  validateTimestamp,
  validateUuid,
} from "./validation.js";

/** Messages per submit script call: bounds how long one call blocks the server. */
const SUBMIT_CHUNK = 500;
/** Due-delayed and expired-lease moves per queue per claim. */
const MAX_MOVES_PER_CLAIM = 1_000;
/** Outbox entries older than this are re-forwarded by any claimer (their writer likely died). */
const OUTBOX_RECOVERY_AGE_MS = 10_000;
/** Width of the zero-padded ready score stored in front of a message's data (see common.lua). */
const SCORE_WIDTH = 16;
const SUBMIT_OUTCOMES: readonly SubmitOutcome[] = ["created", "duplicate", "conflict"];
const WRITE_OUTCOMES: readonly WriteOutcome[] = ["ok", "lost", "gone"];

interface OutboxEntry {
  queue: string;
  uuid: string;
  priority: number;
  readyAt: number;
  data: string;
  writtenAt: number;
}

interface Connection {
  client: RedisClient;
  scripts: ScriptSet;
  cluster: boolean;
}

function groupByQueue<T extends { queue: string }>(items: readonly T[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const group = groups.get(item.queue);
    if (group === undefined) groups.set(item.queue, [index]);
    else group.push(index);
  });
  return groups;
}

function isLease(target: Lease | MessageRef): target is Lease {
  return typeof (target as Partial<Lease>).token === "string";
}

/**
 * The Alsek {@link Backend} on Redis (standalone, Sentinel through an ioredis client, or Cluster).
 * Every state change is one Lua script; readiness is indexed by sorted sets so claiming N messages
 * costs O(N log n) whatever the backlog; leases are judged on Redis `TIME`.
 *
 * Constructing it opens no socket: clients it creates use `lazyConnect`.
 */
export class RedisBackend implements Backend {
  readonly namespace: string;
  readonly serializer: Serializer;
  readonly supportsPubSub = true;

  readonly #keys: KeyLayout;
  readonly #connectionArgument: RedisConnection | undefined;
  readonly #redisOptions: RedisBackendOptions["redisOptions"];
  #endpoint = "not connected";
  #connection: Connection | null = null;
  #owned = false;
  #hub: SubscriberHub | null = null;
  readonly #knownQueues = new Set<string>();
  readonly #watchers = new Set<QueueWatcher>();
  #recoveringOutbox = false;
  #closed = false;

  /**
   * @param connection nothing (`redis://localhost:6379`), a `redis://`/`rediss://` URL, an ioredis
   *   `Redis` or `Cluster`, or a `LazyClient` that produces one on first use.
   */
  constructor(connection?: RedisConnection, options: RedisBackendOptions = {}) {
    this.namespace = validateNamespace(options.namespace ?? "alsek");
    this.serializer = options.serializer ?? new JsonSerializer();
    this.#keys = new KeyLayout(this.namespace);
    this.#connectionArgument = connection;
    this.#redisOptions = options.redisOptions ?? {};
    // Validate a URL now rather than on first use; the client itself stays lazy.
    if (typeof connection === "string" && !/^rediss?:\/\//.test(connection)) resolveClient(connection, {});
  }

  /** The ioredis client, created (without connecting) on first call. */
  get client(): RedisClient {
    return this.#conn().client;
  }

  #conn(): Connection {
    if (this.#closed) throw new BackendError("This RedisBackend is closed; create a new one.");
    if (this.#connection !== null) return this.#connection;
    const { client, owned } = resolveClient(this.#connectionArgument, this.#redisOptions ?? {});
    this.#owned = owned;
    this.#endpoint = describeEndpoint(client);
    if (owned) logConnectionErrors(client, this.#endpoint);
    this.#connection = { client, scripts: new ScriptSet(client), cluster: isCluster(client) };
    return this.#connection;
  }

  #subscriberHub(): SubscriberHub {
    this.#hub ??= new SubscriberHub(() => {
      const conn = this.#conn();
      // A subscriber must never give up on a command while Redis restarts.
      const subscriber = conn.cluster
        ? (conn.client as Cluster).duplicate([], { lazyConnect: false })
        : (conn.client as Redis).duplicate({ lazyConnect: false, maxRetriesPerRequest: null });
      logConnectionErrors(subscriber, `${this.#endpoint}, subscriber`);
      return subscriber;
    });
    return this.#hub;
  }

  async #guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof AlsekError) throw error;
      throw new BackendError(`Redis ${operation} failed (${this.#endpoint}): ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  #queueKeys(queue: string): string[] {
    return [this.#keys.ready(queue), this.#keys.delayed(queue), this.#keys.active(queue)];
  }

  #registerQueues(queues: Iterable<string>): Promise<unknown> | null {
    const fresh = [...queues].filter((q) => !this.#knownQueues.has(q));
    if (fresh.length === 0) return null;
    return this.#conn()
      .client.sadd(this.#keys.queues(), ...fresh)
      .then(() => {
        for (const q of fresh) this.#knownQueues.add(q);
      });
  }

  // Messages are stored without their default fields (and without the queue and uuid the key
  // already names): a no-op message is ~130 bytes of JSON instead of ~520.
  #encodeMessage(data: MessageData, ref: MessageRef): string {
    return this.serializer.forward(compactMessageData(data, ref));
  }

  #decodeMessage(text: string, ref: MessageRef): MessageData {
    return expandMessageData(this.serializer.reverse(text) as MessageData, ref);
  }

  // ---- queue ---------------------------------------------------------------------------------

  async submit(messages: readonly QueuedMessage[]): Promise<SubmitOutcome[]> {
    const rows = messages.map((m) => {
      validateRef(m);
      return {
        queue: m.queue,
        uuid: m.uuid,
        priority: validatePriority(m.priority),
        readyAt: validateTimestamp("readyAt", m.readyAt),
        data: this.#encodeMessage(m.data, m),
      };
    });
    if (rows.length === 1 && !this.#conn().cluster) {
      // One message (task.generate()): one script call, without the grouping and chunking below.
      const row = rows[0]!;
      return this.#guard("submit", async () => [SUBMIT_OUTCOMES[(await this.#submitRows(row.queue, rows))[0] ?? 2]!]);
    }
    return this.#guard("submit", async () => {
      const outcomes = new Array<SubmitOutcome>(rows.length);
      const groups = groupByQueue(rows);
      const work: Promise<unknown>[] = [];
      // Standalone: the submit script adds the queue to <ns>:queues itself. Cluster: that set is
      // on another slot, so the client adds each queue once per backend instance.
      const registering = this.#conn().cluster ? this.#registerQueues(groups.keys()) : null;
      if (registering !== null) work.push(registering);
      for (const [queue, indexes] of groups) {
        for (let start = 0; start < indexes.length; start += SUBMIT_CHUNK) {
          const chunk = indexes.slice(start, start + SUBMIT_CHUNK);
          work.push(
            this.#submitRows(queue, chunk.map((i) => rows[i]!)).then((codes) => {
              chunk.forEach((i, j) => (outcomes[i] = SUBMIT_OUTCOMES[codes[j] ?? 2]!));
            }),
          );
        }
      }
      await Promise.all(work);
      return outcomes;
    });
  }

  async #submitRows(
    queue: string,
    rows: readonly { uuid: string; priority: number; readyAt: number; data: string }[],
  ): Promise<number[]> {
    const conn = this.#conn();
    const args: (string | number)[] = [this.#keys.queuePrefix(queue), this.#keys.wakeChannel(queue), queue];
    for (const row of rows) args.push(row.uuid, row.priority, row.readyAt, row.data);
    const keys = [this.#keys.ready(queue), this.#keys.delayed(queue), this.#keys.seq(queue)];
    if (!conn.cluster) keys.push(this.#keys.queues());
    return (await conn.scripts.run("submit", keys, args)) as number[];
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const queues = request.queues.map((q) => validateQueueName(q));
    if (!Number.isInteger(request.limit) || request.limit < 1) {
      throw new ValidationError(`Invalid claim limit ${String(request.limit)}: use an integer ≥ 1.`);
    }
    const leaseMs = validatePositiveMs("leaseMs", request.leaseMs);
    if (queues.length === 0) return { messages: [], nextReadyInMs: null };
    return this.#guard("claim", async () => {
      const conn = this.#conn();
      const messages: ClaimedMessage[] = [];
      let nextReadyInMs: number | null = null;
      let outboxLength = 0;
      // Standalone: one script over all queues. Cluster: queues live on different slots, so one
      // call per queue, in order, until the limit is reached.
      const batches = conn.cluster ? queues.map((q) => [q]) : [queues];
      for (const batch of batches) {
        const remaining = request.limit - messages.length;
        if (remaining <= 0) break;
        const keys = batch.flatMap((q) => [...this.#queueKeys(q), this.#keys.outbox(q)]);
        const tokenPrefix = `${randomBytes(9).toString("base64url")}:`;
        const args = [remaining, leaseMs, tokenPrefix, MAX_MOVES_PER_CLAIM, ...batch.map((q) => this.#keys.queuePrefix(q))];
        const reply = (await conn.scripts.run("claim", keys, args)) as (string | number)[];
        const next = Number(reply[0]);
        if (next >= 0) nextReadyInMs = nextReadyInMs === null ? next : Math.min(nextReadyInMs, next);
        outboxLength += Number(reply[1]);
        for (let i = 2; i + 4 < reply.length; i += 5) {
          const queue = batch[Number(reply[i]) - 1]!;
          const uuid = String(reply[i + 1]);
          const lease = { queue, uuid, token: String(reply[i + 2]) };
          messages.push({
            data: this.#decodeMessage(String(reply[i + 3]), lease),
            lease,
            expiredLeases: Number(reply[i + 4]),
          });
        }
      }
      if (outboxLength > 0) void this.#recoverOutboxes(queues);
      return { messages, nextReadyInMs: messages.length >= request.limit ? null : nextReadyInMs };
    });
  }

  async renew(leases: readonly Lease[], leaseMs: number): Promise<LeaseState[]> {
    leases.forEach(validateRef);
    const ms = validatePositiveMs("leaseMs", leaseMs);
    return this.#guard("renew", async () => {
      const states = new Array<LeaseState>(leases.length);
      const groups = groupByQueue(leases);
      await Promise.all(
        [...groups].map(async ([queue, indexes]) => {
          const args: (string | number)[] = [this.#keys.queuePrefix(queue), ms];
          for (const i of indexes) args.push(leases[i]!.uuid, leases[i]!.token);
          const codes = (await this.#conn().scripts.run("renew", [this.#keys.active(queue)], args)) as number[];
          indexes.forEach((i, j) => (states[i] = WRITE_OUTCOMES[codes[j] ?? 2]!));
        }),
      );
      return states;
    });
  }

  async ack(target: Lease | MessageRef, options: AckOptions = {}): Promise<WriteOutcome> {
    validateRef(target);
    const { result, callback } = options;
    // A bare ack (no result, no callback) is exactly `remove`: a 3-argument script instead of 17.
    if (result === undefined && callback === undefined) return this.#removeOrAck("ack", target);
    const conn = this.#conn();
    let mode: "none" | "inline" | "outbox" = "none";
    let entry: OutboxEntry | null = null;
    if (callback !== undefined) {
      validateRef(callback);
      validatePriority(callback.priority);
      mode = !conn.cluster || callback.queue === target.queue ? "inline" : "outbox";
      entry = {
        queue: callback.queue,
        uuid: callback.uuid,
        priority: callback.priority,
        readyAt: validateTimestamp("readyAt", callback.readyAt),
        data: this.#encodeMessage(callback.data, callback),
        writtenAt: Date.now(),
      };
    }
    const resultArgs = this.#resultArguments(target.uuid, result);
    const callbackQueue = mode === "inline" && entry !== null ? entry.queue : target.queue;
    const keys = [
      ...this.#queueKeys(target.queue),
      this.#keys.outbox(target.queue),
      this.#keys.ready(callbackQueue),
      this.#keys.delayed(callbackQueue),
      this.#keys.seq(callbackQueue),
    ];
    const serializedEntry = mode === "outbox" ? JSON.stringify(entry) : "";
    const args = [
      this.#keys.queuePrefix(target.queue),
      target.uuid,
      isLease(target) ? target.token : "",
      ...resultArgs,
      mode,
      entry === null ? "" : this.#keys.queuePrefix(entry.queue),
      entry === null ? "" : this.#keys.wakeChannel(entry.queue),
      entry?.uuid ?? "",
      entry?.priority ?? 0,
      entry?.readyAt ?? 0,
      entry?.data ?? "",
      serializedEntry,
    ];
    return this.#guard("ack", async () => {
      const work: Promise<unknown>[] = [conn.scripts.run("ack", keys, args)];
      const registering = entry === null ? null : this.#registerQueues([entry.queue]);
      if (registering !== null) work.push(registering);
      const [outcome] = (await Promise.all(work)) as [WriteOutcome];
      if (outcome === "ok" && mode === "outbox" && entry !== null) {
        // A failure here leaves the entry in the outbox, where the next claim on this queue finds it.
        await this.#forward(target.queue, serializedEntry, entry).catch(() => undefined);
      }
      return outcome;
    });
  }

  #resultArguments(uuid: string, result: ResultWrite | undefined): (string | number)[] {
    if (result === undefined) return ["0", "", 0, "", "", ""];
    const progenitor = result.progenitorUuid ?? "";
    if (progenitor !== "") validateUuid(progenitor);
    return [
      "1",
      this.serializer.forward(result.value),
      ttlArgument(result.ttlMs),
      progenitor,
      this.#keys.channel(resultChannel(result.progenitorUuid ?? uuid)),
      this.serializer.forward(uuid),
    ];
  }

  /** Submits an outbox entry to its queue (idempotent by uuid), then drops it from the outbox. */
  async #forward(sourceQueue: string, serialized: string, entry: OutboxEntry): Promise<void> {
    await this.#submitRows(entry.queue, [entry]);
    await this.#conn().client.lrem(this.#keys.outbox(sourceQueue), 1, serialized);
  }

  async #recoverOutboxes(queues: readonly string[]): Promise<void> {
    if (this.#recoveringOutbox) return;
    this.#recoveringOutbox = true;
    try {
      for (const queue of queues) {
        const raw = await this.#conn().client.lrange(this.#keys.outbox(queue), 0, 99);
        for (const serialized of raw) {
          const entry = JSON.parse(serialized) as OutboxEntry;
          if (Date.now() - entry.writtenAt >= OUTBOX_RECOVERY_AGE_MS) await this.#forward(queue, serialized, entry);
        }
      }
    } catch {
      // Recovery is retried on the next claim that sees a non-empty outbox.
    } finally {
      this.#recoveringOutbox = false;
    }
  }

  async retry(target: Lease | MessageRef, data: MessageData, readyAt: number): Promise<WriteOutcome> {
    validateRef(target);
    const args = [
      this.#keys.queuePrefix(target.queue),
      this.#keys.wakeChannel(target.queue),
      target.uuid,
      isLease(target) ? target.token : "",
      this.#encodeMessage(data, target),
      validateTimestamp("readyAt", readyAt),
    ];
    return this.#guard(
      "retry",
      async () => (await this.#conn().scripts.run("retry", this.#queueKeys(target.queue), args)) as WriteOutcome,
    );
  }

  async fail(target: Lease | MessageRef, data: MessageData, dlqTtlMs: number | null): Promise<WriteOutcome> {
    validateRef(target);
    const keys = [...this.#queueKeys(target.queue), this.#keys.dead(target.queue)];
    const args = [
      this.#keys.queuePrefix(target.queue),
      target.uuid,
      isLease(target) ? target.token : "",
      this.#encodeMessage(data, target),
      ttlArgument(dlqTtlMs),
    ];
    return this.#guard("fail", async () => (await this.#conn().scripts.run("fail", keys, args)) as WriteOutcome);
  }

  async release(lease: Lease): Promise<WriteOutcome> {
    validateRef(lease);
    const keys = [this.#keys.ready(lease.queue), this.#keys.active(lease.queue)];
    const args = [this.#keys.queuePrefix(lease.queue), this.#keys.wakeChannel(lease.queue), lease.uuid, lease.token];
    return this.#guard("release", async () => (await this.#conn().scripts.run("release", keys, args)) as WriteOutcome);
  }

  async remove(target: Lease | MessageRef): Promise<WriteOutcome> {
    validateRef(target);
    return this.#removeOrAck("remove", target);
  }

  #removeOrAck(operation: "ack" | "remove", target: Lease | MessageRef): Promise<WriteOutcome> {
    const args = [this.#keys.queuePrefix(target.queue), target.uuid, isLease(target) ? target.token : ""];
    return this.#guard(
      operation,
      async () => (await this.#conn().scripts.run("remove", this.#queueKeys(target.queue), args)) as WriteOutcome,
    );
  }

  async getMessage(ref: MessageRef): Promise<MessageData | null> {
    validateRef(ref);
    return this.#guard("getMessage", async () => {
      const raw = await this.#conn().client.get(this.#keys.message(ref.queue, ref.uuid));
      return raw === null ? null : this.#decodeMessage(raw.slice(SCORE_WIDTH), ref);
    });
  }

  async getDeadLetter(ref: MessageRef): Promise<MessageData | null> {
    validateRef(ref);
    return this.#guard("getDeadLetter", async () => {
      const raw = await this.#conn().client.get(this.#keys.deadLetter(ref.queue, ref.uuid));
      return raw === null ? null : this.#decodeMessage(raw, ref);
    });
  }

  async countQueue(queue: string): Promise<QueueCounts> {
    validateQueueName(queue);
    const keys = [...this.#queueKeys(queue), this.#keys.dead(queue)];
    return this.#guard("countQueue", async () => {
      const [ready, delayed, active, dead] = (await this.#conn().scripts.run("count-queue", keys, [])) as number[];
      return { ready: ready ?? 0, delayed: delayed ?? 0, active: active ?? 0, dead: dead ?? 0 };
    });
  }

  async listQueues(): Promise<string[]> {
    return this.#guard("listQueues", async () => (await this.#conn().client.smembers(this.#keys.queues())).sort());
  }

  watch(queues: readonly string[]): QueueWatcher {
    const channels = queues.map((q) => this.#keys.wakeChannel(validateQueueName(q)));
    const readyKeys = queues.map((q) => this.#keys.ready(q));
    const hasReadyWork = async (): Promise<boolean> => {
      const counts = await Promise.all(readyKeys.map((k) => this.#conn().client.exists(k)));
      return counts.some((n) => n > 0);
    };
    const watcher = new RedisQueueWatcher(this.#subscriberHub(), channels, hasReadyWork);
    this.#watchers.add(watcher);
    return watcher;
  }

  // ---- results -------------------------------------------------------------------------------

  async setResult(ref: MessageRef, result: ResultWrite): Promise<void> {
    validateRef(ref);
    const args = [this.#keys.queuePrefix(ref.queue), ref.uuid, ...this.#resultArguments(ref.uuid, result).slice(1)];
    await this.#guard("setResult", () =>
      this.#conn().scripts.run("set-result", [this.#keys.result(ref.queue, ref.uuid)], args),
    );
  }

  async getResults(refs: readonly MessageRef[], options: { keep: boolean }): Promise<(StoredResult | null)[]> {
    refs.forEach(validateRef);
    return this.#guard("getResults", async () => {
      const results = new Array<StoredResult | null>(refs.length).fill(null);
      await Promise.all(
        [...groupByQueue(refs)].map(async ([queue, indexes]) => {
          const uuids = indexes.map((i) => refs[i]!.uuid);
          const keys = uuids.map((u) => this.#keys.result(queue, u));
          const args = [this.#keys.queuePrefix(queue), options.keep ? "1" : "0", ...uuids];
          const values = (await this.#conn().scripts.run("take-results", keys, args)) as (string | null | false)[];
          indexes.forEach((i, j) => {
            const raw = values[j];
            if (typeof raw === "string") results[i] = { uuid: refs[i]!.uuid, value: this.serializer.reverse(raw) };
          });
        }),
      );
      return results;
    });
  }

  async descendantResults(queue: string, progenitorUuid: string): Promise<string[]> {
    validateQueueName(queue);
    validateUuid(progenitorUuid);
    const keys = [this.#keys.resultIndex(queue, progenitorUuid)];
    return this.#guard(
      "descendantResults",
      async () =>
        (await this.#conn().scripts.run("descendant-results", keys, [this.#keys.queuePrefix(queue)])) as string[],
    );
  }

  async deleteResults(refs: readonly MessageRef[]): Promise<number> {
    refs.forEach(validateRef);
    return this.#guard("deleteResults", async () => {
      const counts = await Promise.all(
        [...groupByQueue(refs)].map(async ([queue, indexes]) => {
          const uuids = indexes.map((i) => refs[i]!.uuid);
          const keys = uuids.map((u) => this.#keys.result(queue, u));
          return Number(await this.#conn().scripts.run("delete-results", keys, [this.#keys.queuePrefix(queue), ...uuids]));
        }),
      );
      return counts.reduce((a, b) => a + b, 0);
    });
  }

  // ---- keyed values --------------------------------------------------------------------------

  async getValue(key: string): Promise<unknown> {
    return this.#guard("getValue", async () => {
      const raw = await this.#conn().client.get(this.#keys.value(key));
      return raw === null ? undefined : this.serializer.reverse(raw);
    });
  }

  async setValue(key: string, value: unknown, options: SetValueOptions = {}): Promise<boolean> {
    const ttl = ttlArgument(options.ttlMs);
    const args: (string | number)[] = [this.#keys.value(key), this.serializer.forward(value)];
    if (ttl > 0) args.push("PX", ttl);
    else if (options.keepTtl === true) args.push("KEEPTTL");
    if (options.nx === true) args.push("NX");
    return this.#guard("setValue", async () => (await this.#conn().client.call("SET", ...args)) === "OK");
  }

  async deleteValue(...keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const full = keys.map((k) => this.#keys.value(k));
    return this.#guard("deleteValue", async () => {
      const client = this.#conn().client;
      if (!this.#conn().cluster) return client.del(...full);
      const counts = await Promise.all(full.map((k) => client.del(k)));
      return counts.reduce((a, b) => a + b, 0);
    });
  }

  async hasValue(key: string): Promise<boolean> {
    return this.#guard("hasValue", async () => (await this.#conn().client.exists(this.#keys.value(key))) === 1);
  }

  async *scanKeys(pattern: string): AsyncIterable<string> {
    const prefix = this.#keys.valuePrefix();
    for await (const key of this.#scan(this.#keys.valuePattern(pattern))) yield key.slice(prefix.length);
  }

  /** Every key matching `pattern` on every master, each once. Not for hot paths. */
  async *#scan(pattern: string): AsyncIterable<string> {
    const conn = this.#conn();
    const nodes: Redis[] = conn.cluster ? (conn.client as Cluster).nodes("master") : [conn.client as Redis];
    const seen = new Set<string>();
    for (const node of nodes) {
      let cursor = "0";
      do {
        const [next, keys] = await this.#guard("scan", () => node.scan(cursor, "MATCH", pattern, "COUNT", 1000));
        cursor = next;
        for (const key of keys) {
          if (seen.has(key)) continue;
          seen.add(key);
          yield key;
        }
      } while (cursor !== "0");
    }
  }

  async count(pattern = "*"): Promise<number> {
    let n = 0;
    for await (const _ of this.scanKeys(pattern)) n += 1;
    return n;
  }

  async clear(): Promise<number> {
    const conn = this.#conn();
    let deleted = 0;
    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const keys = batch;
      batch = [];
      const counts = conn.cluster
        ? await Promise.all(keys.map((k) => conn.client.unlink(k)))
        : [await conn.client.unlink(...keys)];
      deleted += counts.reduce((a, b) => a + b, 0);
    };
    for await (const key of this.#scan(this.#keys.everything())) {
      batch.push(key);
      if (batch.length >= 500) await this.#guard("clear", flush);
    }
    await this.#guard("clear", flush);
    this.#knownQueues.clear();
    return deleted;
  }

  // ---- locks ---------------------------------------------------------------------------------

  async acquireLock(name: string, ownerId: string, ttlMs: number | null): Promise<boolean> {
    const args = [ownerId, ttlArgument(ttlMs)];
    return this.#guard(
      "acquireLock",
      async () => Number(await this.#conn().scripts.run("acquire-lock", [this.#keys.lock(name)], args)) === 1,
    );
  }

  async releaseLock(name: string, ownerId: string): Promise<boolean> {
    return this.#guard(
      "releaseLock",
      async () => Number(await this.#conn().scripts.run("release-lock", [this.#keys.lock(name)], [ownerId])) === 1,
    );
  }

  async lockHolder(name: string): Promise<string | null> {
    return this.#guard("lockHolder", () => this.#conn().client.get(this.#keys.lock(name)));
  }

  // ---- pub/sub -------------------------------------------------------------------------------

  async publish(channel: string, value: unknown): Promise<void> {
    const payload = this.serializer.forward(value);
    await this.#guard("publish", async () => (await this.#publisher()).publish(this.#keys.channel(channel), payload));
  }

  // Cluster sends keyless commands to any node, and two publishes through different nodes may
  // arrive out of order; publishing through one fixed master keeps them in order.
  async #publisher(): Promise<Redis | Cluster> {
    const conn = this.#conn();
    if (!conn.cluster) return conn.client;
    const cluster = conn.client as Cluster;
    // A lazy cluster knows its nodes only once connected.
    if (cluster.nodes("master").length === 0) await cluster.ping();
    const masters = cluster.nodes("master");
    const key = (n: Redis): string => `${n.options.host ?? ""}:${n.options.port ?? 0}`;
    const pinned = [...masters].sort((a, b) => key(a).localeCompare(key(b)))[0];
    return pinned ?? conn.client;
  }

  async subscribe(channel: string, listener: (value: unknown) => void): Promise<Subscription> {
    const hub = this.#subscriberHub();
    const full = this.#keys.channel(channel);
    const onMessage = (message: string): void => listener(this.serializer.reverse(message));
    await this.#guard("subscribe", () => hub.add(full, onMessage));
    return { unsubscribe: () => hub.remove(full, onMessage) };
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.#closed) return;
    await Promise.all([...this.#watchers].map((w) => w.close()));
    this.#closed = true;
    await this.#hub?.close();
    if (this.#connection !== null && this.#owned) {
      await this.#connection.client.quit().catch(() => this.#connection?.client.disconnect());
    }
  }
}
