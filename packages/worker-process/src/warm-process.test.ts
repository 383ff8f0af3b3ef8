// A warm process with standbys (assignments sent ahead while a task runs, queued behind it), on
// real child processes: each starts the moment the task ahead of it ends, and one that does not
// start (crash, stop, cancellation, memory limit) comes back unstarted, never reported as run.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "@alsek/test-support/pool-behaviour";
import { poolWireError, type Assignment, type OutcomeReport } from "@alsek/worker";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { childEntry, standbyAssignment } from "./__fixtures__/standby-assignment.js";
import { standbyTasksUrl } from "./__fixtures__/standby-tasks.js";
import { WarmProcess } from "./warm-process.js";

interface Seen {
  report: OutcomeReport;
  /** What the process ran when this outcome was reported (a standby that started), and since when. */
  runningThen: number | null;
  startedAtThen: number | null;
}

let dir = "";
let processes: WarmProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "alsek-standby-"));
});
afterEach(() => {
  for (const process of processes) process.kill();
  processes = [];
  rmSync(dir, { recursive: true, force: true });
});

/** A warm process whose outcomes, returned standbys and exit are recorded; its module is loaded once `warm` resolves. */
function warmProcess(abortGraceMs = 1_000, maxRssBytes: number | null = null) {
  const seen: Seen[] = [];
  const returned: Assignment[] = [];
  let exited = false;
  const process = new WarmProcess(
    childEntry,
    200,
    abortGraceMs,
    maxRssBytes,
    [standbyTasksUrl],
    (from, report) => seen.push({ report, runningThen: from.running?.id ?? null, startedAtThen: from.startedAt }),
    () => {
      exited = true;
    },
    (error) => {
      throw error;
    },
    () => {},
    (assignments) => returned.push(...assignments),
  );
  processes.push(process);
  const outcomeOf = (assignment: Assignment): Seen | undefined => seen.find((s) => s.report.id === assignment.id);
  const warm = async (): Promise<void> => {
    const first = standbyAssignment("pid");
    process.run(first);
    await until("the warm-up task ended", () => outcomeOf(first) !== undefined);
  };
  return { process, seen, returned, outcomeOf, warm, exited: () => exited };
}

const marker = (name: string): string => join(dir, name);

