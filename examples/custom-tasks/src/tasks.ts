// Tasks of the custom-tasks example. Workers import this module by URL, so it only defines things.
import { Broker, Task, task, type Message } from "@alsek/core";
import { ResultStore } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
export const resultStore = new ResultStore(backend);

/**
 * The guided tour's CustomTask1-3 in one class. `preOp`/`postOp` run in the worker, around the
 * function; `onSuccess`/`onRetry`/`onFailure` run in the pool's main process, after the outcome
 * was written; `doRetry` and `doCallback` decide what happens next.
 */
export class CustomTask extends Task {
  override preOp(message: Message): void {
    console.log(`  [worker] About to process ${message.summary}!`);
  }

  override postOp(message: Message, result: unknown): void {
    console.log(`  [worker] Processed ${message.summary} and got '${String(result)}'!`);
  }

  /** Run the callback only for results above 1 (evaluated only for messages that have one). */
  override doCallback(_message: Message, result: unknown): boolean {
    return typeof result === "number" && result > 1;
  }

  /** Never retry a RangeError; otherwise retry up to `maxRetries`. */
  override doRetry(message: Message, error: unknown): boolean {
    if (error instanceof RangeError) return false;
    return this.maxRetries === null ? true : message.retries < this.maxRetries;
  }

  override onSuccess(message: Message, result: unknown): void {
    console.log(`  [pool] onSuccess ${message.taskName}: ${String(result)}`);
  }

  override onRetry(message: Message, error: unknown): void {
    console.log(`  [pool] onRetry ${message.taskName} after ${(error as Error).name} (retries so far: ${message.retries})`);
  }

  override onFailure(message: Message, error: unknown): void {
    console.log(`  [pool] onFailure ${message.taskName}: ${(error as Error).name}`);
  }
}

const options = { mechanism: "thread", baseTask: CustomTask, resultStore, backoff: null } as const;

/** Returns what it is given. */
export const simpleTask = task(broker, options, function simpleTask(value: number) {
  return value;
});

/**
 * A callback that records it ran. Its message parameter says what it expects as `previousResult`
 * (a number), so it can only be the callback of a task that returns one.
 */
export const printResult = task(broker, { ...options, passMessage: true }, function printResult(message: Message<unknown, [], number>) {
  console.log(`  [worker] printResult: previousResult = ${String(message.previousResult)}`);
  return message.previousResult;
});

/** Throws the error it is told to: a RangeError is never retried, a TypeError is. */
export const flaky = task(broker, { ...options, maxRetries: 2 }, function flaky(kind: "range" | "type") {
  throw kind === "range" ? new RangeError("value out of range") : new TypeError("wrong type");
});
