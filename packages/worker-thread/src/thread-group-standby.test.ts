// Standbys: a thread group sends waiting assignments ahead to threads that keep finishing tasks;
// each starts in the slot of the next task of its thread to end, with no round trip through the
// group. These tests run a group with real worker threads (the compiled thread entry). The last
// one checks where a group places a task while its only thread is blocked.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { compiledEntryPath, type Assignment, type WireError, type WireOutcome } from "@alsek/worker";
import { until } from "@alsek/test-support/pool-behaviour";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { GroupConfig, ToThread } from "./child/protocol.js";
import { ThreadGroup } from "./thread/thread-group.js";

const THREAD_ENTRY = compiledEntryPath(import.meta.url, "thread/thread-entry.js");
const TASKS = pathToFileURL(join(import.meta.dirname, "__fixtures__", "standby-tasks.ts")).href;
const SLOW_IMPORT = pathToFileURL(join(import.meta.dirname, "__fixtures__", "slow-import.ts")).href;
const CANCELLED: WireError = { name: "RevokedError", message: "revoked while it waited", stack: null, props: null };
const DROPPED: WireError = { name: "AssignmentNotStarted", message: "handed back", stack: null, props: null };

let nextId = 1;
function assignment(taskName: string, args: unknown[] = [], timeoutMs = 30_000): Assignment {
  const id = nextId++;
  return {
    id,
    moduleUrl: TASKS,
    taskName,
    messageData: { taskName, queue: "standby", uuid: `standby-${id}`, args, timeout: timeoutMs, createdAt: Date.now(), mechanism: "thread" },
    timeoutMs,
  };
}

/**
 * A group of real worker threads, every outcome it reported (in order), and the ids of the
 * assignments it sent ahead as standbys (read from the messages posted to its threads).
 */
function startGroup(config: Partial<GroupConfig> = {}) {
  const outcomes: { id: number; outcome: WireOutcome }[] = [];
  const posted = vi.spyOn(Worker.prototype, "postMessage");
  const group = new ThreadGroup(
    { nThreads: 1, completeOnlyOnThreadExit: false, isolateTasks: false, abortGraceMs: 0, moduleUrls: [TASKS], ...config },
    THREAD_ENTRY,
    (_started, reports) => outcomes.push(...reports),
    // Without the test runner's flags (its `@alsek/source` condition would load core's .ts files).
    { execArgv: [] },
  );
  groups.push(group);
  const outcomeOf = (id: number) => outcomes.find((report) => report.id === id)?.outcome;
  const sentAhead = () =>
    posted.mock.calls.flatMap(([message]) => {
      const sent = message as ToThread;
      return sent.type === "run" ? (sent.standby ?? []).map(({ id }) => id) : [];
    });
  return { group, outcomes, outcomeOf, sentAhead };
}

const groups: ThreadGroup[] = [];
afterEach(async () => {
  await Promise.all(groups.splice(0).map((group) => group.stop(DROPPED)));
  vi.restoreAllMocks();
});

/** Run `count` overlap tasks through `group` and wait for them (warms the thread: it is progressing). */
async function warm(group: ThreadGroup, outcomes: { id: number }[], count = 3): Promise<void> {
  const before = outcomes.length;
  group.run(Array.from({ length: count }, () => assignment("overlap")));
  await until("the warm-up tasks", () => outcomes.length >= before + count, 20_000);
}

