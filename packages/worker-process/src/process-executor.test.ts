// ProcessExecutor with standbys, on real child processes: every assignment is reported exactly
// once (crashes included, several standbys queued), a process's last task gets no standby, and
// queued work handed back takes the standbys back too.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "@alsek/test-support/pool-behaviour";
import { NOT_STARTED_ERROR, poolWireError, type Assignment, type OutcomeReport, type PoolExecutorContext } from "@alsek/worker";
import { afterEach, beforeEach, expect, it } from "vitest";
import { childEntry, standbyAssignment } from "./__fixtures__/standby-assignment.js";
import { standbyTasksUrl } from "./__fixtures__/standby-tasks.js";
import { ProcessExecutor } from "./process-executor.js";

let dir = "";
let executor: ProcessExecutor | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "alsek-standby-"));
});
afterEach(async () => {
  await executor?.shutdown(poolWireError("TerminationError", "test over"));
  executor = null;
  rmSync(dir, { recursive: true, force: true });
});

/** A started executor whose reports are recorded, and a way to run a batch and wait for its outcomes. */
async function startExecutor(nProcesses: number, maxTasksPerProcess: number | null = null, maxMemoryMb: number | null = null) {
  const reports: OutcomeReport[] = [];
  const started = new ProcessExecutor({
    nProcesses,
    pruneInterval: 50,
    killGraceMs: 200,
    abortGraceMs: 200,
    maxTasksPerProcess,
    maxMemoryMb,
    entry: childEntry,
  });
  executor = started;
  const context: PoolExecutorContext = {
    moduleUrls: [standbyTasksUrl],
    report: (batch) => reports.push(...batch),
    started: () => {},
    progress: () => {},
    failed: (error) => {
      throw error;
    },
  };
  await started.start(context);
  const reportsOf = (assignments: readonly Assignment[]): OutcomeReport[] =>
    assignments.flatMap(({ id }) => reports.filter((report) => report.id === id));
  const runAll = async (assignments: readonly Assignment[]): Promise<OutcomeReport[]> => {
    started.execute(assignments);
    // Generous: recycling starts a Node process per few tasks, slow on a loaded machine.
    await until("every assignment was reported", () => reportsOf(assignments).length >= assignments.length, 25_000);
    return reportsOf(assignments);
  };
  return { executor: started, reports, reportsOf, runAll };
}

it("reports every assignment exactly once while standbys ride along, processes crashing mid-task included", async () => {
  const { runAll, reports } = await startExecutor(2);
  // Quick runs first: the task counts as short, so the batch below goes out with standbys.
  await runAll(Array.from({ length: 8 }, () => standbyAssignment("pid")));
  const batch = Array.from({ length: 60 }, (_, i) => (i % 10 === 3 ? standbyAssignment("crash", "5") : standbyAssignment("pid")));
  const outcomes = await runAll(batch);
  expect(outcomes.map(({ id }) => id).sort((a, b) => a - b)).toEqual(batch.map(({ id }) => id));
  for (const [i, assignment] of batch.entries()) {
    const outcome = outcomes.find(({ id }) => id === assignment.id)!.outcome;
    if (i % 10 === 3) expect(outcome).toMatchObject({ ok: false, error: { name: "WorkerCrashedError" } });
    else expect(outcome).toMatchObject({ ok: true });
  }
  // Nothing comes later either (a standby reported twice would show up after the last one).
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(reports).toHaveLength(68);
});

it("never sends a standby behind a process's last task: maxTasksPerProcess holds", async () => {
  const { runAll } = await startExecutor(1, 3);
  await runAll(Array.from({ length: 3 }, () => standbyAssignment("pid")));
  const outcomes = await runAll(Array.from({ length: 12 }, () => standbyAssignment("pid")));
  const perPid = new Map<unknown, number>();
  for (const { outcome } of outcomes) {
    expect(outcome.ok).toBe(true);
    if (outcome.ok) perPid.set(outcome.result, (perPid.get(outcome.result) ?? 0) + 1);
  }
  expect(Math.max(...perPid.values())).toBeLessThanOrEqual(3);
  expect(perPid.size).toBeGreaterThanOrEqual(4);
});

