import { ValidationError } from "@alsek/core";
import { describe, expect, it } from "vitest";
import { parseLogLevel } from "./log-level.js";
import { parseQueues } from "./parse-queues.js";

describe("parseLogLevel", () => {
  it("accepts our level names and the original's, in any case", () => {
    expect(parseLogLevel("debug")).toBe("debug");
    expect(parseLogLevel("INFO")).toBe("info");
    expect(parseLogLevel("WARNING")).toBe("warn");
    expect(parseLogLevel("Critical")).toBe("error");
    expect(parseLogLevel("NOTSET")).toBe("debug");
  });

  it("rejects an unknown name and lists the valid ones", () => {
    expect(() => parseLogLevel("loud")).toThrow(ValidationError);
    expect(() => parseLogLevel("loud")).toThrow(/use one of debug/);
  });
});

describe("parseQueues", () => {
  it("keeps the order given and trims spaces", () => {
    expect(parseQueues(" queue_b, queue_a ,queue_z")).toEqual(["queue_b", "queue_a", "queue_z"]);
  });

  it("means every queue when absent or empty", () => {
    expect(parseQueues(undefined)).toBeUndefined();
    expect(parseQueues(" , ")).toBeUndefined();
  });

  it("rejects repeated and invalid names", () => {
    expect(() => parseQueues("a,b,a")).toThrow(/listed twice/);
    expect(() => parseQueues("a,b c")).toThrow(/not a valid queue name/);
  });
});
