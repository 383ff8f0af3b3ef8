import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, getLogLevel, setLogLevel } from "./index.js";

const initial = getLogLevel();
afterEach(() => {
  setLogLevel(initial);
  vi.restoreAllMocks();
});

describe("logger", () => {
  it("writes one JSON line per record at or above the level, to stderr", () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    setLogLevel("info");
    const log = createLogger("alsek.test");
    log.debug("hidden");
    log.info("shown", { queue: "q", error: new TypeError("bad") });
    log.error("also shown");
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith("\n") && line.split("\n").length === 2)).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "info", logger: "alsek.test", msg: "shown", queue: "q", error: { name: "TypeError", message: "bad" } });
  });

  it("is quiet when silent and rejects unknown levels", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    setLogLevel("silent");
    createLogger("alsek.test").error("nothing");
    expect(write).not.toHaveBeenCalled();
    expect(() => setLogLevel("loud" as never)).toThrow(/Unknown log level/);
  });
});
