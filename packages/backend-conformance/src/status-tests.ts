import { expect, it } from "vitest";
import { TERMINAL_STATUS_RANK, TaskStatus, ValidationError, statusRank, type StatusWrite } from "@alsek/core";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

const LEASE_MS = 60_000;

/** Status writes every backend refuses, whatever else it stores. */
const MALFORMED_STATUS_WRITES: [string, Partial<StatusWrite>][] = [
  ["an empty key", { key: "" }],
  ["a negative rank", { rank: -1 }],
  ["a fractional rank", { rank: 1.5 }],
  ["a rank above the terminal one", { rank: TERMINAL_STATUS_RANK + 1 }],
];

/** A status write as a status sink would prepare it; keys carry the queue as a hash tag. */
function statusWrite(queue: string, uuid: string, status: TaskStatus, attempt = 0): StatusWrite {
  const key = `status:{${queue}}:${uuid}`;
  return { key, value: { status: TaskStatus[status], attempt }, rank: statusRank(status, attempt), ttlMs: null, channel: key };
}

/** Guarded status writes: a status never moves backwards, and the first one comes with the submit. */
export function registerStatusTests(ctx: SuiteContext): void {
  it.each(MALFORMED_STATUS_WRITES)("refuses a status write with %s with a ValidationError, and stores nothing", async (_what, change) => {
    const valid = statusWrite("q", "m1", TaskStatus.RUNNING);
    await expect(ctx.backend.setStatus({ ...valid, ...change })).rejects.toThrow(ValidationError);
    expect(await ctx.backend.hasValue(valid.key)).toBe(false);
  });

  it("writes a status only when its rank is above the stored one, and answers a repeat of the stored write true", async () => {
    const { backend } = ctx;
    const write = (status: TaskStatus, attempt = 0) => backend.setStatus(statusWrite("q", "m1", status, attempt));
    const stored = async () => backend.getValue(statusWrite("q", "m1", TaskStatus.UNKNOWN).key);
    expect(await write(TaskStatus.RUNNING)).toBe(true);
    expect(await write(TaskStatus.SUBMITTED)).toBe(false);
    // The very write that is stored (same rank and value): a re-send after a lost reply on Redis.
    expect(await write(TaskStatus.RUNNING)).toBe(true);
    // The same rank with another value is refused.
    const other = statusWrite("q", "m1", TaskStatus.RUNNING);
    expect(await backend.setStatus({ ...other, value: { ...(other.value as object), by: "another writer" } })).toBe(false);
    expect(await stored()).toEqual({ status: "RUNNING", attempt: 0 });
    expect(await write(TaskStatus.RETRYING, 1)).toBe(true);
    expect(await write(TaskStatus.RUNNING, 0)).toBe(false);
    expect(await write(TaskStatus.RUNNING, 1)).toBe(true);
    expect(await write(TaskStatus.SUCCEEDED, 1)).toBe(true);
    expect(await write(TaskStatus.FAILED, 1)).toBe(false);
    expect(await write(TaskStatus.UNKNOWN)).toBe(false);
    expect(await write(TaskStatus.RUNNING, 7)).toBe(false);
    expect(await stored()).toEqual({ status: "SUCCEEDED", attempt: 1 });
  });

  it("orders SUBMITTED < RUNNING(n) < RETRYING < RUNNING(n+1) < UNKNOWN < terminal", () => {
    const order = [
      statusRank(TaskStatus.SUBMITTED, 0),
      statusRank(TaskStatus.RUNNING, 0),
      statusRank(TaskStatus.RETRYING, 1),
      statusRank(TaskStatus.RUNNING, 1),
      statusRank(TaskStatus.RETRYING, 2),
      statusRank(TaskStatus.RUNNING, 2),
      statusRank(TaskStatus.UNKNOWN, 0),
      statusRank(TaskStatus.SUCCEEDED, 0),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(new Set(order).size).toBe(order.length);
    expect(statusRank(TaskStatus.FAILED, 3)).toBe(TERMINAL_STATUS_RANK);
  });

  it("overrides a plain value at the key, and publishes only the writes that apply", async () => {
    const { backend } = ctx;
    const submitted = statusWrite("q", "m2", TaskStatus.SUBMITTED);
    const running = statusWrite("q", "m2", TaskStatus.RUNNING);
    const seen: unknown[] = [];
    await backend.subscribe(submitted.channel!, (value) => seen.push(value));
    await backend.setValue(submitted.key, "written by something else");
    expect(await backend.setStatus(running)).toBe(true);
    expect(await backend.setStatus(submitted)).toBe(false);
    const succeeded = statusWrite("q", "m2", TaskStatus.SUCCEEDED);
    expect(await backend.setStatus(succeeded)).toBe(true);
    // A repeat of the stored write is answered true but not published again.
    expect(await backend.setStatus(succeeded)).toBe(true);
    const marker = statusWrite("q", "m2-marker", TaskStatus.SUBMITTED);
    await backend.subscribe(marker.channel!, (value) => seen.push(value));
    expect(await backend.setStatus(marker)).toBe(true);
    await ctx.eventually("the notices arrive", async () => (seen.length >= 3 ? true : undefined));
    expect(seen).toEqual([running.value, succeeded.value, marker.value]);
  });

  it("writes a message's first status with the submit that creates it, replacing a stored one", async () => {
    const { backend } = ctx;
    const message = queuedMessage("q");
    const first = statusWrite("q", message.uuid, TaskStatus.SUBMITTED);
    // Subscribed first: on a Cluster a notice reaches the subscriber's node over the cluster bus,
    // so one published just before a subscription may still arrive after it.
    const seen: unknown[] = [];
    await backend.subscribe(first.channel!, (value) => seen.push(value));
    // A status left by an earlier life of this uuid (a dead letter re-submitted by an operator).
    const earlier = statusWrite("q", message.uuid, TaskStatus.FAILED);
    expect(await backend.setStatus(earlier)).toBe(true);
    expect(await backend.submit([{ ...message, status: first }])).toEqual(["created"]);
    expect(await backend.getValue(first.key)).toEqual(first.value);
    await ctx.eventually("the submit's notice arrives", async () => (seen.length >= 2 ? true : undefined));
    expect(seen).toEqual([earlier.value, first.value]);
    // A replayed submit writes nothing: the message's life goes on.
    expect(await backend.setStatus(statusWrite("q", message.uuid, TaskStatus.RUNNING))).toBe(true);
    const replayed = { ...first, value: "replayed" };
    expect(await backend.submit([{ ...message, status: replayed }])).toEqual(["duplicate"]);
    expect(await backend.getValue(first.key)).toEqual(statusWrite("q", message.uuid, TaskStatus.RUNNING).value);
  });

  it("has the status in place before any claim can see the message", async () => {
    const { backend } = ctx;
    const messages = Array.from({ length: 40 }, () => queuedMessage("race"));
    let claimed = 0;
    const claiming = (async () => {
      while (claimed < messages.length) {
        const { messages: got } = await backend.claim({ queues: ["race"], limit: 10, leaseMs: LEASE_MS });
        for (const { lease } of got) {
          await backend.setStatus(statusWrite("race", lease.uuid, TaskStatus.RUNNING));
          claimed += 1;
        }
        if (got.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    for (const message of messages) {
      await backend.submit([{ ...message, status: statusWrite("race", message.uuid, TaskStatus.SUBMITTED) }]);
    }
    await claiming;
    for (const message of messages) {
      expect(await backend.getValue(statusWrite("race", message.uuid, TaskStatus.RUNNING).key)).toEqual({
        status: "RUNNING",
        attempt: 0,
      });
    }
  });

  it("writes a released message's status whatever its rank, only when the release applies", async () => {
    const { backend } = ctx;
    const message = queuedMessage("q");
    await backend.submit([{ ...message, status: statusWrite("q", message.uuid, TaskStatus.SUBMITTED) }]);
    const { messages } = await backend.claim({ queues: ["q"], limit: 1, leaseMs: LEASE_MS });
    const lease = messages[0]!.lease;
    expect(await backend.setStatus(statusWrite("q", message.uuid, TaskStatus.RUNNING))).toBe(true);
    const back = statusWrite("q", message.uuid, TaskStatus.SUBMITTED);
    expect(await backend.release(lease, { status: back })).toBe("ok");
    expect(await backend.getValue(back.key)).toEqual(back.value);
    // The next attempt's RUNNING moves it on again.
    const next = (await backend.claim({ queues: ["q"], limit: 1, leaseMs: LEASE_MS })).messages[0]!.lease;
    expect(await backend.setStatus(statusWrite("q", message.uuid, TaskStatus.RUNNING))).toBe(true);
    // A release that does not apply (its lease is gone) writes nothing.
    expect(await backend.release({ ...next, token: `${next.token}-stale` }, { status: back })).toBe("lost");
    expect(await backend.getValue(back.key)).toEqual({ status: "RUNNING", attempt: 0 });
  });
}
