import { randomUUID } from "node:crypto";
import {
  DEFAULT_DLQ_TTL,
  decodeStoredMessage,
  type AckOptions,
  type ClaimedMessage,
  type ClaimRequest,
  type ClaimResult,
  type Lease,
  type MessageData,
  type MessageRef,
  type QueueCounts,
  type QueuedMessage,
  type RateLimit,
  type RejectedMessage,
  type SubmitOutcome,
  type WriteOutcome,
} from "@alsek/core";
import type { SqliteContext } from "../database/sqlite-context.js";
import { FlowControlTable } from "./flow-control-table.js";
import { ThroughputTable } from "./throughput-table.js";

/** Messages one claim may postpone per queue because their task is at its rate limit. */
const MAX_POSTPONEMENTS_PER_CLAIM = 1_000;
/** Messages one claim may skip (`ClaimRequest.skipTasks`) per queue. */
const MAX_SKIPPED_PER_CLAIM = 1_000;

interface MessageRow {
  uuid: string;
  state: "ready" | "delayed" | "active";
  due_at: number | null;
  token: string | null;
  expired_leases: number;
  data: string;
}

/**
 * How a fenced write went: a {@link WriteOutcome}, or `"again"` for a re-send of a write that
 * already applied with this lease (answered `"ok"`, nothing changed).
 */
export type FencedOutcome = WriteOutcome | "again";

/** The fenced operations whose re-sends are answered `"ok"` (a fenced remove counts as an ack). */
type FencedOperation = "ack" | "retry" | "fail" | "release";

/** How long after its lease would have expired an applied fenced write is remembered. */
const APPLIED_WRITE_GRACE_MS = 60_000;

/** A lease carries a token; a bare ref (operator path) does not. */
function tokenOf(target: Lease | MessageRef): string | null {
  return "token" in target && typeof target.token === "string" ? target.token : null;
}

/**
 * Messages, their order and their leases, plus the dead-letter queue. Every method runs inside one
 * `BEGIN IMMEDIATE` transaction opened by the backend, so each is one atomic state change.
 */
