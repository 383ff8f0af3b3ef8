import { afterEach, describe, expect, it } from "vitest";
import { Broker } from "../broker/index.js";
import { SchedulingError, ValidationError } from "../errors/index.js";
import { MemoryBackend } from "../memory/index.js";
import { task } from "../tasks/index.js";
import { Consumer } from "../consumer/index.js";
import { CronTrigger, DateTrigger, IntervalTrigger } from "./index.js";

const cleanups: (() => unknown)[] = [];
function setup() {
  const backend = new MemoryBackend();
  cleanups.push(() => backend.close());
  return { backend, broker: new Broker(backend) };
}
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition never met");
}

const readyCount = async (backend: MemoryBackend, queue = "alsek_queue") => (await backend.countQueue(queue)).ready;

describe("TriggerTask", () => {
  it("submits now and on every tick, later fires as duplicates of the first", async () => {
    const { broker, backend } = setup();
    const check = task(broker, { trigger: new IntervalTrigger({ milliseconds: 20 }) }, function checkSystemUsage() {
      return 99;
    });
    cleanups.push(() => check.shutdown());
    const first = await check.generate();
    expect(check.generated).toBe(true);
    expect(await broker.exists(first)).toBe(true);
    await until(async () => (await readyCount(backend)) >= 3);
    check.shutdown();
    const consumer = new Consumer(broker, { queues: ["alsek_queue"] });
    const claimed = await consumer.claim(100);
    await consumer.close();
    const fires = claimed.filter((m) => m.uuid !== first.uuid);
    expect(fires.length).toBeGreaterThanOrEqual(2);
    for (const fire of fires) {
      expect(fire.progenitorUuid).toBe(first.uuid);
      expect(fire.taskName).toBe("checkSystemUsage");
    }
  });

  it("stops firing while paused and after shutdown", async () => {
    const { broker, backend } = setup();
    const t = task(broker, { trigger: new IntervalTrigger({ milliseconds: 15 }) }, function pausable() {});
    cleanups.push(() => t.shutdown());
    t.pause();
    await t.generate();
    await new Promise((r) => setTimeout(r, 100));
    expect(await readyCount(backend)).toBe(1);
    t.resume();
    await until(async () => (await readyCount(backend)) >= 3);
    t.shutdown();
    expect(t.generated).toBe(false);
    const after = await readyCount(backend);
    await new Promise((r) => setTimeout(r, 80));
    expect(await readyCount(backend)).toBe(after);
    await expect(t.generate()).rejects.toThrow(SchedulingError);
  });

  it("refuses a second schedule until cleared", async () => {
    const { broker } = setup();
    const t = task(broker, { trigger: new IntervalTrigger({ hours: 1 }) }, function once() {});
    cleanups.push(() => t.shutdown());
    await t.generate();
    await expect(t.generate()).rejects.toThrow(/already scheduled/);
    t.clear();
    expect(t.generated).toBe(false);
    expect(() => t.clear()).toThrow(SchedulingError);
    await t.generate();
    expect(t.generated).toBe(true);
  });

  it("schedules nothing when deferred", async () => {
    const { broker } = setup();
    const t = task(broker, { trigger: new IntervalTrigger({ hours: 1 }) }, function deferredTrigger() {});
    cleanups.push(() => t.shutdown());
    const message = await t.defer().generate();
    expect(t.generated).toBe(false);
    expect(await broker.exists(message)).toBe(false);
  });
});

describe("triggers", () => {
  it("validate their input", () => {
    expect(() => new CronTrigger("not a cron")).toThrow(ValidationError);
    expect(() => new IntervalTrigger({})).toThrow(/at least 1 ms/);
    expect(() => new IntervalTrigger({ seconds: -1 })).toThrow(ValidationError);
    expect(() => new DateTrigger("garbage")).toThrow(ValidationError);
    expect(new IntervalTrigger({ weeks: 1, days: 1, hours: 1, minutes: 1, seconds: 1, milliseconds: 1 }).intervalMs).toBe(
      604_800_000 + 86_400_000 + 3_600_000 + 60_000 + 1_000 + 1,
    );
  });

  it("CronTrigger fires on its pattern", async () => {
    let fired = 0;
    const schedule = new CronTrigger("* * * * * *").start(() => (fired += 1));
    cleanups.push(() => schedule.stop());
    expect(schedule.nextRun()).toBeInstanceOf(Date);
    await until(async () => fired >= 1);
    schedule.stop();
  });

  it("DateTrigger fires once at its date", async () => {
    let fired = 0;
    const schedule = new DateTrigger(new Date(Date.now() + 1_100)).start(() => (fired += 1));
    cleanups.push(() => schedule.stop());
    await until(async () => fired >= 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(fired).toBe(1);
  });

  it("IntervalTrigger waits in chunks for periods beyond the timer limit", () => {
    const schedule = new IntervalTrigger({ weeks: 5 }).start(() => {
      throw new Error("must not fire");
    });
    expect(schedule.nextRun()!.getTime()).toBeGreaterThan(Date.now() + 4 * 604_800_000);
    schedule.stop();
    expect(schedule.nextRun()).toBeNull();
  });
});
