// The behaviours every pool shares come from @alsek/test-support's suite (with soft stops: no
// busy-loop or crash isolation); this file adds what only an InLoopWorkerPool does.
import { ValidationError } from "@alsek/core";
import { describeWorkerPoolBehaviour, redisPoolBackend, until } from "@alsek/test-support/pool-behaviour";
import { describe, expect, it } from "vitest";
import { poolSubject } from "./__fixtures__/in-loop-pool-subject.js";
import { DEFAULT_IN_LOOP_CONCURRENCY, InLoopWorkerPool } from "./index.js";

const pools = describeWorkerPoolBehaviour(poolSubject, redisPoolBackend);

describe("InLoopWorkerPool options", () => {
  it("checks concurrency and defaults it", () => {
    const { add } = pools.tasks;
    expect(new InLoopWorkerPool({ tasks: [add] }).capacity).toBe(DEFAULT_IN_LOOP_CONCURRENCY);
    expect(() => new InLoopWorkerPool({ tasks: [add], concurrency: 0 })).toThrow(
      new ValidationError("concurrency must be an integer >= 1, got 0."),
    );
    expect(() => new InLoopWorkerPool({ tasks: [add], abortGraceMs: -1 })).toThrow(
      new ValidationError("abortGraceMs must be a number of milliseconds >= 0, got -1."),
    );
  });

  it("runs its tasks in the pool's own process and thread", async () => {
    const { whichPid } = pools.tasks;
    pools.start({ capacity: 3 });
    const message = await whichPid.generate({ args: [1] });
    await until("the task ran", async () => (await pools.result(message)) !== undefined);
    expect(await pools.result(message)).toBe(process.pid);
  });

  it("settles a cancelled task that ignores its signal once abortGraceMs is over, without waiting for it", async () => {
    const { neverSettles, backend } = pools.tasks;
    const p = pools.start({ capacity: 1, stopGraceMs: 0, abortGraceMs: 100 });
    const message = await neverSettles.generate({ args: ["ignored"] });
    await until("the task started", () => pools.lines("started").includes("ignored"));
    await p.stop();
    expect((await backend.getMessage(message))?.retries).toBe(0);
    expect((await backend.countQueue("alsek_queue")).ready).toBe(1);
  });
});
