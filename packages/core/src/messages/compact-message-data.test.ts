import { describe, expect, it } from "vitest";
import { LinearBackoff } from "../backoff/index.js";
import { compactMessageData, expandMessageData } from "./compact-message-data.js";
import { Message } from "./message.js";

describe("compactMessageData / expandMessageData", () => {
  it("stores a default message as its task name and creation time only", () => {
    const message = new Message({ taskName: "add", queue: "q" });
    const ref = { queue: "q", uuid: message.uuid };
    expect(compactMessageData(message.data, ref)).toEqual({ taskName: "add", createdAt: message.createdAt });
    expect(expandMessageData(compactMessageData(message.data, ref), ref)).toEqual(message.data);
  });

  it("round-trips a message whose every field differs from its default, callbacks included", () => {
    const callback = new Message({ taskName: "cb", queue: "alsek_queue", args: [1], retries: 2 });
    const message = new Message({
      taskName: "t",
      queue: "other",
      args: [1, "a", { b: null }],
      kwargs: { x: 1 },
      priority: 5,
      metadata: { m: true },
      exceptionDetails: { name: "Error", text: "boom", traceback: null },
      resultTtl: 1_000,
      progenitorUuid: "p",
      retries: 3,
      timeout: 5,
      createdAt: 10,
      updatedAt: 20,
      delay: 7,
      previousResult: 0,
      previousMessageUuid: "prev",
      callbackMessageData: callback.data,
      backoffSettings: new LinearBackoff({ factor: 10 }).settings,
      mechanism: "thread",
      linkedLock: { name: "l", ownerId: "o" },
    });
    const ref = { queue: "q", uuid: "someone-else" };
    const stored = JSON.parse(JSON.stringify(compactMessageData(message.data, ref)));
    expect(stored.callbackMessageData).not.toHaveProperty("kwargs");
    expect(expandMessageData(stored, ref)).toEqual(message.data);
    expect(new Message(expandMessageData(stored, ref)).data).toEqual(message.data);
  });

  it("keeps falsy values that are not the default (previousResult 0, an empty metadata object)", () => {
    const message = new Message({ taskName: "t", previousResult: false, metadata: {} });
    const stored = JSON.parse(JSON.stringify(compactMessageData(message.data)));
    expect(stored.previousResult).toBe(false);
    expect(stored.metadata).toEqual({});
    expect(expandMessageData(stored)).toEqual(message.data);
  });

  it("encodes the same data to the same text whatever the key order (replayed submits stay duplicates)", () => {
    const data = new Message({ taskName: "t", args: [1] }).data;
    const reversed = Object.fromEntries(Object.entries(data).reverse()) as typeof data;
    expect(JSON.stringify(compactMessageData(reversed))).toBe(JSON.stringify(compactMessageData(data)));
  });

  it("reads full data stored by an earlier version unchanged, unknown fields included", () => {
    const data = { ...new Message({ taskName: "t" }).data, addedLater: 1 };
    expect(expandMessageData(JSON.parse(JSON.stringify(data)))).toEqual(data);
    expect(expandMessageData(compactMessageData(data))).toEqual(data);
  });

  it("gives each expanded message its own default backoff settings", () => {
    const stored = compactMessageData(new Message({ taskName: "t" }).data);
    const a = expandMessageData(stored);
    const b = expandMessageData(stored);
    expect(a.backoffSettings).toEqual(b.backoffSettings);
    expect(a.backoffSettings).not.toBe(b.backoffSettings);
  });
});
