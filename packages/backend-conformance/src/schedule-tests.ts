import { randomUUID } from "node:crypto";
import { TaskStatus, ValidationError, statusRank, type Backend, type QueuedMessage, type ScheduleDefinition, type ScheduleFire, type StatusWrite, type StoredSchedule } from "@alsek/core";
import { expect, it } from "vitest";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

const QUEUE = "scheduled";
const NAME = "harvest_data";
const TRIGGER = JSON.stringify({ kind: "interval", intervalMs: 1000 });

function submittedStatus(queue: string, uuid: string): StatusWrite {
  const key = `status:{${queue}}:${uuid}`;
  return { key, value: { status: "SUBMITTED" }, rank: statusRank(TaskStatus.SUBMITTED, 0), ttlMs: null, channel: null };
}

function definition(overrides: Partial<ScheduleDefinition> = {}): ScheduleDefinition {
  return {
    queue: QUEUE,
    name: NAME,
    trigger: TRIGGER,
    definition: "definition-1",
    revision: randomUUID(),
    message: queuedMessage(QUEUE, { data: { taskName: NAME, args: [], kwargs: {} } }),
    nextAt: 1_000_000,
    paused: false,
    ...overrides,
  };
}

/** A fire of `schedule`'s next slot, with a message of its own. */
function fireOf(schedule: StoredSchedule, nextAt: number | null, message?: QueuedMessage): ScheduleFire {
  return {
    queue: schedule.queue,
    name: schedule.name,
    revision: schedule.revision,
    slot: schedule.nextAt!,
    nextAt,
    message:
      message ??
      queuedMessage(QUEUE, { data: { taskName: NAME, args: [], kwargs: {}, progenitorUuid: schedule.template.uuid } }),
  };
}

async function readyCount(backend: Backend): Promise<number> {
  return (await backend.countQueue(QUEUE)).ready;
}

