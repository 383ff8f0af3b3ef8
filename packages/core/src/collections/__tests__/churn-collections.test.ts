import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ChurnMap, ChurnSet } from "../index.js";

const run = promisify(execFile);
const FIXTURE = fileURLToPath(new URL("./churn-promotion.fixture.mjs", import.meta.url));

/** Bytes the scavenges of one fixture run promoted to the old generation (`--trace-gc-nvp`). */
async function promotedBytes(kind: string): Promise<number> {
  const { stdout } = await run(process.execPath, ["--trace-gc-nvp", FIXTURE, kind], { maxBuffer: 64 * 1024 * 1024 });
  let total = 0;
  for (const line of stdout.split("\n")) {
    if (!line.includes(" gc=s ")) continue;
    const promoted = / promoted=(\d+)/.exec(line);
    if (promoted) total += Number(promoted[1]);
  }
  return total;
}

describe("ChurnMap", () => {
  it("keeps, replaces, counts and removes entries by id", () => {
    const map = new ChurnMap<{ n: number }>();
    const one = { n: 1 };
    expect(map.set(1, one)).toBe(map);
    map.set(2, { n: 2 }).set(2 ** 40, { n: 3 });
    expect(map.size).toBe(3);
    expect(map.get(1)).toBe(one);
    expect(map.has(2 ** 40)).toBe(true);
    map.set(1, { n: 4 });
    expect(map.size).toBe(3);
    expect(map.get(1)).toEqual({ n: 4 });
    expect(map.delete(2)).toBe(true);
    expect(map.delete(2)).toBe(false);
    expect(map.has(2)).toBe(false);
    expect(map.get(2)).toBeUndefined();
    expect(map.size).toBe(2);
    expect([...map.keys()].sort((a, b) => a - b)).toEqual([1, 2 ** 40]);
    expect([...map.values()].map(({ n }) => n).sort()).toEqual([3, 4]);
    expect(new Map(map.entries())).toEqual(new Map([[1, { n: 4 }], [2 ** 40, { n: 3 }]]));
    expect(new Map(map)).toEqual(new Map(map.entries()));
    map.clear();
    expect(map.size).toBe(0);
    expect([...map.values()]).toEqual([]);
  });

  it("refuses undefined as a value, which would read as an absent id", () => {
    const map = new ChurnMap<number | undefined>();
    expect(() => map.set(1, undefined)).toThrow("ChurnMap.set(): a value cannot be undefined (it marks an absent id).");
    expect(map.size).toBe(0);
  });
});

describe("ChurnSet", () => {
  it("holds members by identity, once each", () => {
    const set = new ChurnSet<{ n: number }>();
    const a = { n: 1 };
    const twin = { n: 1 };
    expect(set.add(a)).toBe(set);
    set.add(a).add(twin);
    expect(set.size).toBe(2);
    expect(set.has(a)).toBe(true);
    expect(set.delete(a)).toBe(true);
    expect(set.delete(a)).toBe(false);
    expect(set.has(a)).toBe(false);
    expect([...set]).toEqual([twin]);
    expect([...set.values()]).toEqual([twin]);
    set.add(a);
    expect(set.size).toBe(2);
  });
});

// What the two collections exist for. A Map or Set that got old and then churns keeps every later
// table and entry alive across scavenges (V8 links each old table to its successor); these do not.
describe("promotion under churn (a child Node process per collection)", () => {
  it("a ChurnMap promotes a fraction of what a Map promotes", async () => {
    const [map, churn] = await Promise.all([promotedBytes("map"), promotedBytes("churn-map")]);
    expect(map).toBeGreaterThan(0);
    expect(churn * 4).toBeLessThan(map);
  });

  it("a ChurnSet promotes a fraction of what a Set promotes", async () => {
    const [set, churn] = await Promise.all([promotedBytes("set"), promotedBytes("churn-set")]);
    expect(set).toBeGreaterThan(0);
    expect(churn * 4).toBeLessThan(set);
  });
});
