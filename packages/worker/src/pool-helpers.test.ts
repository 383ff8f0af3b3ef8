import { describe, expect, it } from "vitest";
import { MessageDecodeError, RevokedError, TaskTimeoutError } from "@alsek/core";
import { childExecArgv } from "./compiled-entry.js";
import { decodeWireError, encodeWireError } from "./wire-outcome.js";

function roundTrip(error: unknown): unknown {
  return decodeWireError(structuredClone(encodeWireError(error)));
}

describe("wire errors", () => {
  it("rebuild built-in and Alsek error classes so instanceof works across workers", () => {
    expect(roundTrip(new RangeError("low"))).toBeInstanceOf(RangeError);
    const revoked = roundTrip(new RevokedError("gone"));
    expect(revoked).toBeInstanceOf(RevokedError);
    expect((revoked as Error).message).toBe("gone");
    expect(decodeWireError({ name: "TaskTimeoutError", message: "late", stack: null, props: null })).toBeInstanceOf(
      TaskTimeoutError,
    );
  });

  it("keep the name, stack and data properties of user error classes", () => {
    class QuotaError extends Error {
      code = "E_QUOTA";
      override name = "QuotaError";
    }
    const original = new QuotaError("over quota");
    const copy = roundTrip(original) as Error & { code?: string };
    expect(copy.name).toBe("QuotaError");
    expect(copy.code).toBe("E_QUOTA");
    expect(copy.stack).toBe(original.stack);
  });

  it("rebuild a MessageDecodeError with its message, queue, uuid and field", () => {
    const copy = roundTrip(MessageDecodeError.describe("q", "u1", "args", "`args` must be an array")) as MessageDecodeError;
    expect(copy).toBeInstanceOf(MessageDecodeError);
    expect(copy.message).toContain("Message u1 in queue 'q' cannot be decoded");
    expect([copy.queue, copy.uuid, copy.field]).toEqual(["q", "u1", "args"]);
  });

  it("pass thrown non-errors through unchanged", () => {
    expect(roundTrip("plain string")).toBe("plain string");
    expect(roundTrip({ reason: 1 })).toEqual({ reason: 1 });
  });
});

describe("childExecArgv", () => {
  it("drops debugger flags and the source condition unless a TypeScript loader is present", () => {
    expect(childExecArgv(["--inspect=9229", "--conditions", "@alsek/source", "--max-old-space-size=512"])).toEqual([
      "--max-old-space-size=512",
    ]);
    expect(childExecArgv(["--import", "tsx", "--conditions", "@alsek/source"])).toEqual([
      "--import",
      "tsx",
      "--conditions",
      "@alsek/source",
    ]);
    expect(childExecArgv(["--require", "/x/vitest_tsx@4/suppress.cjs", "-C=@alsek/source"])).toEqual([
      "--require",
      "/x/vitest_tsx@4/suppress.cjs",
    ]);
  });
});
