import { describe, expect, it } from "vitest";
import { LUA_SOURCES } from "./lua-sources.generated.js";
import { LUA_CONSTANTS } from "./script-constants.js";
import { checkPrelude, scriptWithPrelude } from "./script-prelude.js";
import { SCRIPT_NAMES } from "./script-set.js";

/** The definitions `padded` needs, with the comment before `twice`, which belongs to it. */
const PADDED_AND_ITS_DEPENDENCIES = [
  "local WIDTH = 16",
  "-- says what twice does",
  "local function twice(x)",
  "  return x * 2",
  "end",
  "local function padded(x)",
  "  return string.rep('0', WIDTH) .. twice(x)",
  "end",
];

const PRELUDE = [
  "-- header, dropped",
  ...PADDED_AND_ITS_DEPENDENCIES,
  "local TABLE = {",
  "  a = 1,",
  "}",
  "local function unused()",
  "  return TABLE",
  "end",
].join("\n");

describe("scriptWithPrelude", () => {
  it("keeps the definitions the body uses and theirs, in the prelude's order, then the body", () => {
    const script = scriptWithPrelude(PRELUDE, "return padded(ARGV[1])");
    expect(script).toBe([...PADDED_AND_ITS_DEPENDENCIES, "return padded(ARGV[1])"].join("\n"));
  });

  it("keeps a multi-line table whole, and nothing for a body that uses no definition", () => {
    expect(scriptWithPrelude(PRELUDE, "return TABLE.a")).toBe("local TABLE = {\n  a = 1,\n}\nreturn TABLE.a");
    expect(scriptWithPrelude(PRELUDE, "return 1")).toBe("return 1");
  });

  it("does not take part of a longer name for a use", () => {
    expect(scriptWithPrelude(PRELUDE, "local twice_more = 1\nreturn twice_more")).toBe("local twice_more = 1\nreturn twice_more");
  });
});

describe("checkPrelude", () => {
  it("accepts definitions, comments and blank lines", () => {
    expect(() => checkPrelude("test", `${PRELUDE}\n\n-- more`)).not.toThrow();
  });

  it("refuses a top-level statement, which would be dropped with the definition before it", () => {
    expect(() => checkPrelude("common.lua", `${PRELUDE}\nredis.setresp(3)`)).toThrow(
      "common.lua line 16 is a top-level statement, not a definition: redis.setresp(3)",
    );
  });

  it("accepts the shared constants, common.lua and schedule-common.lua as they are", () => {
    expect(() => checkPrelude("constants and common", `${LUA_CONSTANTS}\n${LUA_SOURCES.common}`)).not.toThrow();
    expect(() => checkPrelude("schedule-common", LUA_SOURCES["schedule-common"]!)).not.toThrow();
  });
});

describe("the scripts' preludes", () => {
  const prelude = `${LUA_CONSTANTS}\n${LUA_SOURCES.common}\n${LUA_SOURCES["schedule-common"]}`;
  const defined = [...prelude.matchAll(/^local (?:function )?([A-Za-z_]\w*)/gm)].map((match) => match[1]!);

  it("finds every definition of the real prelude", () => {
    // Spot checks across the files: a constant, common.lua's first and last helpers, schedule-common's.
    expect(defined).toEqual(expect.arrayContaining(["SCORE_WIDTH", "LEASE_TABLE_PIN", "message_score", "error_fields", "append_schedule"]));
  });

  it("gives each script every prelude definition it names, defined before its first use", () => {
    for (const name of SCRIPT_NAMES) {
      const body = LUA_SOURCES[name]!;
      const script = scriptWithPrelude(prelude, body);
      for (const definition of defined) {
        if (!new RegExp(`\\b${definition}\\b`).test(body)) continue;
        const at = script.search(new RegExp(`^local (?:function )?${definition}\\b`, "m"));
        expect(at, `${name}.lua uses ${definition}`).toBeGreaterThanOrEqual(0);
        expect(at, `${name}.lua defines ${definition} before its body`).toBeLessThan(script.indexOf(body));
      }
    }
  });

  it("leaves out what a script does not use: submit carries no result or fence helpers", () => {
    const submit = scriptWithPrelude(prelude, LUA_SOURCES.submit!);
    expect(submit).toContain("local function enqueue(");
    expect(submit).not.toContain("local function store_result(");
    expect(submit).not.toContain("local function check_fence(");
    expect(submit.length).toBeLessThan(prelude.length / 2);
  });
});
