import { randomUUID } from "node:crypto";
import { expect, it, vi } from "vitest";
import { MemoryBackend, TaskStatus, ValidationError, WaitTimeoutError } from "@alsek/core";
import { describeOnBackends } from "../__tests__/backend-cases.js";
import { deafBackend } from "../__tests__/deaf-backend.js";
import { StatusNotFoundError } from "../errors/index.js";
import type { MessageLike } from "../messages/index.js";
import { StatusTracker } from "./status-tracker.js";
import type { StatusUpdate } from "./status-update.js";

function message(queue = "status_q"): MessageLike {
  return { queue, uuid: randomUUID(), taskName: "someTask" };
}

async function collect(updates: AsyncIterable<StatusUpdate>, into: TaskStatus[]): Promise<void> {
  for await (const update of updates) into.push(update.status);
}

describeOnBackends("StatusTracker", ({ backend, peer }) => {
  it("reads back the status last written, with its details", async () => {
    const tracker = new StatusTracker(backend());
    const m = message();
    await tracker.set(m, TaskStatus.SUBMITTED);
    await tracker.set(m, TaskStatus.RUNNING, { attempt: 1 });
    const update = await tracker.get(m);
    expect(update.status).toBe(TaskStatus.RUNNING);
    expect(update.details).toEqual({ attempt: 1 });
    expect(await tracker.exists(m)).toBe(true);
  });

  it("throws StatusNotFoundError for a message that was never tracked", async () => {
    const tracker = new StatusTracker(backend());
    const m = message();
    expect(await tracker.exists(m)).toBe(false);
    await expect(tracker.get(m)).rejects.toBeInstanceOf(StatusNotFoundError);
  });

  it("rejects a value that is not a TaskStatus", async () => {
    const tracker = new StatusTracker(backend());
    await expect(tracker.set(message(), 42 as TaskStatus)).rejects.toBeInstanceOf(ValidationError);
    await expect(tracker.waitFor(message(), [])).rejects.toBeInstanceOf(ValidationError);
  });

  it("rejects a message whose queue name could not be stored", async () => {
    const tracker = new StatusTracker(backend());
    await expect(tracker.set({ queue: "a:b", uuid: "x" }, TaskStatus.RUNNING)).rejects.toBeInstanceOf(ValidationError);
  });

  it("keeps statuses of different queues apart", async () => {
    const tracker = new StatusTracker(backend());
    const a = message("q1");
    const b = { ...a, queue: "q10" };
    await tracker.set(a, TaskStatus.SUCCEEDED);
    expect(await tracker.exists(b)).toBe(false);
  });

  it("deletes a terminal status, and a non-terminal one only when forced", async () => {
    const tracker = new StatusTracker(backend());
    const running = message();
    await tracker.set(running, TaskStatus.RUNNING);
    await expect(tracker.delete(running)).rejects.toBeInstanceOf(ValidationError);
    expect(await tracker.exists(running)).toBe(true);
    expect(await tracker.delete(running, { force: true })).toBe(true);
    expect(await tracker.exists(running)).toBe(false);

    const done = message();
    await tracker.set(done, TaskStatus.FAILED);
    expect(await tracker.delete(done)).toBe(true);
    expect(await tracker.delete(done)).toBe(false);
  });

  it("expires a status after its ttl whatever the status written, not only SUBMITTED", async () => {
    const longLived = new StatusTracker(backend());
    const shortLived = new StatusTracker(backend(), { ttl: 200 });
    const resubmitted = message();
    await longLived.set(resubmitted, TaskStatus.SUBMITTED);
    await shortLived.set(resubmitted, TaskStatus.RUNNING);
    const neverSubmitted = message();
    await shortLived.set(neverSubmitted, TaskStatus.RETRYING);
    await vi.waitFor(
      async () => {
        expect(await longLived.exists(resubmitted)).toBe(false);
        expect(await longLived.exists(neverSubmitted)).toBe(false);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it("keeps a status forever with ttl null, and rejects a ttl that is not positive", async () => {
    expect(new StatusTracker(backend(), { ttl: null }).ttl).toBeNull();
    expect(new StatusTracker(backend()).ttl).toBe(7 * 24 * 3600_000);
    expect(() => new StatusTracker(backend(), { ttl: 0 })).toThrow(ValidationError);
  });

  it("waitFor resolves once the status is reached", async () => {
    const tracker = new StatusTracker(backend());
    const m = message();
    await tracker.set(m, TaskStatus.SUBMITTED);
    const waiting = tracker.waitFor(m, TaskStatus.SUCCEEDED, { timeout: 20_000 });
    await tracker.set(m, TaskStatus.RUNNING);
    await tracker.set(m, TaskStatus.SUCCEEDED);
    await expect(waiting).resolves.toBe(TaskStatus.SUCCEEDED);
  });

  it("waitFor accepts several statuses and returns the one reached", async () => {
    const tracker = new StatusTracker(backend());
    const m = message();
    const waiting = tracker.waitFor(m, [TaskStatus.SUCCEEDED, TaskStatus.FAILED], { timeout: 20_000 });
    await tracker.set(m, TaskStatus.FAILED);
    await expect(waiting).resolves.toBe(TaskStatus.FAILED);
  });

  it("waitFor throws WaitTimeoutError on timeout, or returns the last status seen when told not to throw", async () => {
    const tracker = new StatusTracker(backend());
    const m = message();
    await expect(tracker.waitFor(m, TaskStatus.SUCCEEDED, { timeout: 50 })).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(tracker.waitFor(m, TaskStatus.SUCCEEDED, { timeout: 50, throwOnTimeout: false })).resolves.toBe(
      TaskStatus.UNKNOWN,
    );
    await tracker.set(m, TaskStatus.RUNNING);
    await expect(tracker.waitFor(m, TaskStatus.SUCCEEDED, { timeout: 50, throwOnTimeout: false })).resolves.toBe(
      TaskStatus.RUNNING,
    );
  });

  it("waitFor stops when its signal aborts", async () => {
    const tracker = new StatusTracker(backend());
    const controller = new AbortController();
    const waiting = tracker.waitFor(message(), TaskStatus.SUCCEEDED, { timeout: null, signal: controller.signal });
    controller.abort(new Error("no longer needed"));
    await expect(waiting).rejects.toThrow("no longer needed");
  });

  it("listen yields the current status, then each update, and ends after a terminal status", async () => {
    const tracker = new StatusTracker(backend());
    const m = message();
    await tracker.set(m, TaskStatus.SUBMITTED);
    const seen: TaskStatus[] = [];
    const listening = collect(tracker.listen(m), seen);
    await vi.waitFor(() => expect(seen).toEqual([TaskStatus.SUBMITTED]), { timeout: 10_000, interval: 10 });
    // The second attempt's statuses carry its retries: RETRYING waits for attempt 1, which runs.
    const writes: [TaskStatus, number][] = [
      [TaskStatus.RUNNING, 0],
      [TaskStatus.RETRYING, 1],
      [TaskStatus.RUNNING, 1],
      [TaskStatus.SUCCEEDED, 1],
    ];
    const written = writes.map(([status]) => status);
    for (const [status, retries] of writes) await tracker.set({ ...m, retries }, status);
    await listening;
    expect(seen.at(-1)).toBe(TaskStatus.SUCCEEDED);
    if (backend().supportsPubSub) {
      // Pub/sub delivers every update, in order.
      expect(seen).toEqual([TaskStatus.SUBMITTED, ...written]);
    } else {
      // Without cross-process pub/sub a poll may skip intermediate statuses, never reorder them.
      expect(isSubsequence(seen, [TaskStatus.SUBMITTED, ...written])).toBe(true);
    }
  });

  it("never moves a status backwards: late or repeated writes are refused, the stored status stays", async () => {
    const tracker = new StatusTracker(backend());
    const m = message();
    expect(await tracker.set(m, TaskStatus.RUNNING)).toBe(true);
    expect(await tracker.set(m, TaskStatus.SUBMITTED)).toBe(false);
    expect((await tracker.get(m)).status).toBe(TaskStatus.RUNNING);
    expect(await tracker.set({ ...m, retries: 1 }, TaskStatus.RETRYING)).toBe(true);
    expect(await tracker.set(m, TaskStatus.RUNNING)).toBe(false);
    expect(await tracker.set({ ...m, retries: 1 }, TaskStatus.SUCCEEDED)).toBe(true);
    expect(await tracker.set(m, TaskStatus.FAILED)).toBe(false);
    expect(await tracker.set(m, TaskStatus.UNKNOWN)).toBe(false);
    expect((await tracker.get(m)).status).toBe(TaskStatus.SUCCEEDED);
  });

  it("listen ends at once when the terminal status was written before listening began", async () => {
    const tracker = new StatusTracker(backend());
    const m = message();
    await tracker.set(m, TaskStatus.FAILED, { reason: "boom" });
    const seen: TaskStatus[] = [];
    await collect(tracker.listen(m), seen);
    expect(seen).toEqual([TaskStatus.FAILED]);
  });

  it("listen waits for a message that has no status yet", async () => {
    const tracker = new StatusTracker(backend());
    const m = message();
    const seen: TaskStatus[] = [];
    const listening = collect(tracker.listen(m), seen);
    await tracker.set(m, TaskStatus.SUCCEEDED);
    await listening;
    expect(seen).toEqual([TaskStatus.SUCCEEDED]);
  });

  it("listen stops cleanly when the caller breaks out", async () => {
    const tracker = new StatusTracker(backend());
    const m = message();
    await tracker.set(m, TaskStatus.RUNNING);
    let count = 0;
    for await (const update of tracker.listen(m)) {
      expect(update.status).toBe(TaskStatus.RUNNING);
      count += 1;
      break;
    }
    expect(count).toBe(1);
    // Nothing of the abandoned listener is left behind to break a later listener.
    await tracker.set(m, TaskStatus.SUCCEEDED);
    const seen: TaskStatus[] = [];
    await collect(tracker.listen(m), seen);
    expect(seen).toEqual([TaskStatus.SUCCEEDED]);
  });

  it("reads and follows statuses written through another connection", async () => {
    const writer = new StatusTracker(backend());
    const reader = new StatusTracker(peer());
    const m = message();
    const waiting = reader.waitFor(m, TaskStatus.SUCCEEDED, { timeout: 20_000 });
    await writer.set(m, TaskStatus.RUNNING);
    await writer.set(m, TaskStatus.SUCCEEDED);
    await expect(waiting).resolves.toBe(TaskStatus.SUCCEEDED);
    expect((await reader.get(m)).status).toBe(TaskStatus.SUCCEEDED);
  });
});

it("waits and listens by polling on a backend whose notices do not reach this process", async () => {
  const shared = new MemoryBackend();
  try {
    const writer = new StatusTracker(shared);
    const reader = new StatusTracker(deafBackend(shared), { pollInterval: 10 });
    const m = message();
    const waiting = reader.waitFor(m, TaskStatus.RUNNING, { timeout: 20_000 });
    const seen: TaskStatus[] = [];
    const listening = collect(reader.listen(m), seen);
    await writer.set(m, TaskStatus.RUNNING);
    await expect(waiting).resolves.toBe(TaskStatus.RUNNING);
    await vi.waitFor(() => expect(seen).toEqual([TaskStatus.RUNNING]), { timeout: 10_000, interval: 10 });
    await writer.set(m, TaskStatus.SUCCEEDED);
    await listening;
    expect(seen).toEqual([TaskStatus.RUNNING, TaskStatus.SUCCEEDED]);
  } finally {
    await shared.close();
  }
});

function isSubsequence<T>(part: readonly T[], whole: readonly T[]): boolean {
  let i = 0;
  for (const item of whole) if (i < part.length && part[i] === item) i += 1;
  return i === part.length;
}
