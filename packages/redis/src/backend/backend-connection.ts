// Every Redis operation group of the backend shares one lazily created client, its scripts, the key
// layout and one way of turning ioredis failures into BackendErrors; this holds them in one place so
// the groups stay free of connection bookkeeping.
import {
  AlsekError,
  BackendError,
  PermanentBackendError,
  compactMessageData,
  createLogger,
  type Logger,
  type LogSink,
  expandMessageData,
  type MessageData,
  type MessageRef,
  type Serializer,
} from "@alsek/core";
import type { Cluster, Redis } from "ioredis";
import {
  describeEndpoint,
  ioredisLoaded,
  describePermanentFailure,
  guardSocketErrors,
  isCluster,
  loadIoredis,
  logConnectionErrors,
  quietReadyCheck,
  resolveClient,
  watchForPermanentFailure,
  type RedisClient,
  type RedisConnection,
} from "../connection/index.js";
import type { KeyLayout } from "../keys/index.js";
import { ScriptSet } from "../lua/index.js";
import { SubscriberHub } from "../watch/index.js";
import type { RedisBackendOptions } from "./redis-backend-options.js";

/** The client of a {@link BackendConnection} with what is derived from it once. */
export interface OpenConnection {
  /** The ioredis client (standalone, Sentinel or Cluster). */
  client: RedisClient;
  /** The backend's Lua scripts, loaded on `client`. */
  scripts: ScriptSet;
  /** Whether `client` is a Cluster, whose keys of different queues live on different slots. */
  cluster: boolean;
}

/**
 * The connection state of one `RedisBackend`: the client (created without connecting on first use),
 * whether the backend owns it, the subscriber connection, the queues already registered, and the
 * wrapping of driver errors into {@link BackendError}s that name the endpoint.
 */
export class BackendConnection {
  /** The backend's logs, to its `logger` option or the process-wide logger. */
  readonly log: Logger;
  /** Where every key and channel of the backend lives. */
  readonly keys: KeyLayout;
  /** Encodes stored messages, results, values and published payloads. */
  readonly serializer: Serializer;
  /** Cap of each queue's event stream, passed to every script that records events; `0`: off. */
  readonly eventLength: number;

  readonly #connectionArgument: RedisConnection | undefined;
  readonly #redisOptions: RedisBackendOptions["redisOptions"];
  #endpoint = "not connected";
  #connection: OpenConnection | null = null;
  #owned = false;
  #hub: SubscriberHub | null = null;
  readonly #knownQueues = new Set<string>();
  #closed = false;
  /** A connection failure retrying cannot fix: every operation fails with it from then on. */
  #permanent: PermanentBackendError | null = null;
  /** The client's last connection error: why a command ran out of retries. */
  #lastConnectionError: string | null = null;

  constructor(
    keys: KeyLayout,
    serializer: Serializer,
    connection: RedisConnection | undefined,
    redisOptions: RedisBackendOptions["redisOptions"],
    logger: LogSink | null = null,
    eventLength = 0,
  ) {
    this.log = createLogger("alsek.redis", logger);
    this.keys = keys;
    this.eventLength = eventLength;
    this.serializer = serializer;
    this.#connectionArgument = connection;
    this.#redisOptions = redisOptions;
  }

  /**
   * Resolves once the driver is loaded; `null` when it already is, so that callers skip an await.
   * Every operation waits for it before its first {@link BackendConnection.get}.
   */
  ready(): Promise<unknown> | null {
    return ioredisLoaded() ? null : loadIoredis();
  }

  /** Loads the driver if needed, for an operation that reads {@link BackendConnection.get} before its first guarded call. */
  async open(operation: string): Promise<void> {
    if (!ioredisLoaded()) await this.guard(operation, async () => undefined);
  }

