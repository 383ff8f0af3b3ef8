// Tasks of the logging test. Pool workers (the pool's child processes) import this
// module by URL, so it only defines things. Its broker logs with pino to the file named by
// ALSEK_TEST_WORKER_LOG, in every process that imports it: that is how records written
// where a task runs reach a logger (they stay in that child process; see the README).
import { Broker, Task, task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { pino } from "pino";

export const backend = new RedisBackend(process.env.ALSEK_TEST_REDIS_URL ?? "redis://127.0.0.1:1", {
  namespace: "logging-test-process",
});

const workerLog = process.env.ALSEK_TEST_WORKER_LOG;
export const broker = new Broker(backend, {
  logger: workerLog ? pino({ level: "debug" }, pino.destination({ dest: workerLog, sync: true })) : null,
});

/** A task whose `postOp` (run where the task runs) throws: the record is written in the worker. */
class BrokenPostOp extends Task {
  override postOp(): void {
    throw new Error("postOp broke");
  }
}

/** Always fails: one retry, then the dead-letter queue. */
export const flaky = task(
  broker,
  { queue: "logging", mechanism: "process", maxRetries: 1, backoff: null },
  function flaky(): number {
    throw new TypeError("always fails");
  },
);

/** Succeeds; its postOp fails in the worker. */
export const tidy = task(broker, { queue: "logging", mechanism: "process", baseTask: BrokenPostOp }, function tidy() {
  return 1;
});
