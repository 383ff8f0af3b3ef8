/**
 * What follows a queue's prefix (`<ns>:q:{<queue>}:`) in each of its keys. The scripts receive the
 * prefix and derive the per-message and bookkeeping keys from it (`prefix .. 'm:' .. uuid`);
 * `key-layout.test.ts` checks that every suffix a script appends is one of these.
 */
export const QUEUE_KEY_SUFFIXES = {
  /**
   * zset of ready uuids, score `priority * 2^32 + seq`: every ready message except those in
   * {@link QUEUE_KEY_SUFFIXES.wait}.
   */
  ready: "ready",
  /**
   * List of ready uuids of the default priority that were ready when submitted, in arrival order
   * (which is their score order). A list entry costs a few bytes where a zset entry costs ~110; a
   * claim takes from both in score order.
   */
  wait: "wait",
  /** zset of delayed uuids, score `readyAt`. */
  delayed: "delayed",
  /** zset of leased uuids, score lease expiry. */
  active: "active",
  /** Arrival counter. */
  seq: "seq",
  /** zset index of dead letters, score expiry. */
  dead: "dead",
  /** List of callbacks whose queue is in another Cluster slot. */
  outbox: "outbox",
  /** `m:<uuid>`: the ready score, then the serialized message data. */
  message: "m:",
  /** `dead:<uuid>`: a dead letter's data. */
  deadLetter: "dead:",
  /** `r:<uuid>`: a stored result. */
  result: "r:",
  /**
   * `taken:<take id>:<uuid>`: a result a `getResults` without `keep` took, kept 60 s for a re-send
   * of that call (its reply lost) to find.
   */
  taken: "taken:",
  /** `rd:<progenitor uuid>`: the results of a message family. */
  resultIndex: "rd:",
  /** Hash uuid → lease token, claimed messages only. */
  lease: "lease",
  /** Hash uuid → expired leases, for messages whose lease ever expired. */
  expiredLeases: "exp",
  /** `applied:<minute>`: fenced writes applied in that minute of server time, by token. */
  applied: "applied:",
  /** `tp:<epoch minute>`: acks and failures counted in that minute. */
  throughput: "tp:",
  /** Hash of flow control: paused flag, the queue's rate limit, its tasks' limits. */
  control: "ctl",
  /** zset lease token → claim time: the sliding window of the queue's rate limit. */
  rateWindow: "rlw",
  /** `rlw:<task>`: the sliding window of one task's rate limit. */
  taskRateWindow: "rlw:",
  /** Stream of the queue's events (only with the backend's `events` option). */
  events: "events",
  /** Hash uuid → attempt of messages retried at least once (only with `events`). */
  attempts: "att",
  /**
   * `'1'` while a claim that skipped messages (`ClaimRequest.skipTasks`) left only those in ready:
   * the next message made ready wakes the queue's watchers and removes it.
   */
  skipWaiting: "skw",
} as const;

/**
 * Every Redis key and channel name the backend uses, in one place. Queue keys carry the hash tag
 * `{<queue>}` so all of a queue's keys share one Cluster slot and its scripts never cross slots.
 */
export class KeyLayout {
  readonly #ns: string;

  constructor(namespace: string) {
    this.#ns = namespace;
  }

  /** Prefix of every key of `queue`: `<ns>:q:{<queue>}:`. Scripts derive per-message keys from it. */
  queuePrefix(queue: string): string {
    return `${this.#ns}:q:{${queue}}:`;
  }

  ready(queue: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.ready}`;
  }

  /** The list of `queue`'s ready messages of the default priority (see {@link QUEUE_KEY_SUFFIXES}). */
  wait(queue: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.wait}`;
  }

  delayed(queue: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.delayed}`;
  }

  active(queue: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.active}`;
  }

  seq(queue: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.seq}`;
  }

  dead(queue: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.dead}`;
  }

  outbox(queue: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.outbox}`;
  }

  /** Hash of the lease tokens of `queue`'s claimed messages. */
  lease(queue: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.lease}`;
  }

  /** Hash of the expired-lease counts of `queue`'s messages. */
  expiredLeases(queue: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.expiredLeases}`;
  }

  /**
   * Flow-control hash of `queue` (paused flag, rate limits). The claim script also derives the
   * windows of claim times from the prefix: `rlw` (the queue's) and `rlw:<task>` (a task's).
   */
  control(queue: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.control}`;
  }

  /** Stream of `queue`'s events (written by the state-change scripts when events are on). */
  events(queue: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.events}`;
  }

  message(queue: string, uuid: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.message}${uuid}`;
  }

  deadLetter(queue: string, uuid: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.deadLetter}${uuid}`;
  }

  result(queue: string, uuid: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.result}${uuid}`;
  }

  resultIndex(queue: string, progenitorUuid: string): string {
    return `${this.queuePrefix(queue)}${QUEUE_KEY_SUFFIXES.resultIndex}${progenitorUuid}`;
  }

  /** A trigger task's stored schedule (hash): `<ns>:q:{<queue>}:s:<name>`, in the queue's slot. */
  schedule(queue: string, name: string): string {
    return `${this.queuePrefix(queue)}s:${name}`;
  }

  /** The names of `queue`'s stored schedules (zset, every score 0, so members list by name). */
  schedules(queue: string): string {
    return `${this.queuePrefix(queue)}schedules`;
  }

  /** Set of every queue name that ever received a message. */
  queues(): string {
    return `${this.#ns}:queues`;
  }

  value(key: string): string {
    return `${this.#ns}:kv:${key}`;
  }

  /** Prefix stripped from scanned keyed-value names. */
  valuePrefix(): string {
    return `${this.#ns}:kv:`;
  }

  lock(name: string): string {
    return `${this.#ns}:lock:${name}`;
  }

  channel(name: string): string {
    return `${this.#ns}:ch:${name}`;
  }

  /** Channel on which scripts announce that `queue`'s ready set went from empty to non-empty. */
  wakeChannel(queue: string): string {
    return `${this.#ns}:wake:${queue}`;
  }

  /** A SCAN pattern matching every key of this namespace. */
  everything(): string {
    return `${escapeGlob(this.#ns)}:*`;
  }

  /** A SCAN pattern matching keyed values whose name matches `pattern`. */
  valuePattern(pattern: string): string {
    return `${escapeGlob(this.#ns)}:kv:${pattern}`;
  }
}

/** Escapes Redis glob metacharacters so a namespace is matched literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