describe("WarmProcess standby", () => {
  it("starts its standby the moment the running task ends: that task's outcome finds it running, its start stamped", async () => {
    const { process, outcomeOf, warm } = warmProcess();
    await warm();
    const running = standbyAssignment("sleep", "200");
    const next = standbyAssignment("mark", marker("next"));
    process.run(running);
    expect(process.acceptsStandby(next)).toBe(true);
    process.standBy(next);
    // Another may queue behind it (how many is the executor's rule).
    expect(process.acceptsStandby(standbyAssignment("pid"))).toBe(true);
    await until("the standby ended", () => outcomeOf(next) !== undefined);
    expect(outcomeOf(running)).toMatchObject({ report: { outcome: { ok: true } }, runningThen: next.id });
    expect(outcomeOf(running)?.startedAtThen).not.toBeNull();
    expect(outcomeOf(next)?.report.outcome).toMatchObject({ ok: true });
    expect(existsSync(marker("next"))).toBe(true);
    expect(process.tasksRun).toBe(3);
    expect(process.idle).toBe(true);
  });

  it("hands its standby back unstarted when its process crashes mid-task, never reporting it", async () => {
    const { process, seen, returned, outcomeOf, warm, exited } = warmProcess();
    await warm();
    const crashing = standbyAssignment("crash", "200");
    const next = standbyAssignment("mark", marker("next"));
    process.run(crashing);
    process.standBy(next);
    await until("the process exited", () => exited());
    expect(outcomeOf(crashing)?.report.outcome).toMatchObject({ ok: false, error: { name: "WorkerCrashedError" } });
    expect(returned.map(({ id }) => id)).toEqual([next.id]);
    expect(outcomeOf(next)).toBeUndefined();
    expect(seen).toHaveLength(2);
    expect(existsSync(marker("next"))).toBe(false);
  });

  it("reports a standby cancelled before it started with the cancellation's reason, and never runs it", async () => {
    const { process, returned, outcomeOf, warm } = warmProcess();
    await warm();
    const running = standbyAssignment("sleep", "300");
    const next = standbyAssignment("mark", marker("next"));
    process.run(running);
    process.standBy(next);
    process.cancelStandby(next.id, poolWireError("RevokedError", "revoked while it waited"));
    await until("the running task ended", () => outcomeOf(running) !== undefined);
    expect(outcomeOf(next)?.report.outcome).toMatchObject({ ok: false, error: { name: "RevokedError" } });
    expect(outcomeOf(running)).toMatchObject({ report: { outcome: { ok: true } }, runningThen: null });
    expect(returned).toEqual([]);
    expect(existsSync(marker("next"))).toBe(false);
    expect(process.idle).toBe(true);
  });

  it("gives its standby back when the running task times out and ends on its signal; the process stays warm", async () => {
    const { process, returned, outcomeOf, warm, exited } = warmProcess();
    await warm();
    const running = standbyAssignment("awaitSignal");
    const next = standbyAssignment("mark", marker("next"));
    process.run(running);
    process.standBy(next);
    process.cancel(poolWireError("TaskTimeoutError", "timed out"));
    await until("the timed-out task was reported", () => outcomeOf(running) !== undefined);
    expect(outcomeOf(running)).toMatchObject({ report: { outcome: { ok: false, error: { name: "TaskTimeoutError" } } }, runningThen: null });
    expect(returned.map(({ id }) => id)).toEqual([next.id]);
    expect(outcomeOf(next)).toBeUndefined();
    expect(existsSync(marker("next"))).toBe(false);
    expect(exited()).toBe(false);
    expect(process.idle).toBe(true);
  });

  it("gives its standby back when a timed-out task ignores its signal and the process is killed", async () => {
    const { process, returned, outcomeOf, warm, exited } = warmProcess(100);
    await warm();
    const running = standbyAssignment("spin");
    const next = standbyAssignment("mark", marker("next"));
    process.run(running);
    process.standBy(next);
    process.cancel(poolWireError("TaskTimeoutError", "timed out"));
    await until("the process was killed", () => exited());
    expect(outcomeOf(running)?.report.outcome).toMatchObject({ ok: false, error: { name: "TaskTimeoutError" } });
    expect(returned.map(({ id }) => id)).toEqual([next.id]);
    expect(outcomeOf(next)).toBeUndefined();
    expect(existsSync(marker("next"))).toBe(false);
  });

  it("gives its standby back instead of starting it when its memory after the running task is over the limit", async () => {
    const { process, returned, outcomeOf, warm } = warmProcess(1_000, 1);
    await warm();
    const running = standbyAssignment("sleep", "100");
    const next = standbyAssignment("mark", marker("next"));
    process.run(running);
    process.standBy(next);
    await until("the running task ended", () => outcomeOf(running) !== undefined);
    expect(outcomeOf(running)).toMatchObject({ report: { outcome: { ok: true } }, runningThen: null });
    expect(returned.map(({ id }) => id)).toEqual([next.id]);
    expect(existsSync(marker("next"))).toBe(false);
  });

  it("takes no standby before the task's module is loaded, nor behind a task being stopped", async () => {
    const { process, warm } = warmProcess();
    process.run(standbyAssignment("sleep", "50"));
    const cold = { ...standbyAssignment("pid"), moduleUrl: new URL("./__fixtures__/pool-subject.ts", import.meta.url).href };
    expect(process.acceptsStandby(cold)).toBe(false);
    await until("idle", () => process.idle);
    await warm();
    process.run(standbyAssignment("awaitSignal"));
    process.cancel(poolWireError("TaskTimeoutError", "timed out"));
    expect(process.acceptsStandby(standbyAssignment("pid"))).toBe(false);
  });
});