describe("ThreadGroup standbys", () => {
  it("starts each standby in the slot of the task before it: a one-slot group never runs two at once", async () => {
    const { group, outcomes, sentAhead } = startGroup();
    const batch = Array.from({ length: 300 }, () => assignment("overlap"));
    group.run(batch);
    await until("every outcome", () => outcomes.length === batch.length, 20_000);
    expect(new Set(outcomes.map(({ id }) => id)).size).toBe(batch.length);
    // Each task saw itself alone on the thread: the slot was never shared.
    expect(outcomes.map(({ outcome }) => outcome)).toEqual(batch.map(() => ({ ok: true, result: 1 })));
    expect(sentAhead().length).toBeGreaterThan(0);
  });

  it("drops a standby cancelled before it started: reported with the reason, never run", async () => {
    const { group, outcomes, outcomeOf, sentAhead } = startGroup();
    await warm(group, outcomes);
    const path = join(mkdtempSync(join(tmpdir(), "alsek-standby-")), "ran");
    const long = assignment("sleepFor", [300]);
    const cancelled = assignment("mark", [path]);
    group.run([long, cancelled]);
    expect(sentAhead()).toContain(cancelled.id);
    group.cancel(cancelled.id, CANCELLED);
    await until("the outcome of long", () => outcomeOf(long.id) !== undefined, 20_000);
    expect(outcomeOf(cancelled.id)).toEqual({ ok: false, error: CANCELLED });
    expect(outcomeOf(long.id)).toEqual({ ok: true, result: 300 });
    expect(existsSync(path)).toBe(false);
    expect(outcomes.filter(({ id }) => id === cancelled.id)).toHaveLength(1);
  });

  it("hands standbys back unstarted when queued work is dropped; the running task completes", async () => {
    const { group, outcomes, outcomeOf, sentAhead } = startGroup();
    await warm(group, outcomes);
    const dir = mkdtempSync(join(tmpdir(), "alsek-standby-"));
    const long = assignment("sleepFor", [300]);
    const queued = [1, 2, 3].map((n) => assignment("mark", [join(dir, String(n))]));
    group.run([long, ...queued]);
    expect(sentAhead()).toEqual(expect.arrayContaining(queued.map(({ id }) => id)));
    group.dropQueued(DROPPED);
    await until("the outcome of long", () => outcomeOf(long.id) !== undefined, 20_000);
    await until("the standbys' outcomes", () => queued.every(({ id }) => outcomeOf(id) !== undefined), 20_000);
    for (const { id } of queued) expect(outcomeOf(id)).toEqual({ ok: false, error: DROPPED });
    expect(outcomeOf(long.id)).toEqual({ ok: true, result: 300 });
    for (const n of [1, 2, 3]) expect(existsSync(join(dir, String(n)))).toBe(false);
  });

  it.each([
    {
      when: "its thread crashes",
      first: () => assignment("crashAfter", [100]),
      error: "WorkerCrashedError",
    },
    {
      when: "its task times out (the thread is terminated)",
      first: () => assignment("sleepFor", [60_000], 200),
      error: "TaskTimeoutError",
    },
  ])("with standbys queued, when $when: the task ahead fails alone, each standby runs once elsewhere", async ({ first, error }) => {
    const { group, outcomes, outcomeOf, sentAhead } = startGroup();
    await warm(group, outcomes);
    const ahead = first();
    const queued = Array.from({ length: 4 }, () => assignment("overlap"));
    group.run([ahead, ...queued]);
    expect(sentAhead()).toEqual(expect.arrayContaining(queued.map(({ id }) => id)));
    await until("every outcome", () => [ahead, ...queued].every(({ id }) => outcomeOf(id) !== undefined), 20_000);
    expect(outcomeOf(ahead.id)).toMatchObject({ ok: false, error: { name: error } });
    for (const { id } of queued) expect(outcomeOf(id)).toEqual({ ok: true, result: 1 });
    expect(outcomes).toHaveLength(new Set(outcomes.map(({ id }) => id)).size);
  });

  it("takes standbys back from a thread stuck behind a long task once a slot frees on another thread", async () => {
    const { group, outcomes, outcomeOf, sentAhead } = startGroup({ nThreads: 2, isolateTasks: true });
    await warm(group, outcomes, 2);
    const long = assignment("sleepFor", [1_500]);
    const short = assignment("sleepFor", [300]);
    const behind = assignment("overlap");
    group.run([long, short, behind]);
    expect(sentAhead()).toContain(behind.id);
    await until("the outcome of behind", () => outcomeOf(behind.id) !== undefined, 20_000);
    // It ran on the thread the short task freed, not after the long one.
    expect(outcomeOf(long.id)).toBeUndefined();
    expect(outcomeOf(behind.id)).toEqual({ ok: true, result: 1 });
    await until("the outcome of long", () => outcomeOf(long.id) !== undefined, 20_000);
  });
});

describe("ThreadGroup placement", () => {
  // A thread whose first task blocked it before it had told the group its modules were imported
  // read as warming up, not busy, so the next task went to the same thread and waited for the
  // blocking one to end (likely what failed thread-worker-pool.test.ts's "CPU-bound task" test
  // once, in a full run on a loaded host, where the thread's preload was slow).
  it("does not queue a task behind a CPU-bound one that blocked its thread while it still imported", async () => {
    const { group, outcomeOf } = startGroup({ nThreads: 2, moduleUrls: [TASKS, SLOW_IMPORT] });
    const dir = mkdtempSync(join(tmpdir(), "alsek-placement-"));
    const [started, release] = [join(dir, "started"), join(dir, "release")];
    const blocking = assignment("spinUntil", [started, release, 30_000]);
    group.run([blocking]);
    await until("the blocking task started", () => existsSync(started), 20_000);
    // The group judges a thread busy from what its event loop did over the last tens of ms.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const other = assignment("overlap");
    group.run([other]);
    await until("the other task ran", () => outcomeOf(other.id) !== undefined, 20_000);
    expect(outcomeOf(blocking.id)).toBeUndefined();
    writeFileSync(release, "");
    await until("the blocking task ended", () => outcomeOf(blocking.id) !== undefined, 20_000);
    expect(outcomeOf(blocking.id)).toEqual({ ok: true, result: "released" });
  });
});
