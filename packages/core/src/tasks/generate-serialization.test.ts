import { afterEach, describe, expect, it } from "vitest";
import { RecordingStatusSink } from "../__fixtures__/recording-sinks.js";
import { Broker } from "../broker/index.js";
import { Consumer } from "../consumer/index.js";
import { SerializationError, ValidationError } from "../errors/index.js";
import { runInline } from "../lifecycle/index.js";
import { MemoryBackend } from "../memory/index.js";
import { SuperJsonSerializer } from "../serializers/index.js";
import { task } from "./index.js";

const backends: MemoryBackend[] = [];
function setup(backend = new MemoryBackend()) {
  backends.push(backend);
  return { backend, broker: new Broker(backend), statusTracker: new RecordingStatusSink(backend) };
}
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

type Anything = (...values: unknown[]) => unknown;

describe("generate() with the default JSON serializer", () => {
  it.each([
    ["a Date argument", { args: [new Date(0)] }, "args[0]", "a Date"],
    ["a Map keyword argument", { kwargs: { when: new Map() } }, "kwargs.when", "a Map"],
    ["undefined inside an array argument", { args: [1, [undefined]] }, "args[1][0]", "undefined"],
    // biome-ignore lint/suspicious/noSparseArray: the hole is what this test is about.
    ["a sparse array argument", { args: [[, 1]] }, "args[0][0]", "a hole"],
    ["a -0 argument", { args: [-0] }, "args[0]", "-0"],
    ["NaN in the metadata", { metadata: { score: NaN } }, "metadata.score", "NaN"],
  ])("refuses %s with a ValidationError naming the path, and submits nothing", async (_what, options, path, mention) => {
    const { backend, broker, statusTracker } = setup();
    const t = task(broker, { statusTracker }, function anything(..._values: unknown[]) {} as Anything);
    const refused = t.generate(options as never);
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toThrow(SerializationError);
    await expect(refused).rejects.toMatchObject({ path });
    await expect(refused).rejects.toThrow(new RegExp(`${path.replace(/[[\].]/g, "\\$&")} unchanged: it is ${mention}.*SuperJsonSerializer`));
    expect(await backend.countQueue("alsek_queue")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
    expect(statusTracker.history.size).toBe(0);
  });

  it("refuses a whole generateMany batch when one message cannot be stored", async () => {
    const { backend, broker } = setup();
    const t = task(broker, function anything(..._values: unknown[]) {} as Anything);
    await expect(t.generateMany([{ args: [1] }, { args: [new Set([2])] }, { args: [3] }] as never)).rejects.toMatchObject({
      path: "args[0]",
    });
    expect((await backend.countQueue("alsek_queue")).ready).toBe(0);
  });

  it("names the path inside a callback's arguments", async () => {
    const { broker } = setup();
    const t = task(broker, function first() {});
    const next = task(broker, function next(..._values: unknown[]) {} as Anything);
    const callback = await next.defer().generate({ args: [Infinity] } as never);
    await expect(t.generate({ callback })).rejects.toMatchObject({ path: "callbackMessageData.args[0]" });
  });

  it("allows undefined keyword values (dropped, read back as undefined)", async () => {
    const { broker } = setup();
    const seen: unknown[] = [];
    const t = task(broker, function withOptions(n: number, options: { limit?: number; page: number }) {
      seen.push(n, options.limit, options.page);
    });
    await t.generate({ args: [1], kwargs: { limit: undefined, page: 2 } });
    const consumer = new Consumer(broker, { queues: ["alsek_queue"] });
    const [message] = await consumer.claim(1);
    await consumer.close();
    await runInline(t, message!);
    expect(seen).toEqual([1, undefined, 2]);
  });
});

describe("generate() with a SuperJsonSerializer", () => {
  it("passes Date, Map, Set, BigInt, undefined, NaN, ±Infinity, -0 and sparse arrays to the task unchanged", async () => {
    const { broker } = setup(new MemoryBackend({ serializer: new SuperJsonSerializer() }));
    const received: unknown[][] = [];
    const t = task(broker, function receives(...values: unknown[]) {
      received.push(values);
    } as Anything);
    // biome-ignore lint/suspicious/noSparseArray: the hole is what this test is about.
    const sparse = [, "b"];
    const args = [new Date(5), new Map([["k", 1]]), new Set([1]), 2n ** 70n, undefined, NaN, Infinity, -Infinity, -0, sparse];
    await t.generate({ args } as never);
    const consumer = new Consumer(broker, { queues: ["alsek_queue"] });
    const [message] = await consumer.claim(1);
    await consumer.close();
    expect((await runInline(t, message!)).disposition).toBe("succeeded");
    const [values] = received;
    expect(values).toStrictEqual(args);
    expect(Object.is(values![8], -0)).toBe(true);
    expect(0 in (values![9] as unknown[])).toBe(false);
  });
});
