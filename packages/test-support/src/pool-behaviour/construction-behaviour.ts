import {
  Broker,
  MultipleBrokersError,
  NoTasksFoundError,
  task,
  TaskNameCollisionError,
  ValidationError,
} from "@alsek/core";
import type { WorkerPool } from "@alsek/worker";
import { expect, it } from "vitest";
import type { PoolTestContext } from "./pool-test-context.js";

/** What the constructor refuses, whatever the pool. */
export function registerConstructionBehaviour<P extends WorkerPool, O extends object>(ctx: PoolTestContext<P, O>): void {
  const { mechanism } = ctx.subject;
  const otherMechanism = mechanism === "thread" ? "process" : "thread";

  it("refuses an empty task list and tasks of another mechanism", () => {
    expect(() => ctx.subject.createPool({ tasks: [], capacity: 2 })).toThrow(new NoTasksFoundError("No tasks found"));
    const otherOnly = task(ctx.tasks.broker, { name: "otherMechanismOnly", mechanism: otherMechanism }, function otherMechanismOnly() {});
    expect(() => ctx.subject.createPool({ tasks: [otherOnly], capacity: 2 })).toThrow(
      new NoTasksFoundError(`No tasks found with mechanism '${mechanism}'.`),
    );
  });

  it("refuses tasks bound to different brokers and two tasks with one name", () => {
    const { add, backend, broker } = ctx.tasks;
    const other = task(new Broker(backend), { name: "otherBrokerTask", mechanism }, () => 1);
    expect(() => ctx.subject.createPool({ tasks: [add, other], capacity: 2 })).toThrow(MultipleBrokersError);
    const twin = task(broker, { name: "add", queue: "elsewhere", mechanism }, () => 2);
    expect(() => ctx.subject.createPool({ tasks: [add, twin], capacity: 2 })).toThrow(TaskNameCollisionError);
  });

  it("prefetches at most 4 × its capacity (at least 256) by default and refuses a negative or fractional prefetch", () => {
    const { add } = ctx.tasks;
    expect(ctx.subject.createPool({ tasks: [add], capacity: 2 }).prefetch).toBe(256);
    expect(ctx.subject.createPool({ tasks: [add], capacity: 100 }).prefetch).toBe(400);
    expect(ctx.subject.createPool({ tasks: [add], capacity: 2, prefetch: 0 }).prefetch).toBe(0);
    expect(() => ctx.subject.createPool({ tasks: [add], capacity: 2, prefetch: -1 })).toThrow(
      new ValidationError("prefetch must be an integer >= 0, got -1."),
    );
    expect(() => ctx.subject.createPool({ tasks: [add], capacity: 2, prefetch: 1.5 })).toThrow(
      new ValidationError("prefetch must be an integer >= 0, got 1.5."),
    );
  });
}
