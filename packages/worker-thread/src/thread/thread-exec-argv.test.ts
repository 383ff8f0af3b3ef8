import { describe, expect, it } from "vitest";
import { threadFlags, threadResourceLimits } from "./thread-exec-argv.js";

describe("threadFlags", () => {
  it("maps heap flags to resourceLimits", () => {
    expect(threadResourceLimits(["--max-old-space-size=512", "--max_semi_space_size=8", "--stack-size=2048"])).toEqual({
      maxOldGenerationSizeMb: 512,
      maxYoungGenerationSizeMb: 24,
      stackSizeMb: 2,
    });
  });

  it("lets threads inherit every flag when the pool keeps all of this process's flags", () => {
    const own = ["--max-old-space-size=512", "--expose-gc"];
    expect(threadFlags([...own], own)).toEqual({ execArgv: undefined, resourceLimits: { maxOldGenerationSizeMb: 512 } });
  });

  it("passes only the flags a thread accepts when some were left out (here --inspect)", () => {
    const own = ["--inspect=127.0.0.1:0", "--max-old-space-size=512", "--expose-gc", "--title=x", "--enable-source-maps", "--conditions", "custom"];
    const kept = own.slice(1);
    expect(threadFlags(kept, own)).toEqual({
      execArgv: ["--enable-source-maps", "--conditions", "custom"],
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
  });
});
