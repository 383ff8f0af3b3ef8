import { SuperJSON } from "superjson";
import { describe, expect, it } from "vitest";
import { SerializationError } from "../errors/index.js";
import { JsonSerializer } from "./json-serializer.js";
import { SuperJsonSerializer } from "./super-json-serializer.js";

function roundTrip(value: unknown, serializer = new SuperJsonSerializer()): unknown {
  return serializer.reverse(serializer.forward(value));
}

function refusal(value: unknown, serializer = new SuperJsonSerializer()): SerializationError {
  try {
    serializer.forward(value);
  } catch (error) {
    if (error instanceof SerializationError) return error;
    throw error;
  }
  throw new Error("SuperJsonSerializer stored the value instead of refusing it");
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

// Every value the JSON serializer refuses for a type JSON lacks, which SuperJSON must keep.
const KEPT: [string, unknown][] = [
  ["a Date", new Date(1_700_000_000_123)],
  ["a Map", new Map<unknown, unknown>([[1, { a: "b" }], ["k", [2]]])],
  ["a Set", new Set([1, "x", null])],
  ["a BigInt", 10n ** 30n],
  ["undefined", undefined],
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["-0", -0],
];

describe("SuperJsonSerializer", () => {
  it.each(KEPT)("round-trips %s, which JsonSerializer refuses", (_what, value) => {
    const back = roundTrip(value);
    if (typeof value === "object") expect(back).toStrictEqual(value);
    else expect(Object.is(back, value)).toBe(true);
    expect(roundTrip({ args: [value] })).toStrictEqual({ args: [value] });
    expect(() => new JsonSerializer().forward({ args: [value] })).toThrow(SerializationError);
  });

  it("keeps -0 as -0 and undefined array items as present items", () => {
    const back = roundTrip({ z: -0, list: [1, undefined] }) as { z: number; list: unknown[] };
    expect(Object.is(back.z, -0)).toBe(true);
    expect(back.list).toHaveLength(2);
    expect(1 in back.list).toBe(true);
    expect(back.list[1]).toBeUndefined();
  });

  it("round-trips sparse arrays, holes and length included, with kept types inside", () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is what this test is about.
    const sparse: unknown[] = [, 1, , new Date(7)];
    sparse.length = 6;
    // biome-ignore lint/suspicious/noSparseArray: the hole is what this test is about.
    const back = roundTrip({ args: [sparse, [[, -0]]] }) as { args: [unknown[], unknown[][]] };
    const [list, nested] = back.args;
    expect(list).toHaveLength(6);
    expect([0, 2, 4, 5].map((i) => i in list)).toEqual([false, false, false, false]);
    expect(list[1]).toBe(1);
    expect(list[3]).toEqual(new Date(7));
    expect(0 in nested[0]!).toBe(false);
    expect(Object.is(nested[0]![1], -0)).toBe(true);
    // biome-ignore lint/suspicious/noSparseArray: the hole is what this test is about.
    expect(back).toStrictEqual({ args: [sparse, [[, -0]]] });
  });

  it("round-trips circular references", () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    const back = roundTrip(loop) as Record<string, unknown>;
    expect(back.self).toBe(back);
  });

  it.each([
    ["a function", { kwargs: { onDone: () => 1 } }, "kwargs.onDone", "a function"],
    ["an unregistered symbol", { args: [Symbol("s")] }, "args[0]", "an unregistered symbol"],
    ["an unregistered class instance", { args: [new Point(3, 4)] }, "args[0]", "an instance of Point"],
    ["a Buffer (stored but unreadable)", { data: Buffer.from("ab") }, "data", "a Buffer"],
    ["an invalid Date", { when: new Date(Number.NaN) }, "when", "an invalid Date"],
    ["a function inside a Map", { m: new Map([["k", { fn() {} }]]) }, 'm.get("k").fn', "a function"],
  ])("refuses %s, naming the path", (_what, value, path, mention) => {
    const error = refusal(value);
    expect(error.path).toBe(path);
    expect(error.message).toContain(`cannot store ${path} unchanged`);
    expect(error.message).toContain(mention);
  });

  it("keeps instances of classes registered on the superjson instance it was given", () => {
    const instance = new SuperJSON();
    instance.registerClass(Point, "Point");
    const serializer = new SuperJsonSerializer({ superjson: instance });
    const back = roundTrip({ at: new Point(3, 4) }, serializer) as { at: Point };
    expect(back.at).toBeInstanceOf(Point);
    expect(back.at.norm()).toBe(5);
    // The sparse-array type was registered on that instance too.
    // biome-ignore lint/suspicious/noSparseArray: the hole is what this test is about.
    expect(1 in (roundTrip([1, , 3], serializer) as unknown[])).toBe(false);
  });
});
