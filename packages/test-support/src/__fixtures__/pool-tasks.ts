// Task modules for the worker pool behaviour suite (`../pool-behaviour/`). Pool workers import this
// file by URL (through tsx), so it must only define tasks: the backend connects lazily and nothing
// runs at import time but building the backend. Its settings come from environment variables the
// suite sets before importing it, which the pools' threads and child processes inherit; the backend
// comes from the suite's backend fixture (`ALSEK_TEST_BACKEND_MODULE`, see pool-backend-fixture.ts).
import { appendFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { setTimeout as sleep } from "node:timers/promises";
import { Broker, Task, statusRank, task, type Mechanism, type Message, type ResultSink, type StatusSink } from "@alsek/core";
import type { PoolBackendFixture } from "../pool-behaviour/pool-backend-fixture.js";

function poolMechanism(): Mechanism {
  const value = process.env.ALSEK_TEST_MECHANISM;
  if (value === "thread" || value === "process") return value;
  throw new Error(
    `ALSEK_TEST_MECHANISM must be "thread" or "process", got ${JSON.stringify(value)}: ` +
      "set it before importing the pool fixture tasks (describeWorkerPoolBehaviour does).",
  );
}

/** The mechanism every task of this module runs on (`ALSEK_TEST_MECHANISM`). */
export const mechanism = poolMechanism();

async function backendFixture(): Promise<PoolBackendFixture> {
  const moduleUrl = process.env.ALSEK_TEST_BACKEND_MODULE;
  if (!moduleUrl) {
    throw new Error("ALSEK_TEST_BACKEND_MODULE is not set: describeWorkerPoolBehaviour sets it before importing the pool fixture tasks.");
  }
  return ((await import(moduleUrl)) as { poolBackend: PoolBackendFixture }).poolBackend;
}

export const backend = (await backendFixture()).createBackend(process.env.ALSEK_TEST_NAMESPACE ?? "pool-test");
export const broker = new Broker(backend, { dlqTtl: 3_600_000 });

/** Minimal result sink (the real one lives in @alsek/results, which the pools do not depend on). */
export const resultStore: ResultSink = {
  backend,
  prepare: (message, result) => ({ value: result, ttlMs: null, progenitorUuid: message.progenitorUuid }),
};

/**
 * Minimal status sink: the latest status under `status:<uuid>` (the real one is in @alsek/results),
 * written as guarded transitions; SUBMITTED goes with the submit and with a pool's hand-back.
 */
export const statusTracker: StatusSink = {
  backend,
  prepare: (message, status) => ({
    key: `status:${message.uuid}`,
    value: status,
    rank: statusRank(status, message.retries),
    ttlMs: null,
    channel: null,
  }),
  set: async (message, status) => backend.setStatus(statusTracker.prepare!(message, status)),
};

function dir(): string {
  const value = process.env.ALSEK_TEST_DIR;
  if (!value) throw new Error("ALSEK_TEST_DIR is not set");
  return value;
}

/** Append a line to a file of the test directory (works from any thread or process). */
export function note(file: string, line: string): void {
  appendFileSync(join(dir(), file), `${line}\n`);
}

export const add = task(broker, { mechanism, resultStore, backoff: null }, function add(a: number, b: number) {
  return a + b;
});

/** Marks itself running, records how many run at once and its start order, then sleeps. */
export const track = task(broker, { mechanism, backoff: null, queue: "track" }, async function track(label: string, ms: number) {
  const running = join(dir(), "running");
  mkdirSync(running, { recursive: true });
  const mine = join(running, `${process.pid}-${label}-${Math.random()}`);
  writeFileSync(mine, "");
  note("peaks", String(readdirSync(running).length));
  note("order", label);
  await sleep(ms);
  rmSync(mine);
  return label;
});

/** Never returns: only a hard stop ends it. */
export const spin = task(broker, { mechanism, timeout: 400, maxRetries: 1, backoff: null }, function spin(label: string) {
  note("spins", label);
  for (;;) {
    // busy loop
  }
});

/** Sleeps, then leaves a file behind: the side effect a stopped task must never produce. */
export const sleepThenWrite = task(
  broker,
  { mechanism, backoff: null, maxRetries: 0, resultStore, statusTracker },
  async function sleepThenWrite(name: string, ms: number) {
    note("started", name);
    await sleep(ms);
    writeFileSync(join(dir(), name), "done");
    return name;
  },
);

/** Kills its own thread or process. */
export const crash = task(broker, { mechanism, maxRetries: 0, backoff: null }, function crash() {
  process.exit(7);
});

// ---- guided tour: callbacks, message passing, hooks ----------------------------------------------

export const add1 = task(broker, { mechanism, resultStore, backoff: null }, function add1(n: number) {
  return n + 1;
});

export const add1Previous = task(
  broker,
  { mechanism, resultStore, passMessage: true, backoff: null },
  function add1Previous(message: Message) {
    return (message.previousResult as number) + 1;
  },
);

export const printResult = task(
  broker,
  { mechanism, resultStore, passMessage: true, backoff: null },
  function printResult(message: Message) {
    note("printed", String(message.previousResult));
    return message.previousResult;
  },
);

/** The guided tour's CustomTask: hooks, doCallback and doRetry overridden. */
export class CustomTask extends Task {
  override doCallback(_message: Message, result: unknown): boolean {
    return (result as number) > 1;
  }
  override preOp(message: Message): void {
    note("hooks", `preOp ${message.taskName}`);
  }
  override postOp(message: Message): void {
    note("hooks", `postOp ${message.taskName}`);
  }
  // The tour's override returns only the RangeError test; keeping the base check too bounds the retries.
  override async doRetry(message: Message, error: unknown): Promise<boolean> {
    return !(error instanceof RangeError) && (await super.doRetry(message, error));
  }
  override onSuccess(message: Message, result: unknown): void {
    note("hooks", `onSuccess ${message.taskName} ${String(result)}`);
  }
  override onFailure(message: Message, error: unknown): void {
    note("hooks", `onFailure ${message.taskName} ${(error as Error).name}`);
  }
  override onRetry(message: Message, error: unknown): void {
    note("hooks", `onRetry ${message.taskName} ${(error as Error).name}`);
  }
}

export const customValue = task(
  broker,
  { mechanism, baseTask: CustomTask, resultStore, backoff: null },
  function customValue(value: number) {
    return value;
  },
);

export const customThrow = task(
  broker,
  { mechanism, baseTask: CustomTask, maxRetries: 3, backoff: null },
  function customThrow(kind: "range" | "type") {
    throw kind === "range" ? new RangeError("out of range") : new TypeError("wrong type");
  },
);

/** Returns at once but leaves a timer that writes a file later (detached work). */
export const leaveTimer = task(broker, { mechanism, backoff: null, maxRetries: 0 }, function leaveTimer(name: string) {
  setTimeout(() => writeFileSync(join(dir(), name), "late"), 300);
  return name;
});

/** The id of the process that ran it (warm reuse and recycling). */
export const whichPid = task(broker, { mechanism, resultStore, backoff: null }, function whichPid(_n: number) {
  return process.pid;
});

/** Sleeps, then says which thread ran it (how a pool packs tasks into threads). */
export const whichThread = task(broker, { mechanism, resultStore, backoff: null }, async function whichThread(ms: number) {
  await sleep(ms);
  return `${process.pid}:${threadId}`;
});

/** Keeps its thread or process busy (no await) for `ms`, noting when it starts and ends. */
export const burn = task(broker, { mechanism, backoff: null, maxRetries: 0, timeout: 60_000 }, function burn(ms: number) {
  note("burn", "start");
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy loop
  }
  note("burn", "end");
});

