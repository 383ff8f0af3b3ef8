import { describe, expect, it } from "vitest";
import { SerializationError, ValidationError } from "../errors/index.js";
import { findJsonChange, MAX_JSON_DEPTH } from "./find-json-change.js";
import { JsonSerializer } from "./json-serializer.js";

const serializer = new JsonSerializer();

function refusal(value: unknown): SerializationError {
  try {
    serializer.forward(value);
  } catch (error) {
    if (error instanceof SerializationError) return error;
    throw error;
  }
  throw new Error(`JsonSerializer stored ${String(value)} instead of refusing it`);
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
class Money {
  constructor(readonly cents: number) {}
  toJSON(): string {
    return `${this.cents / 100} EUR`;
  }
}
class Items extends Array<number> {}

describe("JsonSerializer", () => {
  it("round-trips JSON data unchanged", () => {
    const value = { s: "x", n: -1.5, zero: 0, t: true, f: false, nil: null, list: [1, "two", [3], { four: 4 }], nested: { a: { b: [] } } };
    expect(serializer.reverse(serializer.forward(value))).toStrictEqual(value);
    expect(serializer.reverse(serializer.forward("\ud800 lone surrogate"))).toBe("\ud800 lone surrogate");
  });

  it.each([
    ["a Date", { args: [new Date(0)] }, "args[0]", "a Date"],
    ["a Map", { kwargs: { when: new Map([[1, 2]]) } }, "kwargs.when", "a Map"],
    ["a Set", { args: [1, new Set([1])] }, "args[1]", "a Set"],
    ["a BigInt", { result: { items: [0, 1, 2, { id: 10n }] } }, "result.items[3].id", "a BigInt"],
    ["a function", { kwargs: { onDone: () => 1 } }, "kwargs.onDone", "a function"],
    ["a symbol", { args: [Symbol("s")] }, "args[0]", "a symbol"],
    ["undefined in an array", { args: [1, [undefined]] }, "args[1][0]", "undefined"],
    // biome-ignore lint/suspicious/noSparseArray: the hole is what this test is about.
    ["an array hole", { args: [[1, , 3]] }, "args[0][1]", "a hole"],
    ["NaN", { a: NaN }, "a", "NaN"],
    ["Infinity", { a: [Infinity] }, "a[0]", "Infinity"],
    ["-Infinity", { a: -Infinity }, "a", "-Infinity"],
    ["-0", { args: [-0] }, "args[0]", "-0"],
    ["a class instance", { args: [new Point(1, 2)] }, "args[0]", "an instance of Point"],
    ["a class with toJSON", { args: [new Money(150)] }, "args[0]", "toJSON()"],
    ["a Buffer", { data: Buffer.from("ab") }, "data", "a Buffer"],
    ["a typed array", { data: new Uint8Array(2) }, "data", "a Uint8Array"],
    ["an array subclass", { data: Items.from([1]) }, "data", "an instance of Items"],
    ["a RegExp", { re: /a/ }, "re", "an instance of RegExp"],
    ["an Error", { error: new Error("x") }, "error", "an instance of Error"],
    ["a key that is no identifier", { "my key": [new Date(0)] }, '["my key"][0]', "a Date"],
    ["the value itself", undefined, "", "the value unchanged"],
  ])("refuses %s, naming the path", (_what, value, path, mention) => {
    const error = refusal(value);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.path).toBe(path);
    if (path !== "") expect(error.message).toContain(`cannot store ${path} unchanged`);
    expect(error.message).toContain(mention);
    expect(error.message).toContain("SuperJsonSerializer");
  });

  it("allows undefined object properties (JSON drops them; reading them back gives undefined again)", () => {
    const back = serializer.reverse(serializer.forward({ kwargs: { limit: undefined, page: 2 } })) as { kwargs: Record<string, unknown> };
    expect(back).toStrictEqual({ kwargs: { page: 2 } });
    expect(back.kwargs.limit).toBeUndefined();
  });

  it("allows null-prototype objects and shared references, and ignores inherited properties", () => {
    const dictionary = Object.assign(Object.create(null) as Record<string, number>, { a: 1 });
    const shared = { id: 1 };
    expect(serializer.reverse(serializer.forward({ dictionary, pair: [shared, shared] }))).toStrictEqual({
      dictionary: { a: 1 },
      pair: [{ id: 1 }, { id: 1 }],
    });
  });

  it("ignores enumerable properties inherited from Object.prototype, as JSON does", () => {
    // An old polyfill style: an enumerable method on every object's prototype.
    Object.defineProperty(Object.prototype, "legacyHelper", { value: () => 1, enumerable: true, configurable: true, writable: true });
    try {
      expect(serializer.forward({ own: 1 })).toBe('{"own":1}');
    } finally {
      delete (Object.prototype as Record<string, unknown>).legacyHelper;
    }
  });

  it("refuses a circular reference instead of overflowing the stack", () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    const error = refusal({ args: [loop] });
    expect(error.message).toContain(`nested more than ${MAX_JSON_DEPTH} levels deep`);
    expect(error.path?.startsWith("args[0].self.self")).toBe(true);
  });

  it("reports the first change only, and nothing for JSON data", () => {
    expect(findJsonChange({ a: [1, { b: "c" }], d: null })).toBeNull();
    expect(findJsonChange([new Date(0), NaN])).toMatchObject({ path: "[0]", found: "a Date" });
  });
});
