// A pool given tasks of both mechanisms on one queue, run by the real pool engine on MemoryBackend:
// its claims skip the other mechanism's tasks; on a backend that ignores `skipTasks` (a
// third-party one written before it) the pool still passes those messages over, losing nothing.
import { Broker, MemoryBackend, task, type Backend, type ClaimRequest, type LogFields, type LogSink } from "@alsek/core";
import { afterEach, describe, expect, it } from "vitest";
import { InlineWorkerPool } from "./inline-worker-pool.js";
import { until } from "./pool-harness.js";

/** `backend` as a backend that does not know `ClaimRequest.skipTasks`: its claims take everything. */
function ignoringSkipTasks(backend: MemoryBackend): Backend {
  return new Proxy(backend, {
    get(target, property) {
      if (property === "claim") {
        return (request: ClaimRequest) => {
          const older: ClaimRequest = { ...request };
          delete older.skipTasks;
          return target.claim(older);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const pools: InlineWorkerPool[] = [];
const backends: MemoryBackend[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.stop();
  for (const backend of backends.splice(0)) await backend.close();
});

function setup(wrap: (backend: MemoryBackend) => Backend) {
  const memory = new MemoryBackend();
  backends.push(memory);
  const backend = wrap(memory);
  const broker = new Broker(backend);
  const ran: number[] = [];
  const mine = task(broker, { name: "mineOnThreads", queue: "shared", mechanism: "thread", maxRetries: 0 }, function mineOnThreads(n: number) {
    ran.push(n);
  });
  const other = task(broker, { name: "otherInProcesses", queue: "shared", mechanism: "process", maxRetries: 0 }, function otherInProcesses() {});
  const warnings: [string, LogFields][] = [];
  const ignore = (): void => {};
  const logger: LogSink = { debug: ignore, info: ignore, warn: (fields, message) => warnings.push([message, fields]), error: ignore };
  const pool = new InlineWorkerPool({ tasks: [mine, other], logger });
  pools.push(pool);
  return { backend, mine, other, ran, warnings, pool };
}

describe("a pool given tasks of both mechanisms on one queue", () => {
  it("leaves the other mechanism's messages in place and warns once, at start, that they share its queue", async () => {
    const { backend, mine, other, ran, warnings, pool } = setup((memory) => memory);
    const others = [await other.generate(), await other.generate()];
    await mine.generate({ args: [1] });
    void pool.run();
    await until("its own message ran", async () => ran.length === 1);
    await mine.generate({ args: [2] });
    // Ran is not settled: its ack lands after the body returns.
    await until("the next one ran and was acked", async () => ran.length === 2 && (await backend.countQueue("shared")).active === 0);
    expect(await backend.countQueue("shared")).toEqual({ ready: 2, delayed: 0, active: 0, dead: 0 });
    for (const message of others) expect((await backend.getMessage(message))?.retries).toBe(0);
    expect(warnings.map(([message]) => message.includes("passed over"))).toEqual([false]);
    expect(warnings[0]?.[1]).toMatchObject({ tasks: ["otherInProcesses"], queues: ["shared"] });
  });

  it("passes the other mechanism's message over when the backend ignores skipTasks, losing nothing", async () => {
    const { backend, mine, other, ran, warnings, pool } = setup(ignoringSkipTasks);
    const message = await other.generate();
    await mine.generate({ args: [1] });
    void pool.run();
    await until("its own message ran", async () => ran.length === 1);
    await until("the other message was passed over", async () => (await backend.countQueue("shared")).delayed === 1);
    expect(await backend.getDeadLetter(message)).toBeNull();
    expect((await backend.getMessage(message))?.retries).toBe(0);
    expect(warnings.some(([text, fields]) => text.includes("passed over") && fields.uuid === message.uuid)).toBe(true);
  });
});
