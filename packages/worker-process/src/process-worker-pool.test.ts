// The behaviours every pool shares come from @alsek/test-support's suite; this file adds what only
// a ProcessWorkerPool does: its options, warm processes and their recycling.
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { ValidationError, WorkerStartError } from "@alsek/core";
import { describeWorkerPoolBehaviour, redisPoolBackend, until } from "@alsek/test-support/pool-behaviour";
import { describe, expect, it } from "vitest";
import { poolSubject } from "./__fixtures__/pool-subject.js";
import { ProcessWorkerPool } from "./index.js";

const pools = describeWorkerPoolBehaviour(poolSubject, redisPoolBackend);

describe("ProcessWorkerPool options", () => {
  it("validates numbers and derives capacity and alphabetical queues", () => {
    const { add, track } = pools.tasks;
    expect(() => new ProcessWorkerPool({ tasks: [add], nProcesses: 0 })).toThrow(ValidationError);
    expect(() => new ProcessWorkerPool({ tasks: [add], killGraceMs: -1 })).toThrow(ValidationError);
    expect(() => new ProcessWorkerPool({ tasks: [add], queues: ["a", "a"] })).toThrow(ValidationError);
    const built = new ProcessWorkerPool({ tasks: [track, add], nProcesses: 2 });
    expect(built.capacity).toBe(2);
    expect(built.load).toBe(0);
    expect(built.queues).toEqual(["alsek_queue", "track"]);
    expect(built.tasks.map((t) => t.name)).toEqual(["track", "add"]);
  });

  it("defaults to at least four processes, so I/O-bound tasks run side by side on a small machine", () => {
    const built = new ProcessWorkerPool({ tasks: [pools.tasks.add] });
    expect(built.capacity).toBe(Math.max(4, availableParallelism()));
    expect(built.capacity).toBeGreaterThanOrEqual(4);
  });

  it("keeps processes warm between tasks and recycles them after maxTasksPerProcess", async () => {
    const { whichPid } = pools.tasks;
    const ran = async (n: number): Promise<unknown> => {
      const message = await whichPid.generate({ args: [n] });
      await until(`task ${n} ran`, async () => typeof (await pools.result(message)) === "number");
      return pools.result(message);
    };
    const p = pools.start({ capacity: 1 });
    const first = await ran(1);
    expect(await ran(2)).toBe(first);
    await p.stop();

    pools.start({ capacity: 1 }, { maxTasksPerProcess: 1 });
    const third = await ran(3);
    expect(await ran(4)).not.toBe(third);
    expect(third).not.toBe(process.pid);
  });
});

describe("ProcessWorkerPool whose processes cannot start", () => {
  it("rejects run() with a WorkerStartError and hands every claimed message back to its queue", async () => {
    const { add, backend } = pools.tasks;
    for (const n of [1, 2, 3]) await add.generate({ args: [n, n] });
    // The Node binary is gone (e.g. upgraded under a running pool): every fork fails.
    const realExecPath = process.execPath;
    process.execPath = join(pools.dir, "no-such-node");
    let failure: unknown;
    try {
      failure = await new ProcessWorkerPool({ tasks: [add], nProcesses: 2, handleSignals: false }).run().catch((error: unknown) => error);
    } finally {
      process.execPath = realExecPath;
    }
    expect(failure).toBeInstanceOf(WorkerStartError);
    expect((failure as Error).message).toContain("ENOENT");
    expect(await backend.countQueue("alsek_queue")).toMatchObject({ ready: 3, active: 0, dead: 0 });
  });
});
