import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KeyLayout, QUEUE_KEY_SUFFIXES } from "./key-layout.js";

const SCRIPTS_DIR = new URL("../lua/", import.meta.url);

/** Every literal a script appends to a key prefix: `prefix .. 'm:'`, `prefix .. (dead and 'dead:' or 'm:')`. */
function suffixesTheScriptsAppend(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of readdirSync(SCRIPTS_DIR).filter((name) => name.endsWith(".lua"))) {
    const code = readFileSync(new URL(file, SCRIPTS_DIR), "utf8").replace(/--[^\n]*/g, "");
    const literals = [
      ...[...code.matchAll(/[\w\]]\s*\.\.\s*'([^']*)'/g)].map((match) => match[1]!),
      ...[...code.matchAll(/\.\.\s*\(\w+ and '([^']*)' or '([^']*)'\)/g)].flatMap((match) => [match[1]!, match[2]!]),
    ];
    for (const literal of literals) found.set(literal, [...(found.get(literal) ?? []), file]);
  }
  return found;
}

describe("KeyLayout", () => {
  it("puts every key of a queue under its prefix, with the queue as Cluster hash tag", () => {
    const keys = new KeyLayout("ns");
    expect(keys.queuePrefix("emails")).toBe("ns:q:{emails}:");
    expect(keys.ready("emails")).toBe("ns:q:{emails}:ready");
    expect(keys.lease("emails")).toBe("ns:q:{emails}:lease");
    expect(keys.expiredLeases("emails")).toBe("ns:q:{emails}:exp");
    expect(keys.message("emails", "u1")).toBe("ns:q:{emails}:m:u1");
    expect(keys.resultIndex("emails", "p1")).toBe("ns:q:{emails}:rd:p1");
  });

  it("names every key the scripts derive from a queue prefix: the Lua appends no suffix the layout does not define", () => {
    const appended = suffixesTheScriptsAppend();
    const defined = new Set<string>(Object.values(QUEUE_KEY_SUFFIXES));
    const unknown = [...appended].filter(([suffix]) => !defined.has(suffix)).map(([suffix, files]) => `'${suffix}' in ${files.join(", ")}`);
    expect(unknown).toEqual([]);
    // The keys only the scripts write are found, so the scan above reads the scripts at all.
    for (const suffix of ["m:", "lease", "exp", "applied:", "tp:", "seq"]) expect(appended.has(suffix), suffix).toBe(true);
  });
});