  /** The open connection, created on first call; throws once the backend is closed. */
  get(): OpenConnection {
    if (this.#closed) throw new BackendError("This RedisBackend is closed; create a new one.");
    if (this.#connection !== null) return this.#connection;
    const { client, owned } = resolveClient(this.#connectionArgument, this.#redisOptions ?? {}, this.log);
    this.#owned = owned;
    this.#endpoint = describeEndpoint(client);
    if (owned) {
      const endpoint = this.#endpoint;
      watchForPermanentFailure(client, (reason, cause) => {
        this.#permanent = new PermanentBackendError(`Redis at ${endpoint}: ${reason}.`, { cause });
      });
      logConnectionErrors(client, endpoint, this.log, (error) => this.#permanent !== null || describePermanentFailure(error) !== null);
      client.on("error", (error: Error) => {
        this.#lastConnectionError = error.message;
      });
      client.on("ready", () => {
        this.#lastConnectionError = null;
      });
    }
    this.#connection = { client, scripts: new ScriptSet(client), cluster: isCluster(client) };
    return this.#connection;
  }

  /** The shared subscriber connection (one per backend), created on first call. */
  subscriberHub(): SubscriberHub {
    this.#hub ??= new SubscriberHub(() => {
      const conn = this.get();
      // A subscriber must never give up on a command while Redis restarts.
      // Made lazy and connected below, once guarded: a client made with `lazyConnect: false`
      // opens its first socket in its constructor, before a guard could wrap its connector.
      const subscriber = conn.cluster
        ? (conn.client as Cluster).duplicate([], { lazyConnect: true })
        : (conn.client as Redis).duplicate({ lazyConnect: true, maxRetriesPerRequest: null });
      if (this.#owned && !conn.cluster) {
        quietReadyCheck(subscriber as Redis, this.log);
        guardSocketErrors(subscriber as Redis);
      }
      if (this.#owned) {
        // It never gives up on a command otherwise: an unsubscribe would wait for good.
        watchForPermanentFailure(subscriber, (reason, cause) => {
          this.#permanent ??= new PermanentBackendError(`Redis at ${this.#endpoint}: ${reason}.`, { cause });
        });
      }
      logConnectionErrors(subscriber, `${this.#endpoint}, subscriber`, this.log, (error) => describePermanentFailure(error) !== null);
      // Its failures reach the listeners above and the hub's commands; this promise adds nothing.
      subscriber.connect().catch(() => {});
      return subscriber;
    }, () => this.ready());
    return this.#hub;
  }

  /**
   * Runs `run`, turning a driver failure into a {@link BackendError} that names `operation`: a
   * {@link PermanentBackendError} when retrying cannot fix it (credentials, permissions, TLS).
   */
  async guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    if (this.#permanent !== null) throw this.#permanent;
    try {
      const loading = this.ready();
      if (loading !== null) await loading;
      return await run();
    } catch (error) {
      if (error instanceof AlsekError) throw error;
      if (this.#permanent !== null) throw this.#permanent;
      const reason = describePermanentFailure(error);
      if (reason !== null) {
        throw new PermanentBackendError(`Redis ${operation} failed (${this.#endpoint}): ${reason}.`, { cause: error });
      }
      // "Reached the max retries per request limit" says nothing of why Redis was unreachable.
      const why = (error as Error).name === "MaxRetriesPerRequestError" && this.#lastConnectionError !== null
        ? ` (last connection error: ${this.#lastConnectionError})`
        : "";
      throw new BackendError(`Redis ${operation} failed (${this.#endpoint}): ${(error as Error).message}${why}`, {
        cause: error,
      });
    }
  }

  /** The ready, delayed and active keys of `queue`, in the order the scripts expect. */
  queueKeys(queue: string): string[] {
    return [this.keys.ready(queue), this.keys.delayed(queue), this.keys.active(queue)];
  }

  /**
   * Adds the queues this backend has not registered yet to the queue set; `null` when there are none,
   * so that callers skip an await.
   */
  registerQueues(queues: Iterable<string>): Promise<unknown> | null {
    const fresh = [...queues].filter((q) => !this.#knownQueues.has(q));
    if (fresh.length === 0) return null;
    return this.get()
      .client.sadd(this.keys.queues(), ...fresh)
      .then(() => {
        for (const q of fresh) this.#knownQueues.add(q);
      });
  }

  /** Forgets which queues are registered, after their keys were deleted. */
  forgetQueues(): void {
    this.#knownQueues.clear();
  }

  // Messages are stored without their default fields (and without the queue and uuid the key
  // already names): a no-op message is ~130 bytes of JSON instead of ~520.
  /** The stored form of a message's data. */
  encodeMessage(data: MessageData, ref: MessageRef): string {
    return this.serializer.forward(compactMessageData(data, ref));
  }

  /** A message's data from its stored form. */
  decodeMessage(text: string, ref: MessageRef): MessageData {
    return expandMessageData(this.serializer.reverse(text) as MessageData, ref);
  }

  /** Whether {@link BackendConnection.close} has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the subscriber and, if this backend created the client, the client. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#hub?.close();
    if (this.#connection !== null && this.#owned) {
      await this.#connection.client.quit().catch(() => this.#connection?.client.disconnect());
    }
  }
}