/** Stored schedules: define / join / replace, each slot fired once, pause, delete. */
export function registerScheduleTests(ctx: SuiteContext): void {
  it("creates a schedule with its first message and status in one step, and joins it on the same definition", async () => {
    const { backend } = ctx;
    const first = definition();
    first.message.status = submittedStatus(QUEUE, first.message.uuid);
    const created = await backend.defineSchedule(first);
    expect(created.outcome).toBe("created");
    expect(created.schedule).toMatchObject({
      queue: QUEUE,
      name: NAME,
      trigger: TRIGGER,
      definition: "definition-1",
      revision: first.revision,
      nextAt: 1_000_000,
      paused: false,
      fires: 0,
    });
    expect(created.schedule.template).toEqual(first.message.data);
    expect(await backend.getMessage(first.message)).toEqual(first.message.data);
    expect(await backend.getValue(first.message.status!.key)).toEqual({ status: "SUBMITTED" });

    const again = definition({ nextAt: 2_000_000 });
    const joined = await backend.defineSchedule(again);
    expect(joined.outcome).toBe("joined");
    expect(joined.schedule).toEqual(created.schedule);
    expect(await backend.getMessage(again.message)).toBeNull();
    expect(await readyCount(backend)).toBe(1);
    expect(await backend.getSchedule({ queue: QUEUE, name: NAME })).toEqual(created.schedule);
    expect(await backend.listSchedules(QUEUE)).toEqual([created.schedule]);
    expect(await backend.listSchedules("other_queue")).toEqual([]);
  });

  it("replaces a schedule defined differently, as if new (the last definer wins)", async () => {
    const { backend } = ctx;
    const old = await backend.defineSchedule(definition({ nextAt: 1_000 }));
    const fired = await backend.fireSchedule(fireOf(old.schedule, 2_000));
    expect(fired.outcome).toBe("fired");
    const changed = definition({ trigger: '{"kind":"interval","intervalMs":500}', definition: "definition-2", nextAt: 5_000, paused: true });
    const replaced = await backend.defineSchedule(changed);
    expect(replaced.outcome).toBe("replaced");
    expect(replaced.schedule).toMatchObject({
      definition: "definition-2",
      revision: changed.revision,
      nextAt: 5_000,
      paused: true,
      fires: 0,
    });
    expect(replaced.schedule.template.uuid).toBe(changed.message.uuid);
    expect(await backend.getMessage(changed.message)).not.toBeNull();
    expect(await readyCount(backend)).toBe(3);
    // A process still firing the old revision finds the new one instead.
    const stale = await backend.fireSchedule({ ...fireOf(old.schedule, 3_000), slot: 2_000 });
    expect(stale.outcome).toBe("stale");
    expect(stale.schedule).toEqual(replaced.schedule);
    expect(await readyCount(backend)).toBe(3);
  });

  it("fires a slot once however many processes race for it", async () => {
    const { backend } = ctx;
    const other = await ctx.open(ctx.namespace);
    const { schedule } = await backend.defineSchedule(definition({ nextAt: (await ctx.now()) - 1_000 }));
    const racers = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? backend : other));
    const results = await Promise.all(racers.map((racer) => racer.fireSchedule(fireOf(schedule, schedule.nextAt! + 1_000))));
    expect(results.filter((r) => r.outcome === "fired")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "stale")).toHaveLength(11);
    for (const result of results) expect(result.schedule?.nextAt).toBe(schedule.nextAt! + 1_000);
    expect(await readyCount(backend)).toBe(2);
    const stored = await other.getSchedule(schedule);
    expect(stored).toMatchObject({ nextAt: schedule.nextAt! + 1_000, fires: 1 });
  });

  it("answers a fire re-sent after a lost reply like the first one, submitting nothing more", async () => {
    const { backend } = ctx;
    const { schedule } = await backend.defineSchedule(definition({ nextAt: (await ctx.now()) - 1_000 }));
    const fire = fireOf(schedule, schedule.nextAt! + 1_000);
    const first = await backend.fireSchedule(fire);
    const resent = await backend.fireSchedule(fire);
    expect(first.outcome).toBe("fired");
    expect(resent.outcome).toBe("fired");
    expect(resent.schedule).toMatchObject({ nextAt: schedule.nextAt! + 1_000, fires: 1 });
    expect(await readyCount(backend)).toBe(2);
    // Another caller of the same slot (another message) is still told the slot is taken.
    const other = await backend.fireSchedule(fireOf(schedule, schedule.nextAt! + 1_000));
    expect(other.outcome).toBe("stale");
    expect(await readyCount(backend)).toBe(2);
  });

  it("submits the fire's message with its status, and ends the schedule on a null next slot", async () => {
    const { backend } = ctx;
    const { schedule } = await backend.defineSchedule(definition({ nextAt: (await ctx.now()) - 10 }));
    const message = queuedMessage(QUEUE, { data: { taskName: NAME, progenitorUuid: schedule.template.uuid } });
    message.status = submittedStatus(QUEUE, message.uuid);
    const fired = await backend.fireSchedule(fireOf(schedule, null, message));
    expect(fired.outcome).toBe("fired");
    expect(fired.schedule).toMatchObject({ nextAt: null, fires: 1 });
    expect(await backend.getMessage(message)).toEqual(message.data);
    expect(await backend.getValue(message.status.key)).toEqual({ status: "SUBMITTED" });
    expect((await backend.getSchedule(schedule))?.nextAt).toBeNull();
  });

  it("answers early for a slot still in the future on the backend's clock, changing nothing", async () => {
    const { backend } = ctx;
    const slot = (await ctx.now()) + 60_000;
    const { schedule } = await backend.defineSchedule(definition({ nextAt: slot }));
    const early = await backend.fireSchedule(fireOf(schedule, slot + 1_000));
    expect(early.outcome).toBe("early");
    expect(early.waitMs).toBeGreaterThan(30_000);
    expect(early.waitMs).toBeLessThanOrEqual(60_000);
    expect(early.schedule).toEqual(schedule);
    expect(await readyCount(backend)).toBe(1);
  });

  it("passes slots without a message while paused, for every process", async () => {
    const { backend } = ctx;
    const other = await ctx.open(ctx.namespace);
    const now = await ctx.now();
    const { schedule } = await backend.defineSchedule(definition({ nextAt: now - 3_000 }));
    expect(await other.pauseSchedule(schedule, true)).toBe(true);
    const skipped = await backend.fireSchedule(fireOf({ ...schedule, paused: true }, now - 2_000));
    expect(skipped.outcome).toBe("skipped");
    expect(skipped.schedule).toMatchObject({ paused: true, nextAt: now - 2_000, fires: 0 });
    expect(await readyCount(backend)).toBe(1);
    expect(await other.pauseSchedule(schedule, false)).toBe(true);
    const fired = await backend.fireSchedule(fireOf(skipped.schedule!, now - 1_000));
    expect(fired.outcome).toBe("fired");
    expect(fired.schedule).toMatchObject({ paused: false, fires: 1 });
    expect(await readyCount(backend)).toBe(2);
    expect(await backend.pauseSchedule({ queue: QUEUE, name: "no_such_schedule" }, true)).toBe(false);
    expect(await backend.getSchedule({ queue: QUEUE, name: "no_such_schedule" })).toBeNull();
  });

  it("deletes a schedule for every process; a later fire finds it gone", async () => {
    const { backend } = ctx;
    const other = await ctx.open(ctx.namespace);
    const { schedule } = await backend.defineSchedule(definition({ nextAt: (await ctx.now()) - 1_000 }));
    expect(await other.deleteSchedule(schedule)).toBe(true);
    expect(await other.deleteSchedule(schedule)).toBe(false);
    expect(await backend.getSchedule(schedule)).toBeNull();
    expect(await backend.listSchedules(QUEUE)).toEqual([]);
    const gone = await backend.fireSchedule(fireOf(schedule, null));
    expect(gone).toEqual({ outcome: "gone", schedule: null });
    expect(await readyCount(backend)).toBe(1);
    // Defined again, it is new: its first message is submitted.
    expect((await backend.defineSchedule(definition())).outcome).toBe("created");
  });

  it("keeps schedules per namespace and removes them with clear()", async () => {
    const { backend } = ctx;
    const elsewhere = await ctx.open(`${ctx.namespace}_other`);
    await backend.defineSchedule(definition());
    expect(await elsewhere.getSchedule({ queue: QUEUE, name: NAME })).toBeNull();
    expect((await elsewhere.defineSchedule(definition())).outcome).toBe("created");
    await backend.clear();
    expect(await backend.getSchedule({ queue: QUEUE, name: NAME })).toBeNull();
    expect(await elsewhere.getSchedule({ queue: QUEUE, name: NAME })).not.toBeNull();
  });

  it("refuses bad names, slots and messages with a ValidationError", async () => {
    const { backend } = ctx;
    await expect(backend.defineSchedule(definition({ name: "bad name" }))).rejects.toThrow(/Invalid task name "bad name"/);
    await expect(backend.getSchedule({ queue: "bad queue", name: NAME })).rejects.toBeInstanceOf(ValidationError);
    await expect(backend.defineSchedule(definition({ message: queuedMessage("elsewhere") }))).rejects.toThrow(
      "The message of schedule 'harvest_data' must be in the schedule's queue 'scheduled', got \"elsewhere\".",
    );
    await expect(backend.defineSchedule(definition({ nextAt: -5 }))).rejects.toThrow(
      "Schedule nextAt must be an integer number of epoch ms ≥ 0, got -5.",
    );
    const { schedule } = await backend.defineSchedule(definition());
    await expect(backend.fireSchedule(fireOf(schedule, schedule.nextAt!))).rejects.toThrow(
      "Schedule nextAt (1000000) must be after the slot it follows (1000000).",
    );
    await expect(backend.fireSchedule({ ...fireOf(schedule, null), revision: "" })).rejects.toThrow(/Schedule revision must be/);
    expect(await readyCount(backend)).toBe(1);
  });
}
