import { describe, expect, it } from "vitest";
import { MessageDecodeError, ValidationError } from "../errors/index.js";
import { Message, MESSAGE_DATA_KEYS } from "../messages/index.js";
import { decodeStoredMessage } from "./decode-stored-message.js";
import { findMessageProblem, MESSAGE_FIELD_RULES, requireMessageData } from "./message-schema.js";

const good = () => new Message({ taskName: "t", queue: "q", args: [1], metadata: { a: 1 } }).data;

describe("the message schema", () => {
  it("has a rule for every persisted field but previousResult, which may be anything", () => {
    expect(Object.keys(MESSAGE_FIELD_RULES).sort()).toEqual(MESSAGE_DATA_KEYS.filter((key) => key !== "previousResult").sort());
  });

  it("checks every field it has a rule for, naming it", () => {
    for (const field of Object.keys(MESSAGE_FIELD_RULES)) {
      const broken = { ...good(), [field]: Symbol("bad") };
      expect(findMessageProblem(broken)?.field).toBe(field);
    }
    expect(findMessageProblem(good())).toBeNull();
    expect(findMessageProblem({ ...good(), previousResult: Symbol("anything") })).toBeNull();
  });

  it("names nested callback fields and refuses data of another message", () => {
    const data = good();
    expect(findMessageProblem({ ...data, callbackMessageData: { ...good(), retries: -1 } })?.field).toBe("callbackMessageData.retries");
    expect(findMessageProblem(data, { queue: "other", uuid: data.uuid })?.field).toBe("queue");
    expect(() => requireMessageData({ queue: "q", uuid: data.uuid }, { ...data, timeout: 0 })).toThrow(ValidationError);
    expect(() => requireMessageData({ queue: "q", uuid: data.uuid }, { ...data, timeout: 0 })).toThrow(/`timeout` must be a number of ms > 0, got 0/);
  });

  it("decodes on the read side with the same rules, keeping what was readable for the dead letter", () => {
    const data = good();
    const ref = { queue: "q", uuid: data.uuid };
    const payload = JSON.stringify({ ...data, args: "oops" });
    const decoded = decodeStoredMessage(ref, payload, JSON.parse);
    if (decoded.ok) throw new Error("expected a decode error");
    expect(decoded.error).toBeInstanceOf(MessageDecodeError);
    expect([decoded.error.queue, decoded.error.uuid, decoded.error.field]).toEqual(["q", data.uuid, "args"]);
    expect(decoded.deadLetter).toMatchObject({ taskName: "t", args: [], metadata: { a: 1, rawPayload: payload } });
    expect(decoded.deadLetter.exceptionDetails?.name).toBe("MessageDecodeError");
    expect(findMessageProblem(decoded.deadLetter, ref)).toBeNull();
    expect(decodeStoredMessage(ref, JSON.stringify(data), JSON.parse)).toEqual({ ok: true, data });
  });
});
