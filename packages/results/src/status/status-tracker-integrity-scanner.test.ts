import { expect, it, vi } from "vitest";
import { Broker, Consumer, IntervalTrigger, TaskStatus, task } from "@alsek/core";
import type { Message } from "@alsek/core";
import { describeOnBackends } from "../__tests__/backend-cases.js";
import { StatusTrackerIntegrityScanner } from "./status-tracker-integrity-scanner.js";
import { StatusTracker } from "./status-tracker.js";

let queues = 0;

describeOnBackends("StatusTrackerIntegrityScanner", ({ backend }) => {
  /** A tracked task on its own queue, and a consumer of that queue standing in for a pool. */
  function setup() {
    const queue = `scan_q${++queues}`;
    const broker = new Broker(backend());
    const statusTracker = new StatusTracker(backend());
    const work = task(broker, { name: `scanned${queues}`, queue, statusTracker }, function work() {
      return 1;
    });
    const consumer = new Consumer(broker, { queues: [queue], leaseMs: 60_000 });
    /** Claim the next message and record RUNNING, as a pool does before running it. */
    const start = async (): Promise<Message> => {
      const [claimed] = await consumer.claim(1);
      if (!claimed) throw new Error("nothing to claim");
      await statusTracker.set(claimed, TaskStatus.RUNNING);
      return claimed;
    };
    return { broker, statusTracker, work, consumer, start };
  }

  it("leaves the RUNNING status of a killed pool's message alone while the message is still queued", async () => {
    const { broker, statusTracker, work, consumer, start } = setup();
    const message = await work.generate();
    expect((await statusTracker.get(message)).status).toBe(TaskStatus.SUBMITTED);
    await start(); // ...and the pool dies here: the lease is abandoned, never settled.
    const scanner = new StatusTrackerIntegrityScanner(statusTracker, broker, { trigger: null });
    expect(await scanner.scan()).toBe(0);
    expect((await statusTracker.get(message)).status).toBe(TaskStatus.RUNNING);
    await consumer.close();
  });

  it("marks UNKNOWN a non-terminal status whose message left the broker without an outcome", async () => {
    const { broker, statusTracker, work, consumer, start } = setup();
    const acked = await work.generate();
    const claimed = await start();
    // The pool acknowledged the message and was killed before it could record SUCCEEDED.
    await broker.ack(claimed);
    const removed = await work.generate();
    await broker.remove(removed); // SUBMITTED, then removed behind the tracker's back.
    const scanner = new StatusTrackerIntegrityScanner(statusTracker, broker, { trigger: null });
    expect(await scanner.scan()).toBe(2);
    expect((await statusTracker.get(acked)).status).toBe(TaskStatus.UNKNOWN);
    expect((await statusTracker.get(removed)).status).toBe(TaskStatus.UNKNOWN);
    // Nothing left to repair: a second scan changes nothing.
    expect(await scanner.scan()).toBe(0);
    await consumer.close();
  });

  it("never touches terminal statuses", async () => {
    const { broker, statusTracker, work, consumer, start } = setup();
    await work.generate();
    await work.generate();
    const succeeded = await start();
    await broker.ack(succeeded);
    await statusTracker.set(succeeded, TaskStatus.SUCCEEDED);
    const failed = await start();
    await broker.fail(failed);
    await statusTracker.set(failed, TaskStatus.FAILED);
    const scanner = new StatusTrackerIntegrityScanner(statusTracker, broker, { trigger: null });
    expect(await scanner.scan()).toBe(0);
    expect((await statusTracker.get(succeeded)).status).toBe(TaskStatus.SUCCEEDED);
    expect((await statusTracker.get(failed)).status).toBe(TaskStatus.FAILED);
    await consumer.close();
  });

  it("scans on every tick of its trigger until shut down", async () => {
    const { broker, statusTracker, work } = setup();
    const scanner = new StatusTrackerIntegrityScanner(statusTracker, broker, {
      trigger: new IntervalTrigger({ milliseconds: 20 }),
    });
    try {
      const first = await work.generate();
      await broker.remove(first);
      await vi.waitFor(async () => expect((await statusTracker.get(first)).status).toBe(TaskStatus.UNKNOWN), {
        timeout: 10_000,
        interval: 20,
      });
      const second = await work.generate();
      await broker.remove(second);
      await vi.waitFor(async () => expect((await statusTracker.get(second)).status).toBe(TaskStatus.UNKNOWN), {
        timeout: 10_000,
        interval: 20,
      });
    } finally {
      scanner.shutdown();
    }
  });
});
