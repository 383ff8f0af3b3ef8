// Replicas of one producer share a trigger's schedule through the backend: three child processes
// define the same 1-second IntervalTrigger, and the queue gets one message per slot, not three;
// SIGKILL one of them and the others carry on without a missed or doubled slot. Messages are counted
// in the backend over 10 slots taken (the stored schedule's next slot moving 10 periods), never
// against the wall clock.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Backend, StoredSchedule } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { SqliteBackend } from "@alsek/sqlite";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));
const REPLICAS = 3;
const PERIOD_MS = 1_000;
const SLOTS = 10;
/** A safety net against a hung run, not a speed assertion. */
const DEADLINE_MS = 90_000;
const REF = { queue: "ticks", name: "tick" };

interface Replica {
  child: ChildProcess;
  /** The progenitor uuid it printed once it took part. */
  ready: Promise<string>;
  exited: Promise<number | null>;
}

function startReplica(kind: string, target: string, namespace: string): Replica {
  const child = spawn(
    process.execPath,
    ["--conditions=@alsek/source", "--import", "tsx", "src/__fixtures__/schedule-replica.ts", kind, target, namespace],
    { cwd: PACKAGE_DIR, stdio: ["pipe", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /ready (\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`replica exited (${code}) before it was ready: ${stderr}`)));
  });
  return { child, ready, exited };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The stored schedule and the number of messages in its queue, read together. */
async function observe(backend: Backend): Promise<{ schedule: StoredSchedule; messages: number }> {
  const [schedule, counts] = await Promise.all([backend.getSchedule(REF), backend.countQueue(REF.queue)]);
  if (schedule === null) throw new Error("the schedule is not stored");
  return { schedule, messages: counts.ready + counts.delayed + counts.active };
}

/** Registers the two runs for one backend kind. */
export function describeSharedSchedule(kind: "redis" | "sqlite"): void {
  describe(`a trigger defined by ${REPLICAS} processes fires once per slot (${kind})`, () => {
    let redis: RedisServer | undefined;
    let dir = "";
    let replicas: Replica[] = [];
    let backend: Backend | undefined;
    let target = "";
    let namespace = "";

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `alsek-shared-schedule-${kind}-`));
      if (kind === "redis") redis = await startRedisServer();
    });

    afterEach(async () => {
      for (const replica of replicas) replica.child.kill("SIGKILL");
      replicas = [];
      await backend?.close();
      backend = undefined;
    });

    afterAll(async () => {
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    async function startReplicas(run: string): Promise<string> {
      namespace = `shared_${run}`;
      target = kind === "redis" ? redis!.url : join(dir, `${run}.db`);
      backend = kind === "redis" ? new RedisBackend(target, { namespace }) : new SqliteBackend(target, { namespace });
      replicas = Array.from({ length: REPLICAS }, () => startReplica(kind, target, namespace));
      const progenitors = await Promise.all(replicas.map((replica) => replica.ready));
      // Whoever defined first created the schedule; the others joined it and got its first message.
      expect(new Set(progenitors).size).toBe(1);
      return progenitors[0]!;
    }

    /** Waits until the stored next slot moved `slots` periods past `from`. */
    function slotsTaken(from: StoredSchedule, slots: number) {
      return until(`${slots} slots were taken`, async () => {
        const seen = await observe(backend!);
        return seen.schedule.nextAt! >= from.nextAt! + slots * PERIOD_MS ? seen : undefined;
      });
    }

    async function stopReplicas(): Promise<void> {
      for (const replica of replicas) replica.child.stdin!.end();
      const codes = await Promise.all(replicas.map((replica) => replica.exited));
      for (const code of codes) expect(code === 0 || code === null).toBe(true);
    }

    async function checkMessages(progenitor: string): Promise<void> {
      const page = await backend!.listMessages(REF.queue, { state: "ready", order: "oldest", cursor: null, limit: 1_000 });
      const fires = page.items.filter((m) => m.data.uuid !== progenitor);
      expect(fires.every((m) => m.data.progenitorUuid === progenitor)).toBe(true);
      // Every message the schedule counts as fired is in the queue, and no other.
      expect(fires).toHaveLength((await backend!.getSchedule(REF))!.fires);
    }

    it(`submits ${SLOTS} ± 1 messages over ${SLOTS} slots`, async () => {
      const progenitor = await startReplicas("steady");
      const start = await observe(backend!);
      const end = await slotsTaken(start.schedule, SLOTS);
      const submitted = end.messages - start.messages;
      expect(submitted).toBeGreaterThanOrEqual(SLOTS - 1);
      expect(submitted).toBeLessThanOrEqual(SLOTS + 1);
      await stopReplicas();
      await checkMessages(progenitor);
    }, DEADLINE_MS * 2);

    it(`still submits ${SLOTS} ± 1 messages over ${SLOTS} slots when a replica is SIGKILLed midway`, async () => {
      const progenitor = await startReplicas("killed");
      const start = await observe(backend!);
      await slotsTaken(start.schedule, SLOTS / 2 - 1);
      const victim = replicas.shift()!;
      victim.child.kill("SIGKILL");
      expect(await victim.exited).toBeNull();
      const end = await slotsTaken(start.schedule, SLOTS);
      const submitted = end.messages - start.messages;
      expect(submitted).toBeGreaterThanOrEqual(SLOTS - 1);
      expect(submitted).toBeLessThanOrEqual(SLOTS + 1);
      await stopReplicas();
      await checkMessages(progenitor);
    }, DEADLINE_MS * 2);
  });
}
