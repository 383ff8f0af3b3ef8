import { afterEach, describe, expect, it } from "vitest";
import { LockNotAcquiredError, ValidationError } from "../errors/index.js";
import { MemoryBackend } from "../memory/index.js";
import { CURRENT_PROCESS_OWNER_ID, Lock } from "./index.js";

const backends: MemoryBackend[] = [];
function newBackend() {
  const backend = new MemoryBackend();
  backends.push(backend);
  return backend;
}
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

describe("Lock", () => {
  it("defaults its owner to this host and process", () => {
    const lock = new Lock("l", { backend: newBackend() });
    expect(lock.ownerId).toBe(CURRENT_PROCESS_OWNER_ID);
    expect(lock.ownerId).toMatch(new RegExp(`:${process.pid}$`));
    expect(lock.ttl).toBe(3_600_000);
  });

  it("excludes other owners and lets the same owner re-acquire and release", async () => {
    const backend = newBackend();
    const mine = new Lock("send_data", { backend, ownerId: "a" });
    const alsoMine = new Lock("send_data", { backend, ownerId: "a" });
    const theirs = new Lock("send_data", { backend, ownerId: "b" });
    expect(await mine.acquire()).toBe(true);
    expect(await theirs.acquire()).toBe(false);
    expect(await alsoMine.acquire()).toBe(true);
    expect(await mine.holder()).toBe("a");
    expect([await mine.held(), await theirs.held()]).toEqual([true, false]);
    expect(await theirs.release()).toBe(false);
    expect(await alsoMine.release()).toBe(true);
    expect(await theirs.acquire()).toBe(true);
  });

  it("expires after its ttl in milliseconds", async () => {
    const backend = newBackend();
    const lock = new Lock("short", { backend, ttl: 30, ownerId: "a" });
    expect(await lock.acquire()).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(await lock.holder()).toBeNull();
    expect(await new Lock("short", { backend, ownerId: "b" }).acquire()).toBe(true);
  });

  it("runs withLock only while held and releases afterwards, also on error", async () => {
    const backend = newBackend();
    const lock = new Lock("job", { backend, ownerId: "a" });
    expect(await lock.withLock(async () => (await lock.held() ? "ran" : "not held"))).toBe("ran");
    expect(await lock.holder()).toBeNull();
    await expect(lock.withLock(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await lock.holder()).toBeNull();
    await new Lock("job", { backend, ownerId: "b" }).acquire();
    let ran = false;
    await expect(lock.withLock(() => (ran = true))).rejects.toThrow(LockNotAcquiredError);
    expect(ran).toBe(false);
  });

  it("validates its options", () => {
    const backend = newBackend();
    expect(() => new Lock("", { backend })).toThrow(ValidationError);
    expect(() => new Lock("l", { backend, ttl: 0 })).toThrow(/ttl/);
    expect(() => new Lock("l", { backend, ttl: 1.5 })).toThrow(/ttl/);
    expect(() => new Lock("l", { backend, ownerId: "" })).toThrow(/ownerId/);
    expect(new Lock("l", { backend, ttl: null }).ttl).toBeNull();
  });
});
