// Trigger tasks whose schedule lives in the backend (`scheduling: "shared"`, the default): several
// "replicas" here are tasks of the same name on MemoryBackends sharing one MemoryStore, as
// processes share a Redis server or an SQLite file (the multi-process runs on real Redis and SQLite
// are in packages/tests/src/shared-schedule.*.test.ts). Counts are read from the backend.
import { afterEach, describe, expect, it } from "vitest";
import { RecordingStatusSink } from "../__fixtures__/recording-sinks.js";
import { Broker } from "../broker/index.js";
import { ValidationError } from "../errors/index.js";
import { MemoryBackend, MemoryStore } from "../memory/index.js";
import { TaskStatus } from "../status/index.js";
import { task, type TriggerTask } from "../tasks/index.js";
import { DateTrigger, IntervalTrigger, type Trigger } from "./index.js";

const QUEUE = "alsek_queue";
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function replicas(count: number, store = new MemoryStore()) {
  return Array.from({ length: count }, () => {
    const backend = new MemoryBackend({ store });
    cleanups.push(() => backend.close());
    return { backend, broker: new Broker(backend) };
  });
}

function define(broker: Broker, trigger: Trigger, extra: { scheduling?: "shared" | "process"; statusTracker?: RecordingStatusSink } = {}) {
  const t = task(broker, { trigger, ...extra }, function harvestData() {
    return 42;
  }) as TriggerTask;
  cleanups.push(() => t.shutdown());
  return t;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1_000; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never: ${what}`);
}

const ref = { queue: QUEUE, name: "harvestData" };
const queued = async (backend: MemoryBackend) => (await backend.countQueue(QUEUE)).ready;

describe("TriggerTask with a shared schedule", () => {
  it("is the default for Cron/Interval/Date triggers; a trigger without a spec runs per process", () => {
    const { broker } = replicas(1)[0]!;
    expect(define(broker, new IntervalTrigger({ hours: 1 })).scheduling).toBe("shared");
    expect(define(broker, new IntervalTrigger({ hours: 1 }), { scheduling: "process" }).scheduling).toBe("process");
    const custom: Trigger = { description: "custom", start: () => new IntervalTrigger({ hours: 1 }).start(() => {}) };
    expect(define(broker, custom).scheduling).toBe("process");
    expect(() => task(broker, { trigger: new IntervalTrigger({ hours: 1 }), scheduling: "everywhere" as "shared" }, function bad() {})).toThrow(
      new ValidationError(
        'Trigger task \'bad\': `scheduling` must be "shared" (one schedule in the backend, each slot fired once by all ' +
          'processes) or "process" (a timer in each process), got "everywhere".',
      ),
    );
  });

  it("submits one first message and one message per slot however many replicas define it", async () => {
    const nodes = replicas(3);
    const tasks = nodes.map(({ broker }) => define(broker, new IntervalTrigger({ milliseconds: 30 })));
    const firsts = await Promise.all(tasks.map((t) => t.generate()));
    expect(new Set(firsts.map((m) => m.uuid)).size).toBe(1);
    expect(tasks.every((t) => t.generated)).toBe(true);
    const backend = nodes[0]!.backend;
    await until("6 slots fired", async () => ((await backend.getSchedule(ref))!.fires >= 6 ? true : undefined));
    // One replica leaves: the others go on.
    await tasks[0]!.shutdown();
    const fires = (await backend.getSchedule(ref))!.fires;
    await until("3 more slots fired", async () => ((await backend.getSchedule(ref))!.fires >= fires + 3 ? true : undefined));
    await Promise.all(tasks.map((t) => t.shutdown()));
    const stored = (await backend.getSchedule(ref))!;
    expect(await queued(backend)).toBe(1 + stored.fires);
    const page = await backend.listMessages(QUEUE, { state: "ready", order: "oldest", cursor: null, limit: 100 });
    for (const item of page.items.slice(1)) expect(item.data.progenitorUuid).toBe(firsts[0]!.uuid);
  });

  it("records SUBMITTED once per fire, on the replica that fired", async () => {
    const nodes = replicas(2);
    const sinks = nodes.map(({ backend }) => new RecordingStatusSink(backend));
    const tasks = nodes.map(({ broker }, i) => define(broker, new IntervalTrigger({ milliseconds: 20 }), { statusTracker: sinks[i]! }));
    await Promise.all(tasks.map((t) => t.generate()));
    const backend = nodes[0]!.backend;
    await until("4 slots fired", async () => ((await backend.getSchedule(ref))!.fires >= 4 ? true : undefined));
    await Promise.all(tasks.map((t) => t.shutdown()));
    const recorded = sinks.flatMap((sink) => [...sink.history.values()]);
    expect(recorded).toHaveLength(1 + (await backend.getSchedule(ref))!.fires);
    for (const statuses of recorded) expect(statuses).toEqual([TaskStatus.SUBMITTED]);
  });

  it("pauses, resumes and clears the stored schedule for every replica", async () => {
    const nodes = replicas(2);
    const [a, b] = nodes.map(({ broker }) => define(broker, new IntervalTrigger({ milliseconds: 20 })));
    await a!.generate();
    await b!.generate();
    const backend = nodes[0]!.backend;
    await a!.pause();
    expect((await backend.getSchedule(ref))!.paused).toBe(true);
    const paused = (await backend.getSchedule(ref))!;
    // Slots pass (the next slot moves on) without a message while paused.
    await until("3 slots passed", async () => {
      const now = (await backend.getSchedule(ref))!;
      return now.nextAt! >= paused.nextAt! + 3 * 20 ? now : undefined;
    });
    expect((await backend.getSchedule(ref))!.fires).toBe(paused.fires);
    expect(await queued(backend)).toBe(1 + paused.fires);
    await b!.resume();
    await until("a fire after resume", async () => ((await backend.getSchedule(ref))!.fires > paused.fires ? true : undefined));
    await b!.clear();
    expect(b!.generated).toBe(false);
    expect(await backend.getSchedule(ref)).toBeNull();
    // The other replica finds the schedule gone at its next slot and stops.
    await until("replica a stops", async () => (a!.generated ? undefined : true));
    const count = await queued(backend);
    await new Promise((r) => setTimeout(r, 60));
    expect(await queued(backend)).toBe(count);
  });

  it("applies a pause made before generate() to the schedule it creates or joins", async () => {
    const nodes = replicas(2);
    const [a, b] = nodes.map(({ broker }) => define(broker, new IntervalTrigger({ hours: 1 })));
    await a!.generate();
    expect((await nodes[0]!.backend.getSchedule(ref))!.paused).toBe(false);
    await b!.pause();
    await b!.generate();
    expect((await nodes[0]!.backend.getSchedule(ref))!.paused).toBe(true);
  });

  it("replaces a stored schedule defined with another trigger: the last definer wins", async () => {
    const nodes = replicas(2);
    const old = define(nodes[0]!.broker, new IntervalTrigger({ hours: 1 }));
    const first = await old.generate();
    const changed = define(nodes[1]!.broker, new IntervalTrigger({ milliseconds: 20 }));
    const second = await changed.generate();
    expect(second.uuid).not.toBe(first.uuid);
    const backend = nodes[0]!.backend;
    const stored = (await backend.getSchedule(ref))!;
    expect(JSON.parse(stored.trigger)).toEqual({ kind: "interval", intervalMs: 20 });
    expect(stored.template.uuid).toBe(second.uuid);
    await until("the new schedule fires", async () => ((await backend.getSchedule(ref))!.fires >= 2 ? true : undefined));
    // Defining it again the same way joins, whichever process does it.
    const again = define(nodes[0]!.broker, new IntervalTrigger({ milliseconds: 20 }));
    await old.shutdown();
    expect((await again.generate()).uuid).toBe(second.uuid);
  });

  it("lets a replica still running the old definition follow a replacement made elsewhere", async () => {
    const nodes = replicas(2);
    const a = define(nodes[0]!.broker, new IntervalTrigger({ milliseconds: 20 }));
    await a.generate();
    const b = define(nodes[1]!.broker, new IntervalTrigger({ milliseconds: 25 }));
    const second = await b.generate();
    // The replacing replica leaves at once: only the old one is left to fire the new revision.
    await b.shutdown();
    const backend = nodes[0]!.backend;
    const replaced = (await backend.getSchedule(ref))!;
    expect(replaced.template.uuid).toBe(second.uuid);
    await until("a fires the new revision", async () => ((await backend.getSchedule(ref))!.fires >= 3 ? true : undefined));
    const stored = (await backend.getSchedule(ref))!;
    expect(stored.revision).toBe(replaced.revision);
    expect((stored.nextAt! - replaced.nextAt!) % 25).toBe(0);
    await a.shutdown();
    const page = await backend.listMessages(QUEUE, { state: "ready", order: "oldest", cursor: null, limit: 100 });
    const fires = page.items.filter((item) => item.data.progenitorUuid === second.uuid);
    expect(fires).toHaveLength(stored.fires);
  });

  it("fires a DateTrigger once across replicas", async () => {
    const nodes = replicas(3);
    const at = new Date(Date.now() + 80);
    const tasks = nodes.map(({ broker }) => define(broker, new DateTrigger(at)));
    await Promise.all(tasks.map((t) => t.generate()));
    const backend = nodes[0]!.backend;
    await until("the date passed", async () => ((await backend.getSchedule(ref))!.nextAt === null ? true : undefined));
    expect((await backend.getSchedule(ref))!.fires).toBe(1);
    expect(await queued(backend)).toBe(2);
  });

  it("stores nothing when deferred or not submitted", async () => {
    const { broker, backend } = replicas(1)[0]!;
    const t = define(broker, new IntervalTrigger({ hours: 1 }));
    await t.defer().generate();
    await t.generate({ submit: false });
    expect(t.generated).toBe(false);
    expect(await backend.getSchedule(ref)).toBeNull();
  });

  it("keeps a timer per process with scheduling: 'process'", async () => {
    const nodes = replicas(2);
    const tasks = nodes.map(({ broker }) => define(broker, new IntervalTrigger({ milliseconds: 20 }), { scheduling: "process" }));
    const firsts = await Promise.all(tasks.map((t) => t.generate()));
    expect(firsts[0]!.uuid).not.toBe(firsts[1]!.uuid);
    const backend = nodes[0]!.backend;
    await until("both fired", async () => ((await queued(backend)) >= 6 ? true : undefined));
    expect(await backend.getSchedule(ref)).toBeNull();
  });
});