it("recycles a process over maxMemoryMb after each task: its standby is given back and runs in the next process", async () => {
  const { runAll } = await startExecutor(1, null, 1);
  await runAll(Array.from({ length: 3 }, () => standbyAssignment("pid")));
  const outcomes = await runAll(Array.from({ length: 6 }, () => standbyAssignment("pid")));
  const pids = outcomes.map(({ outcome }) => (outcome.ok ? outcome.result : outcome.error.name));
  expect(new Set(pids).size).toBe(6);
});

it("takes standbys back on dropQueued: they are reported with its reason and never run", async () => {
  const { executor, runAll, reportsOf } = await startExecutor(1);
  await runAll(Array.from({ length: 4 }, () => standbyAssignment("pid")));
  // Measured quick, so the standby waits behind this slow run of the same task.
  const running = standbyAssignment("sleep", "300");
  const waiting = [standbyAssignment("mark", join(dir, "standby")), standbyAssignment("mark", join(dir, "waiting"))];
  executor.execute([running, ...waiting]);
  expect(executor.load).toBe(3);
  executor.dropQueued(poolWireError(NOT_STARTED_ERROR, "stopping"));
  await until("all three were reported", () => reportsOf([running, ...waiting]).length === 3);
  expect(reportsOf(waiting).map(({ outcome }) => outcome)).toMatchObject([
    { ok: false, error: { name: NOT_STARTED_ERROR } },
    { ok: false, error: { name: NOT_STARTED_ERROR } },
  ]);
  expect(reportsOf([running])[0]?.outcome).toMatchObject({ ok: true });
  expect(existsSync(join(dir, "standby"))).toBe(false);
  expect(existsSync(join(dir, "waiting"))).toBe(false);
  expect(executor.load).toBe(0);
});

it("drops a standby revoked before it started, and runs the assignments behind it", async () => {
  const { executor, runAll, reportsOf } = await startExecutor(1);
  await runAll(Array.from({ length: 4 }, () => standbyAssignment("pid")));
  const running = standbyAssignment("sleep", "300");
  const revoked = standbyAssignment("mark", join(dir, "revoked"));
  const after = standbyAssignment("mark", join(dir, "after"));
  executor.execute([running, revoked, after]);
  executor.cancel(revoked.id, poolWireError("RevokedError", "revoked while it waited"));
  await until("all three were reported", () => reportsOf([running, revoked, after]).length === 3);
  expect(reportsOf([running, revoked, after]).map(({ outcome }) => outcome)).toMatchObject([
    { ok: true },
    { ok: false, error: { name: "RevokedError" } },
    { ok: true },
  ]);
  expect(existsSync(join(dir, "revoked"))).toBe(false);
  expect(existsSync(join(dir, "after"))).toBe(true);
});

it("runs each of several standbys queued behind a crashing task exactly once, in another process", async () => {
  const { executor, runAll } = await startExecutor(1);
  await runAll(Array.from({ length: 4 }, () => standbyAssignment("pid")));
  // Measured quick, so the ones behind it queue in its process as standbys.
  const crashing = standbyAssignment("crash", "300");
  const files = Array.from({ length: 5 }, (_, i) => join(dir, `standby-${i}`));
  const standbys = files.map((file) => standbyAssignment("append", file));
  const outcomes = await runAll([crashing, ...standbys]);
  expect(outcomes.map(({ outcome }) => outcome)).toMatchObject([
    { ok: false, error: { name: "WorkerCrashedError" } },
    ...standbys.map(() => ({ ok: true })),
  ]);
  const rerunPid = outcomes[1]?.outcome.ok ? outcomes[1].outcome.result : null;
  for (const file of files) {
    const runs = readFileSync(file, "utf8").trim().split("\n");
    expect(runs).toEqual([String(rerunPid)]);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(executor.load).toBe(0);
});
