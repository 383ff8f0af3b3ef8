import { afterEach, describe, expect, it, vi } from "vitest";
import { Broker } from "../broker/index.js";
import { ValidationError } from "../errors/index.js";
import { runInline } from "../lifecycle/index.js";
import { MemoryBackend } from "../memory/index.js";
import { Task, task } from "../tasks/index.js";
import { createLogger, getLogger, getLogLevel, setLogger, setLogLevel, type LogFields, type LogSink } from "./index.js";

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

/** A sink in pino's shape that keeps what it is given. */
function recordingSink(): { sink: LogSink; records: { level: string; fields: LogFields; message: string }[] } {
  const records: { level: string; fields: LogFields; message: string }[] = [];
  const at = (level: string) => (fields: LogFields, message: string) => void records.push({ level, fields, message });
  return { sink: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, records };
}

describe("pluggable logger", () => {
  afterEach(() => setLogger(null));

  it("sends records to the process-wide logger in pino's shape (fields, message), with the logger's name", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const { sink, records } = recordingSink();
    setLogger(sink);
    setLogLevel("info");
    const log = createLogger("alsek.test");
    log.debug("hidden");
    log.warn("shown", { queue: "q", task: "t", uuid: "u", error: new RangeError("far") });
    expect(records).toEqual([
      {
        level: "warn",
        message: "shown",
        fields: { logger: "alsek.test", queue: "q", task: "t", uuid: "u", error: { name: "RangeError", message: "far" } },
      },
    ]);
    expect(write).not.toHaveBeenCalled();
    expect(getLogger()).toBe(sink);
  });

  it("goes back to JSON lines on stderr with setLogger(null)", () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    setLogger(recordingSink().sink);
    setLogger(null);
    setLogLevel("info");
    createLogger("alsek.test").info("back", { uuid: "u" });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "info", logger: "alsek.test", msg: "back", uuid: "u" });
  });

  it("prefers a component's own sink, read when the record is written", () => {
    const global = recordingSink();
    const own = recordingSink();
    setLogger(global.sink);
    let current: LogSink | null = null;
    const log = createLogger("alsek.test", () => current);
    log.error("to the global one");
    current = own.sink;
    log.error("to its own");
    expect(global.records.map((r) => r.message)).toEqual(["to the global one"]);
    expect(own.records.map((r) => r.message)).toEqual(["to its own"]);
  });

  it("passes the level on to workers started afterwards only when asked to", () => {
    const before = process.env.ALSEK_LOG_LEVEL;
    try {
      delete process.env.ALSEK_LOG_LEVEL;
      setLogLevel("error");
      expect(process.env.ALSEK_LOG_LEVEL).toBeUndefined();
      setLogLevel("debug", { inherited: true });
      expect(getLogLevel()).toBe("debug");
      expect(process.env.ALSEK_LOG_LEVEL).toBe("debug");
    } finally {
      if (before === undefined) delete process.env.ALSEK_LOG_LEVEL;
      else process.env.ALSEK_LOG_LEVEL = before;
    }
  });

  it("survives a logger that throws", () => {
    setLogger({ debug() {}, info() {}, warn() {}, error() { throw new Error("disk full"); } });
    expect(() => createLogger("alsek.test").error("lost")).not.toThrow();
  });

  it("refuses a logger without pino's four methods, naming what is missing", () => {
    expect(() => setLogger({ info() {}, warn() {}, error() {} } as never)).toThrow(
      new ValidationError(
        "setLogger: `logger` must have debug, info, warn and error methods taking (fields, message), as a pino logger does; it has no debug method.",
      ),
    );
    expect(() => new Broker(new MemoryBackend(), { logger: "console" as never })).toThrow(/Broker: `logger` must have .* got string/);
  });
});

describe("loggers of brokers and their tasks", () => {
  it("sends a task's and its settlement's records to its broker's logger, with queue, task and uuid", async () => {
    const { sink, records } = recordingSink();
    setLogLevel("debug");
    const broker = new Broker(new MemoryBackend(), { logger: sink });
    class BrokenHooks extends Task {
      override onSuccess(): void {
        throw new Error("hook broke");
      }
    }
    const t = task(broker, { name: "loggedTask", queue: "logs", baseTask: BrokenHooks }, function loggedTask() {
      return 1;
    });
    const message = await t.generate();
    await runInline(t, message);
    const failing = task(broker, { name: "loggedFailure", queue: "logs", maxRetries: 1, backoff: null }, function loggedFailure() {
      throw new TypeError("no");
    });
    const failed = await failing.generate();
    await runInline(failing, failed);
    expect(records).toContainEqual({
      level: "error",
      message: "Hook onSuccess failed",
      fields: { logger: "alsek.lifecycle", queue: "logs", task: "loggedTask", uuid: message.uuid, error: { name: "Error", message: "hook broke" } },
    });
    expect(records).toContainEqual(
      expect.objectContaining({
        message: "Attempt failed; retrying",
        fields: expect.objectContaining({ queue: "logs", task: "loggedFailure", uuid: failed.uuid }),
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ message: "Retrying message", fields: expect.objectContaining({ logger: "alsek.broker", uuid: failed.uuid }) }),
    );
  });
});
