import { describe, expect, it } from "vitest";
import { normalizeArgv } from "./normalize-argv.js";

describe("normalizeArgv", () => {
  it("turns the tour's -qu flag into --queues, with a separate or an attached value", () => {
    expect(normalizeArgv(["thread-pool", "p", "-qu", "a,b"])).toEqual(["thread-pool", "p", "--queues", "a,b"]);
    expect(normalizeArgv(["thread-pool", "p", "-qu=a,b"])).toEqual(["thread-pool", "p", "--queues=a,b"]);
  });

  it("leaves other flags and everything after -- untouched", () => {
    expect(normalizeArgv(["-q", "a", "--n_threads", "2", "--", "-qu"])).toEqual(["-q", "a", "--n_threads", "2", "--", "-qu"]);
  });
});