export class QueueTable {
  /** Acks and failures per minute, bumped by {@link ack} and {@link fail}. */
  readonly throughput: ThroughputTable;
  /** Pause flags and rate limits, read and counted by {@link claim}. */
  readonly flow: FlowControlTable;
  readonly #ctx: SqliteContext;
  readonly #s;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    this.throughput = new ThroughputTable(ctx);
    this.flow = new FlowControlTable(ctx);
    const { db } = ctx;
    this.#s = {
      find: db.prepare(
        `SELECT uuid, state, due_at, token, expired_leases, data FROM alsek_messages
         WHERE ns = ? AND queue = ? AND uuid = ?`,
      ),
      wasApplied: db.prepare(
        "SELECT operation FROM alsek_applied WHERE ns = ? AND token = ? AND expires_at > ?",
      ),
      recordApplied: db.prepare(
        `INSERT INTO alsek_applied (ns, token, operation, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (ns, token) DO UPDATE SET operation = excluded.operation, expires_at = excluded.expires_at`,
      ),
      purgeApplied: db.prepare("DELETE FROM alsek_applied WHERE ns = ? AND expires_at <= ?"),
      nextSeq: db.prepare(
        `INSERT INTO alsek_queues (ns, queue, seq) VALUES (?, ?, 1)
         ON CONFLICT (ns, queue) DO UPDATE SET seq = seq + 1 RETURNING seq`,
      ),
      signal: db.prepare(
        `INSERT INTO alsek_signals (ns, queue, version) VALUES (?, ?, 1)
         ON CONFLICT (ns, queue) DO UPDATE SET version = version + 1`,
      ),
      insert: db.prepare(
        `INSERT INTO alsek_messages (ns, queue, uuid, state, priority, seq, due_at, data)
         VALUES (@ns, @queue, @uuid, @state, @priority, @seq, @dueAt, @data)`,
      ),
      promote: db.prepare(
        `UPDATE alsek_messages SET state = 'ready', due_at = NULL
         WHERE ns = ? AND queue = ? AND state = 'delayed' AND due_at <= ?`,
      ),
      expiredLeases: db.prepare(
        `SELECT uuid FROM alsek_messages
         WHERE ns = ? AND queue = ? AND state = 'active' AND due_at <= ? ORDER BY due_at`,
      ),
      reclaim: db.prepare(
        `UPDATE alsek_messages SET state = 'ready', due_at = NULL, token = NULL,
           expired_leases = expired_leases + 1
         WHERE ns = ? AND queue = ? AND state = 'active' AND due_at <= ?`,
      ),
      takeReady: db.prepare(
        `SELECT uuid, expired_leases, data FROM alsek_messages
         WHERE ns = ? AND queue = ? AND state = 'ready' ORDER BY priority, seq LIMIT ?`,
      ),
      // The skipped rows stay ready at the head of the line: a claim that skipped some reads past them.
      takeReadyAfter: db.prepare(
        `SELECT uuid, expired_leases, data FROM alsek_messages
         WHERE ns = ? AND queue = ? AND state = 'ready' ORDER BY priority, seq LIMIT ? OFFSET ?`,
      ),
      hasReady: db.prepare("SELECT 1 FROM alsek_messages WHERE ns = ? AND queue = ? AND state = 'ready' LIMIT 1"),
      hasReadyAfter: db.prepare(
        `SELECT 1 FROM alsek_messages
         WHERE ns = ? AND queue = ? AND state = 'ready' ORDER BY priority, seq LIMIT 1 OFFSET ?`,
      ),
      postpone: db.prepare(
        `UPDATE alsek_messages SET state = 'delayed', due_at = ?
         WHERE ns = ? AND queue = ? AND uuid = ?`,
      ),
      lease: db.prepare(
        `UPDATE alsek_messages SET state = 'active', token = ?, due_at = ?
         WHERE ns = ? AND queue = ? AND uuid = ?`,
      ),
      earliestDue: db.prepare(
        `SELECT MIN(due_at) AS due FROM alsek_messages WHERE ns = ? AND queue = ? AND state = ?`,
      ),
      renew: db.prepare(
        "UPDATE alsek_messages SET due_at = ? WHERE ns = ? AND queue = ? AND uuid = ?",
      ),
      delete: db.prepare("DELETE FROM alsek_messages WHERE ns = ? AND queue = ? AND uuid = ?"),
      reschedule: db.prepare(
        `UPDATE alsek_messages SET state = @state, due_at = @dueAt, token = NULL, data = @data
         WHERE ns = @ns AND queue = @queue AND uuid = @uuid`,
      ),
      release: db.prepare(
        `UPDATE alsek_messages SET state = 'ready', due_at = NULL, token = NULL
         WHERE ns = ? AND queue = ? AND uuid = ?`,
      ),
      deadLetter: db.prepare(
        `INSERT INTO alsek_dead_letters (ns, queue, uuid, data, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (ns, queue, uuid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
      ),
      purgeDead: db.prepare("DELETE FROM alsek_dead_letters WHERE ns = ? AND expires_at <= ?"),
      findDead: db.prepare(
        `SELECT data FROM alsek_dead_letters
         WHERE ns = ? AND queue = ? AND uuid = ? AND expires_at > ?`,
      ),
      countStates: db.prepare(
        `SELECT
           SUM(state = 'ready' OR due_at <= @now) AS ready,
           SUM(state = 'delayed' AND due_at > @now) AS delayed,
           SUM(state = 'active' AND due_at > @now) AS active
         FROM alsek_messages WHERE ns = @ns AND queue = @queue`,
      ),
      countDead: db.prepare(
        `SELECT COUNT(*) AS n FROM alsek_dead_letters WHERE ns = ? AND queue = ? AND expires_at > ?`,
      ),
      listQueues: db.prepare("SELECT queue FROM alsek_queues WHERE ns = ? ORDER BY queue"),
    };
  }

  /** Enqueue one message, idempotently. */
  submit(message: QueuedMessage): SubmitOutcome {
    const { ns, serializer } = this.#ctx;
    const data = serializer.forward(message.data);
    const existing = this.#find(message);
    if (existing !== undefined) return existing.data === data ? "duplicate" : "conflict";
    const { seq } = this.#s.nextSeq.get(ns, message.queue) as { seq: number };
    const delayed = message.readyAt > this.#ctx.now();
    this.#s.insert.run({
      ns,
      queue: message.queue,
      uuid: message.uuid,
      state: delayed ? "delayed" : "ready",
      priority: message.priority,
      seq,
      dueAt: delayed ? message.readyAt : null,
      data,
    });
    // Delayed work is signalled too: an idle consumer re-claims and learns the new, maybe
    // earlier, `nextReadyInMs` instead of sleeping through it.
    this.#signal(message.queue);
    return "created";
  }

  /**
   * Claim up to `limit` messages, queue by queue, leaving those of the tasks in `skip` (the
   * validated `request.skipTasks`) where they are. `onStalled` is told of each message whose
   * expired lease this claim brings back to ready, before it does (for its `stalled` event).
   */
  claim(
    request: ClaimRequest,
    skip: ReadonlySet<string> | null = null,
    onStalled: ((ref: MessageRef) => void) | null = null,
  ): ClaimResult {
    const { ns } = this.#ctx;
    const now = this.#ctx.now();
    const messages: ClaimedMessage[] = [];
    const rejected: RejectedMessage[] = [];
    const deadLetterTtlMs = request.deadLetterTtlMs === undefined ? DEFAULT_DLQ_TTL : request.deadLetterTtlMs;
    const reverse = (text: string): unknown => this.#ctx.serializer.reverse(text);
    let taken = 0;
    // Per queue: when flow control stopped this claim with ready messages left, when it frees.
    const freeAt = new Map<string, number>();
    const paused = new Set<string>();
    for (const queue of request.queues) {
      if (taken >= request.limit) break;
      this.#s.promote.run(ns, queue, now);
      if (onStalled !== null) {
        for (const row of this.#s.expiredLeases.all(ns, queue, now) as { uuid: string }[]) onStalled({ queue, uuid: row.uuid });
      }
      this.#s.reclaim.run(ns, queue, now);
      const flow = this.flow.open(queue);
      if (flow?.paused === true) {
        paused.add(queue);
        continue;
      }
      let allowed = flow === null ? Infinity : flow.admitQueue(now).allowed;
      const postponed = new Map<string, number>();
      let postponements = 0;
      // Rows of skipped tasks, left ready at the head of what remains: later reads start after them.
      let skipped = 0;
      let skipBoundHit = false;
      let more = true;
      while (more && taken < request.limit) {
        const want = Math.min(request.limit - taken, allowed);
        if (want <= 0) {
          if (this.#hasReadyAfter(queue, skipped)) freeAt.set(queue, flow?.admitQueue(now).freeAt ?? now);
          break;
        }
        const rows = (
          skipped === 0 ? this.#s.takeReady.all(ns, queue, want) : this.#s.takeReadyAfter.all(ns, queue, want, skipped)
        ) as MessageRow[];
        // Without task limits (or skips) one read is all: every row read is taken.
        more = rows.length > 0 && flow?.hasTaskLimits === true;
        for (const row of rows) {
          const ref = { queue, uuid: row.uuid };
          const decoded = decodeStoredMessage(ref, row.data, reverse);
          if (skip !== null && decoded.ok && skip.has(decoded.data.taskName)) {
            // Past the bound the rest of this queue waits for a later claim, which the skipped
            // rows alone never report as ready now (see ClaimRequest.skipTasks).
            if (skipped >= MAX_SKIPPED_PER_CLAIM) {
              skipBoundHit = true;
              break;
            }
            skipped += 1;
            more = true;
            continue;
          }
          if (!decoded.ok) {
            taken += 1;
            // Dead-lettered on its own inside this claim's transaction, so it never stays at the
            // head of its queue and the rows after it are claimed as usual.
            this.fail(ref, decoded.deadLetter, deadLetterTtlMs);
            rejected.push({ ...ref, error: decoded.error, deadLetter: decoded.deadLetter });
            continue;
          }
          const task = decoded.data.taskName;
          if (flow?.hasTaskLimits === true) {
            const admission = flow.admitTask(task, now);
            if (admission.allowed <= 0) {
              // Spread a backlog of one task over the windows ahead instead of bringing it all
              // back at once; a message that comes back too early is postponed again.
              const taskLimit = flow.taskLimit(task)!;
              const earlier = postponed.get(task) ?? 0;
              postponed.set(task, earlier + 1);
              postponements += 1;
              const at = (admission.freeAt ?? now) + Math.floor(earlier / taskLimit.max) * taskLimit.durationMs;
              this.#s.postpone.run(at, ns, queue, row.uuid);
              continue;
            }
          }
          taken += 1;
          allowed -= 1;
          flow?.record(task, now);
          const token = randomUUID();
          this.#s.lease.run(token, now + request.leaseMs, ns, queue, row.uuid);
          messages.push({ data: decoded.data, lease: { ...ref, token }, expiredLeases: row.expired_leases });
        }
        if (skipBoundHit) break;
        // The queue's limit ran out: the next turn says when its window frees.
        if (rows.length > 0 && allowed <= 0) more = true;
        if (postponements >= MAX_POSTPONEMENTS_PER_CLAIM) {
          if (this.#hasReadyAfter(queue, skipped)) freeAt.set(queue, now);
          break;
        }
      }
      if (flow !== null) this.flow.save(queue, flow);
    }
    if (taken >= request.limit) {
      return rejected.length > 0 ? { messages, rejected, nextReadyInMs: null } : { messages, nextReadyInMs: null };
    }
    let nextReadyInMs = this.#nextReadyInMs(
      request.queues.filter((queue) => !paused.has(queue)),
      now,
    );
    for (const at of freeAt.values()) nextReadyInMs = Math.min(nextReadyInMs ?? Infinity, Math.max(0, at - now));
    return rejected.length > 0 ? { messages, rejected, nextReadyInMs } : { messages, nextReadyInMs };
  }

  /** Whether `queue` has ready rows beyond its first `skipped` (the ones this claim skipped). */
  #hasReadyAfter(queue: string, skipped: number): boolean {
    const { ns } = this.#ctx;
    const row = skipped === 0 ? this.#s.hasReady.get(ns, queue) : this.#s.hasReadyAfter.get(ns, queue, skipped);
    return row !== undefined;
  }

  #nextReadyInMs(queues: readonly string[], now: number): number | null {
    const { ns } = this.#ctx;
    let earliest: number | null = null;
    for (const queue of queues) {
      for (const state of ["delayed", "active"] as const) {
        const { due } = this.#s.earliestDue.get(ns, queue, state) as { due: number | null };
        if (due !== null && (earliest === null || due < earliest)) earliest = due;
      }
    }
    return earliest === null ? null : Math.max(0, earliest - now);
  }

  /** Whether `lease` still holds its message: `"ok"`, `"lost"` or `"gone"`. Changes nothing. */
  leaseState(lease: Lease): WriteOutcome {
    return this.#check(lease);
  }

  /** Extend one lease. */
  renew(lease: Lease, leaseMs: number): WriteOutcome {
    const outcome = this.#check(lease);
    if (outcome === "ok") {
      this.#s.renew.run(this.#ctx.now() + leaseMs, this.#ctx.ns, lease.queue, lease.uuid);
    }
    return outcome;
  }

  /** Remove after success, storing the result and the callback through `afterRemove`. */
  ack(target: Lease | MessageRef, options: AckOptions, afterRemove: () => void): FencedOutcome {
    const outcome = this.#check(target);
    if (outcome !== "ok") return this.#refused(target, "ack", outcome);
    this.#recordApplied(target, "ack");
    this.#delete(target);
    this.throughput.bump(target.queue, "completed");
    afterRemove();
    if (options.callback !== undefined) this.submit(options.callback);
    return "ok";
  }

  /** Store new data and schedule again. */
  retry(target: Lease | MessageRef, data: MessageData, readyAt: number): FencedOutcome {
    const outcome = this.#check(target);
    if (outcome !== "ok") return this.#refused(target, "retry", outcome);
    this.#recordApplied(target, "retry");
    const delayed = readyAt > this.#ctx.now();
    this.#s.reschedule.run({
      ns: this.#ctx.ns,
      queue: target.queue,
      uuid: target.uuid,
      state: delayed ? "delayed" : "ready",
      dueAt: delayed ? readyAt : null,
      data: this.#ctx.serializer.forward(data),
    });
    this.#signal(target.queue);
    return "ok";
  }

  /** Remove, and keep `data` in the dead-letter queue when `dlqTtlMs` is positive. */
  fail(target: Lease | MessageRef, data: MessageData, dlqTtlMs: number | null): FencedOutcome {
    const outcome = this.#check(target);
    if (outcome !== "ok") return this.#refused(target, "fail", outcome);
    this.#recordApplied(target, "fail");
    this.#delete(target);
    this.throughput.bump(target.queue, "failed");
    if (dlqTtlMs !== null && dlqTtlMs > 0) {
      const now = this.#ctx.now();
      this.#s.purgeDead.run(this.#ctx.ns, now);
      this.#s.deadLetter.run(
        this.#ctx.ns,
        target.queue,
        target.uuid,
        this.#ctx.serializer.forward(data),
        now + dlqTtlMs,
      );
    }
    return "ok";
  }

  /** Give a claimed message back at its original place. */
  release(lease: Lease): FencedOutcome {
    const outcome = this.#check(lease);
    if (outcome !== "ok") return this.#refused(lease, "release", outcome);
    this.#recordApplied(lease, "release");
    this.#s.release.run(this.#ctx.ns, lease.queue, lease.uuid);
    this.#signal(lease.queue);
    return "ok";
  }

  /** Remove without a trace. */
  remove(target: Lease | MessageRef): FencedOutcome {
    const outcome = this.#check(target);
    // A fenced remove is an ack without side effects, remembered as one.
    if (outcome !== "ok") return this.#refused(target, "ack", outcome);
    this.#recordApplied(target, "ack");
    this.#delete(target);
    return "ok";
  }

  /** The queued message's data, or `null`. @throws MessageDecodeError when it cannot be decoded. */
  getMessage(ref: MessageRef): MessageData | null {
    const row = this.#find(ref);
    if (row === undefined) return null;
    const decoded = decodeStoredMessage(ref, row.data, (text) => this.#ctx.serializer.reverse(text));
    if (!decoded.ok) throw decoded.error;
    return decoded.data;
  }

  /** The dead letter's data, or `null` when absent or expired. */
  getDeadLetter(ref: MessageRef): MessageData | null {
    const row = this.#s.findDead.get(this.#ctx.ns, ref.queue, ref.uuid, this.#ctx.now()) as
      | { data: string }
      | undefined;
    return row === undefined ? null : (this.#ctx.serializer.reverse(row.data) as MessageData);
  }

  /** Counts of one queue, judged at this instant (due delayed work and expired leases are ready). */
  count(queue: string): QueueCounts {
    const now = this.#ctx.now();
    const row = this.#s.countStates.get({ ns: this.#ctx.ns, queue, now }) as {
      ready: number | null;
      delayed: number | null;
      active: number | null;
    };
    const dead = this.#s.countDead.get(this.#ctx.ns, queue, now) as { n: number };
    return {
      ready: row.ready ?? 0,
      delayed: row.delayed ?? 0,
      active: row.active ?? 0,
      dead: dead.n,
    };
  }

  /** Queues that ever received a message in this namespace (since the last `clear`). */
  listQueues(): string[] {
    return (this.#s.listQueues.all(this.#ctx.ns) as { queue: string }[]).map((row) => row.queue);
  }

  #find(ref: MessageRef): MessageRow | undefined {
    return this.#s.find.get(this.#ctx.ns, ref.queue, ref.uuid) as MessageRow | undefined;
  }

  /** Whether `target` may write: its lease still holds, or it is a bare ref to an existing message. */
  #check(target: Lease | MessageRef): WriteOutcome {
    const row = this.#find(target);
    if (row === undefined) return "gone";
    const token = tokenOf(target);
    if (token === null) return "ok";
    return row.state === "active" && row.token === token ? "ok" : "lost";
  }

  /** The answer to a fenced write that cannot apply: `"again"` when it is a re-send of one that did. */
  #refused(target: Lease | MessageRef, operation: FencedOperation, outcome: WriteOutcome): FencedOutcome {
    const token = tokenOf(target);
    if (token === null) return outcome;
    const row = this.#s.wasApplied.get(this.#ctx.ns, token, this.#ctx.now()) as { operation: string } | undefined;
    return row?.operation === operation ? "again" : outcome;
  }

  /** Remembers an applied fenced write (before it changes the row), so its re-send gets `"ok"`. */
  #recordApplied(target: Lease | MessageRef, operation: FencedOperation): void {
    const token = tokenOf(target);
    if (token === null) return;
    const now = this.#ctx.now();
    const leaseEnd = this.#find(target)?.due_at ?? now;
    this.#s.purgeApplied.run(this.#ctx.ns, now);
    this.#s.recordApplied.run(this.#ctx.ns, token, operation, Math.max(leaseEnd, now) + APPLIED_WRITE_GRACE_MS);
  }

  #delete(ref: MessageRef): void {
    this.#s.delete.run(this.#ctx.ns, ref.queue, ref.uuid);
  }

  /** Pause or resume `queue`; resuming wakes its watchers. */
  setPaused(queue: string, paused: boolean): void {
    this.flow.setPaused(queue, paused);
    if (!paused) this.#signal(queue);
  }

  /** Set or remove a rate limit of `queue` (of one task when `task` is given); wakes watchers. */
  setRateLimit(queue: string, limit: RateLimit | null, task: string | undefined): void {
    this.flow.setRateLimit(queue, limit, task);
    this.#signal(queue);
  }

  #signal(queue: string): void {
    this.#s.signal.run(this.#ctx.ns, queue);
    this.#ctx.touch(queue);
  }
}
