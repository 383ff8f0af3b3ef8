// The behaviours every pool shares come from @alsek/test-support's suite; this file adds what only
// a ThreadWorkerPool does: its options, elastic process groups and completeOnlyOnThreadExit.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "@alsek/core";
import { describeWorkerPoolBehaviour, until } from "@alsek/test-support/pool-behaviour";
import { describe, expect, it } from "vitest";
import { poolSubject } from "./__fixtures__/pool-subject.js";
import { ThreadWorkerPool } from "./index.js";

const pools = describeWorkerPoolBehaviour(poolSubject);

describe("ThreadWorkerPool options", () => {
  it("validates numbers and derives capacity and alphabetical queues", () => {
    const { add, track } = pools.tasks;
    expect(() => new ThreadWorkerPool({ tasks: [add], nThreads: 0 })).toThrow(ValidationError);
    expect(() => new ThreadWorkerPool({ tasks: [add], nProcesses: 2, nProcessFloor: 3 })).toThrow(ValidationError);
    expect(() => new ThreadWorkerPool({ tasks: [add], queues: ["a", "a"] })).toThrow(ValidationError);
    const built = new ThreadWorkerPool({ tasks: [track, add], nThreads: 3, nProcesses: 2 });
    expect(built.capacity).toBe(6);
    expect(built.load).toBe(0);
    expect(built.queues).toEqual(["alsek_queue", "track"]);
    expect(built.tasks.map((t) => t.name)).toEqual(["track", "add"]);
  });

  it("with completeOnlyOnThreadExit, completes a task only after the work it left behind", async () => {
    const p = pools.start({}, { completeOnlyOnThreadExit: true });
    const completed = new Promise((resolve) => p.once("completed", () => resolve(existsSync(join(pools.dir, "late-file")))));
    await pools.tasks.leaveTimer.generate({ args: ["late-file"] });
    expect(await completed).toBe(true);
  });

  it("starts process groups under load and retires them when idle", async () => {
    const p = pools.start({ queues: ["track"] }, { nThreads: 1, nProcesses: 3, groupIdleTimeout: 300 });
    expect(p.capacity).toBe(3);
    let peakGroups = 0;
    const sampler = setInterval(() => (peakGroups = Math.max(peakGroups, p.groupCount)), 5);
    for (let i = 0; i < 6; i++) await pools.tasks.track.generate({ args: [`e${i}`, 400] });
    await until("6 tasks ran", () => pools.lines("order").length === 6 && p.load === 0);
    clearInterval(sampler);
    expect(peakGroups).toBeGreaterThan(1);
    expect(peakGroups).toBeLessThanOrEqual(3);
    await until("idle groups retired", () => p.groupCount === 0, 10_000);
  });
});