/** Keeps its thread busy for `ms`, then says which thread ran it (many of these keep a thread busy but progressing). */
export const spinBriefly = task(broker, { mechanism, resultStore, backoff: null }, function spinBriefly(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy loop
  }
  return `${process.pid}:${threadId}`;
});

/**
 * Waits on an abortable sleep of ten minutes with its `message.signal`: only the signal ends it.
 * Notes `started`, then (once aborted) the error and the signal's reason in `aborted`, and its
 * `finally` in `cleanup`.
 */
export const awaitSignal = task(
  broker,
  { mechanism, backoff: null, maxRetries: 0, passMessage: true },
  async function awaitSignal(name: string, message: Message) {
    note("started", name);
    try {
      await sleep(600_000, undefined, { signal: message.signal });
    } catch (error) {
      note("aborted", `${name} ${(error as Error).name} ${(message.signal.reason as Error).name}`);
      throw error;
    } finally {
      note("cleanup", name);
    }
  },
);

/** Like {@link awaitSignal}, with a `fetch` of `url` (a server that never answers) as the wait. */
export const fetchWithSignal = task(
  broker,
  { mechanism, backoff: null, maxRetries: 0, passMessage: true },
  async function fetchWithSignal(name: string, url: string, message: Message) {
    note("started", name);
    try {
      await fetch(url, { signal: message.signal });
    } catch (error) {
      note("aborted", `${name} ${(error as Error).name} ${(message.signal.reason as Error).name}`);
      throw error;
    } finally {
      note("cleanup", name);
    }
  },
);

/**
 * Notes the args and priority it was given, changes both on its message and fails once: the retry
 * must run with the message as stored, never with what an attempt did to its own copy.
 */
export const changesItsMessage = task(
  broker,
  { mechanism, backoff: null, maxRetries: 1, passMessage: true },
  function changesItsMessage(_label: string, message: Message) {
    note("seen", `${String(message.args[0])} priority ${message.priority} retries ${message.retries}`);
    if (message.retries > 0) return;
    message.args[0] = "changed";
    message.priority = 7;
    throw new Error("first attempt fails");
  },
);

/** Never settles and ignores its signal: only a hard stop ends it, and a soft timeout settles it. */
export const neverSettles = task(broker, { mechanism, backoff: null, maxRetries: 0 }, function neverSettles(name: string) {
  note("started", name);
  return new Promise<never>(() => {});
});

/** Every task above: what a pool under test runs unless a test says otherwise. */
export const allTasks: readonly Task[] = [
  add, track, spin, sleepThenWrite, crash, add1, add1Previous, printResult, customValue, customThrow, leaveTimer, whichPid,
  whichThread, burn, spinBriefly, awaitSignal, fetchWithSignal, neverSettles, changesItsMessage,
];
