import { readdirSync, readFileSync } from "node:fs";
import { MAX_PRIORITY } from "@alsek/core";
import { describe, expect, it } from "vitest";
import {
  LUA_CONSTANTS,
  MAX_SKIPPED_PER_QUEUE,
  READY_PRIORITY_SCALE,
  STATUS_HEAD_WIDTH,
  STORED_SCORE_WIDTH,
} from "./script-constants.js";

const SCRIPTS_DIR = new URL("./", import.meta.url);

describe("script constants", () => {
  it("fits the largest ready score in the stored width as an exact integer", () => {
    const largest = MAX_PRIORITY * READY_PRIORITY_SCALE + (READY_PRIORITY_SCALE - 1);
    expect(largest).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(String(largest).length).toBeLessThanOrEqual(STORED_SCORE_WIDTH);
  });

  it("renders every constant for Lua from its TypeScript value", () => {
    expect(LUA_CONSTANTS).toContain(`local SCORE_WIDTH = ${STORED_SCORE_WIDTH}\n`);
    expect(LUA_CONSTANTS).toContain(`local SCORE_FORMAT = '%0${STORED_SCORE_WIDTH}.0f'\n`);
    expect(LUA_CONSTANTS).toContain("local PRIORITY_SCALE = 4294967296\n");
    expect(LUA_CONSTANTS).toContain("local STATUS_MARK = '\\000R'\n");
    expect(LUA_CONSTANTS).toContain(`local STATUS_HEAD_WIDTH = ${STATUS_HEAD_WIDTH}\n`);
    expect(LUA_CONSTANTS).toContain(`local MAX_SKIPPED_PER_QUEUE = ${MAX_SKIPPED_PER_QUEUE}\n`);
  });

  it("is defined nowhere in the .lua files themselves", () => {
    for (const file of readdirSync(SCRIPTS_DIR).filter((name) => name.endsWith(".lua"))) {
      const code = readFileSync(new URL(file, SCRIPTS_DIR), "utf8");
      for (const name of ["SCORE_WIDTH", "SCORE_FORMAT", "PRIORITY_SCALE", "STATUS_MARK", "STATUS_HEAD_WIDTH", "MAX_SKIPPED_PER_QUEUE"]) {
        expect(code, `${file} defines ${name}`).not.toMatch(new RegExp(`local ${name}\\s*=`));
      }
      expect(code, `${file} spells out the score width or scale`).not.toMatch(/%016|4294967296/);
    }
  });
});
