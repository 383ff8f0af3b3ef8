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
    return `${this.queuePrefix(queue)}ready`;
  }

  delayed(queue: string): string {
    return `${this.queuePrefix(queue)}delayed`;
  }

  active(queue: string): string {
    return `${this.queuePrefix(queue)}active`;
  }

  seq(queue: string): string {
    return `${this.queuePrefix(queue)}seq`;
  }

  dead(queue: string): string {
    return `${this.queuePrefix(queue)}dead`;
  }

  outbox(queue: string): string {
    return `${this.queuePrefix(queue)}outbox`;
  }

  /**
   * Flow-control hash of `queue` (paused flag, rate limits). The claim script also derives the
   * windows of claim times from the prefix: `rlw` (the queue's) and `rlw:<task>` (a task's).
   */
  control(queue: string): string {
    return `${this.queuePrefix(queue)}ctl`;
  }

  message(queue: string, uuid: string): string {
    return `${this.queuePrefix(queue)}m:${uuid}`;
  }

  deadLetter(queue: string, uuid: string): string {
    return `${this.queuePrefix(queue)}dead:${uuid}`;
  }

  result(queue: string, uuid: string): string {
    return `${this.queuePrefix(queue)}r:${uuid}`;
  }

  resultIndex(queue: string, progenitorUuid: string): string {
    return `${this.queuePrefix(queue)}rd:${progenitorUuid}`;
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