describe("WarmProcess with several standbys queued", () => {
  /** `count` standbys that each write a marker file named after their position. */
  const queued = (count: number): Assignment[] =>
    Array.from({ length: count }, (_, i) => standbyAssignment("mark", marker(`standby-${i}`)));
  const markersLeft = (standbys: readonly Assignment[]): boolean[] => standbys.map((_, i) => existsSync(marker(`standby-${i}`)));

  it("runs them one after the other as each task ends: every outcome finds the next one running", async () => {
    const { process, outcomeOf, warm } = warmProcess();
    await warm();
    const running = standbyAssignment("sleep", "200");
    const standbys = queued(3);
    process.run(running);
    for (const standby of standbys) process.standBy(standby);
    expect(process.standbys.map(({ id }) => id)).toEqual(standbys.map(({ id }) => id));
    await until("the last standby ended", () => outcomeOf(standbys[2]!) !== undefined);
    expect([running, ...standbys].map((assignment) => outcomeOf(assignment)?.runningThen ?? null)).toEqual([
      ...standbys.map(({ id }) => id),
      null,
    ]);
    for (const assignment of [running, ...standbys]) expect(outcomeOf(assignment)?.report.outcome).toMatchObject({ ok: true });
    expect(markersLeft(standbys)).toEqual([true, true, true]);
    expect(process.tasksRun).toBe(5);
    expect(process.standbyCount).toBe(0);
    expect(process.idle).toBe(true);
  });

  it("hands every one back unstarted, in queue order, when its process crashes mid-task", async () => {
    const { process, seen, returned, outcomeOf, warm, exited } = warmProcess();
    await warm();
    const crashing = standbyAssignment("crash", "200");
    const standbys = queued(4);
    process.run(crashing);
    for (const standby of standbys) process.standBy(standby);
    await until("the process exited", () => exited());
    expect(outcomeOf(crashing)?.report.outcome).toMatchObject({ ok: false, error: { name: "WorkerCrashedError" } });
    expect(returned.map(({ id }) => id)).toEqual(standbys.map(({ id }) => id));
    expect(seen).toHaveLength(2);
    expect(markersLeft(standbys)).toEqual([false, false, false, false]);
  });

  it("gives every one back, in order, when the running task times out and ends on its signal; the process stays warm", async () => {
    const { process, seen, returned, outcomeOf, warm, exited } = warmProcess();
    await warm();
    const running = standbyAssignment("awaitSignal");
    const standbys = queued(3);
    process.run(running);
    for (const standby of standbys) process.standBy(standby);
    process.cancel(poolWireError("TaskTimeoutError", "timed out"));
    await until("the timed-out task was reported", () => outcomeOf(running) !== undefined);
    expect(outcomeOf(running)).toMatchObject({ report: { outcome: { ok: false, error: { name: "TaskTimeoutError" } } }, runningThen: null });
    expect(returned.map(({ id }) => id)).toEqual(standbys.map(({ id }) => id));
    // Nothing started later either.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toHaveLength(2);
    expect(markersLeft(standbys)).toEqual([false, false, false]);
    expect(exited()).toBe(false);
    expect(process.idle).toBe(true);
  });

  it("gives every one back after a task that leaves its memory over the limit", async () => {
    const { process, returned, outcomeOf, warm } = warmProcess(1_000, 1);
    await warm();
    const running = standbyAssignment("sleep", "100");
    const standbys = queued(2);
    process.run(running);
    for (const standby of standbys) process.standBy(standby);
    await until("the running task ended", () => outcomeOf(running) !== undefined);
    expect(outcomeOf(running)).toMatchObject({ report: { outcome: { ok: true } }, runningThen: null });
    expect(returned.map(({ id }) => id)).toEqual(standbys.map(({ id }) => id));
    expect(markersLeft(standbys)).toEqual([false, false]);
  });

  it("drops the one cancelled in the middle of the queue unrun, and runs the others in order", async () => {
    const { process, returned, outcomeOf, warm } = warmProcess();
    await warm();
    const running = standbyAssignment("sleep", "300");
    const standbys = queued(3);
    process.run(running);
    for (const standby of standbys) process.standBy(standby);
    process.cancelStandby(standbys[1]!.id, poolWireError("RevokedError", "revoked while it waited"));
    await until("the last standby ended", () => outcomeOf(standbys[2]!) !== undefined);
    expect(outcomeOf(standbys[1]!)?.report.outcome).toMatchObject({ ok: false, error: { name: "RevokedError" } });
    expect(outcomeOf(running)?.runningThen).toBe(standbys[0]!.id);
    expect(outcomeOf(standbys[0]!)).toMatchObject({ report: { outcome: { ok: true } }, runningThen: standbys[2]!.id });
    expect(outcomeOf(standbys[2]!)?.report.outcome).toMatchObject({ ok: true });
    expect(returned).toEqual([]);
    expect(markersLeft(standbys)).toEqual([true, false, true]);
  });

  it("takes them all back on a recall when none started yet", async () => {
    const { process, seen, returned, outcomeOf, warm } = warmProcess();
    await warm();
    const running = standbyAssignment("sleep", "300");
    const standbys = queued(3);
    process.run(running);
    for (const standby of standbys) process.standBy(standby);
    process.recallStandbys();
    expect(process.acceptsStandby(standbyAssignment("pid"))).toBe(false);
    await until("the running task ended", () => outcomeOf(running) !== undefined);
    expect(returned.map(({ id }) => id)).toEqual(standbys.map(({ id }) => id));
    expect(outcomeOf(running)?.runningThen).toBeNull();
    expect(seen).toHaveLength(2);
    expect(markersLeft(standbys)).toEqual([false, false, false]);
  });
});
