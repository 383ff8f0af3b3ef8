import { afterEach, describe, expect, it } from "vitest";
import { Consumer } from "../consumer/index.js";
import { MessageAlreadyExistsError, MessageDoesNotExistError } from "../errors/index.js";
import { Lock } from "../locks/index.js";
import { MemoryBackend } from "../memory/index.js";
import { Message } from "../messages/index.js";
import { Broker } from "./index.js";

const backends: MemoryBackend[] = [];
function setup(options?: ConstructorParameters<typeof Broker>[1]) {
  const backend = new MemoryBackend();
  backends.push(backend);
  return { backend, broker: new Broker(backend, options) };
}
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

describe("Broker", () => {
  it("submits a message that then exists, and accepts a replayed submit", async () => {
    const { broker } = setup();
    const message = new Message({ taskName: "t" });
    expect(await broker.exists(message)).toBe(false);
    expect(await broker.submit(message)).toBe("created");
    expect(await broker.exists(message)).toBe(true);
    expect(await broker.submit(message)).toBe("duplicate");
  });

  it("refuses a different message under a uuid already queued", async () => {
    const { broker } = setup();
    await broker.submit(new Message({ taskName: "t", uuid: "u", args: [1] }));
    await expect(broker.submit(new Message({ taskName: "t", uuid: "u", args: [2] }))).rejects.toThrow(MessageAlreadyExistsError);
  });

  it("submits many in one call and reports conflicts per message", async () => {
    const { broker, backend } = setup();
    await broker.submit(new Message({ taskName: "t", uuid: "taken", args: [0] }));
    const outcomes = await broker.submitMany([
      new Message({ taskName: "t", queue: "q" }),
      new Message({ taskName: "t", uuid: "taken", args: [1] }),
    ]);
    expect(outcomes).toEqual(["created", "conflict"]);
    expect((await backend.countQueue("q")).ready).toBe(1);
  });

  it("fails a message into the DLQ, idempotently", async () => {
    const { broker } = setup();
    const message = new Message({ taskName: "t" });
    await broker.submit(message);
    message.exceptionDetails = { name: "Error", text: "x", traceback: null };
    expect(await broker.fail(message)).toBe("ok");
    expect(await broker.exists(message)).toBe(false);
    expect(await broker.inDlq(message)).toBe(true);
    expect(await broker.fail(message)).toBe("gone");
    expect(await broker.inDlq(message)).toBe(true);
    expect((await broker.syncFromBackend(message)).exceptionDetails?.text).toBe("x");
  });

  it("keeps no dead letter when the DLQ is disabled", async () => {
    const { broker } = setup({ dlqTtl: null });
    const message = new Message({ taskName: "t" });
    await broker.submit(message);
    await broker.fail(message);
    expect(await broker.inDlq(message)).toBe(false);
    expect(new Broker(broker.backend, { dlqTtl: 0 }).dlqTtl).toBeNull();
  });

  it("acks and removes messages", async () => {
    const { broker } = setup();
    const a = new Message({ taskName: "t" });
    const b = new Message({ taskName: "t" });
    await broker.submitMany([a, b]);
    expect(await broker.ack(a)).toBe("ok");
    expect(await broker.remove(b)).toBe("ok");
    expect([await broker.exists(a), await broker.exists(b), await broker.inDlq(a)]).toEqual([false, false, false]);
  });

  it("retries with retries + 1 and readyAt moved by the backoff", async () => {
    const { broker, backend } = setup();
    const message = new Message({ taskName: "t" });
    await broker.submit(message);
    expect(await broker.retry(message)).toBe("ok");
    expect(message.retries).toBe(1);
    const stored = await broker.syncFromBackend(message);
    expect(stored.retries).toBe(1);
    expect(stored.readyAt).toBe(message.createdAt + 60_000);
    expect((await backend.countQueue("alsek_queue")).delayed).toBe(1);
  });

  it("uses the message's lease when it has one (fenced) and the bare ref otherwise", async () => {
    const { broker } = setup();
    const message = new Message({ taskName: "t" });
    await broker.submit(message);
    const [claimed] = await new Consumer(broker).claim(1);
    const stale = claimed!.clone();
    stale.lease = { ...claimed!.lease!, token: "old-token" };
    expect(await broker.ack(stale)).toBe("lost");
    expect(await broker.exists(message)).toBe(true);
    expect(await broker.ack(claimed!)).toBe("ok");
  });

  it("releases a linked lock when the message is acked", async () => {
    const { broker, backend } = setup();
    const lock = new Lock("send_data", { backend, ownerId: "me" });
    expect(await lock.acquire()).toBe(true);
    const message = new Message({ taskName: "t" }).linkLock(lock);
    await broker.submit(message);
    await broker.ack(message);
    expect(await lock.holder()).toBeNull();
    expect(message.linkedLock).toBeNull();
  });

  it("syncs from the queue, else the DLQ, else throws", async () => {
    const { broker } = setup();
    const message = new Message({ taskName: "t" });
    await expect(broker.syncFromBackend(message)).rejects.toThrow(MessageDoesNotExistError);
    await broker.submit(message);
    const synced = await broker.syncFromBackend(message);
    expect(synced).not.toBe(message);
    expect(synced.data).toEqual(message.data);
  });
});
