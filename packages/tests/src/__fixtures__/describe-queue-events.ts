// QueueEvents across processes, registered once per backend by a test file of its own (each file
// runs in a fresh process, so the fixture tasks load for that backend only).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { QueueEvents } from "@alsek/results";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { until } from "@alsek/test-support/pool-behaviour";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

type Tasks = typeof import("./queue-events-tasks.js");

const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));
const LIFE = ["submitted", "started", "progress", "succeeded"];

/** Every message's event types, in the order seen; fails on an event of a message not submitted. */
function lifeByMessage(events: readonly (readonly [string, string, number])[]): Map<string, string[]> {
  const byMessage = new Map<string, string[]>();
  for (const [type, uuid] of events) byMessage.set(uuid, [...(byMessage.get(uuid) ?? []), type]);
  return byMessage;
}

/** Run the listener fixture in its own process; resolves with its output once it has seen `count` successes. */
function startListener(kind: string, where: string, queue: string, count: number): { ready: Promise<void>; done: Promise<string> } {
  const child = spawn(
    process.execPath,
    ["--conditions=@alsek/source", "--import", "tsx", "src/__fixtures__/queue-events-listener.ts", kind, where, queue, String(count)],
    { cwd: PACKAGE_DIR, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith("ready\n")) onReady();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<string>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(stdout.slice("ready\n".length)) : reject(new Error(`listener exited with ${code}: ${stderr}`))));
  });
  return { ready, done };
}

export function describeQueueEvents(kind: "redis" | "sqlite"): void {
  describe(`QueueEvents across processes (${kind})`, () => {
    let redis: RedisServer | undefined;
    let dir = "";
    let where = "";
    let tasks: Tasks;
    let pool: ThreadWorkerPool | undefined;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `alsek-queue-events-${kind}-`));
      if (kind === "redis") redis = await startRedisServer();
      where = redis?.url ?? dir;
      process.env.ALSEK_EVENTS_BACKEND = kind;
      process.env.ALSEK_EVENTS_WHERE = where;
      tasks = await import("./queue-events-tasks.js");
    });

    afterEach(async () => {
      await pool?.stop();
      pool = undefined;
      await tasks.backend.clear();
    });

    afterAll(async () => {
      await tasks.backend.close();
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    function startPool(): void {
      pool = new ThreadWorkerPool({ tasks: [tasks.eventful], nThreads: 8, nProcesses: 1, handleSignals: false });
      void pool.run();
    }

    it("shows a listener in another process every event of 1,000 messages, in order per message", async () => {
      const listener = startListener(kind, where, tasks.EVENTS_QUEUE, 1_000);
      await listener.ready;
      startPool();
      const messages = await tasks.eventful.generateMany(Array.from({ length: 1_000 }, (_, n) => ({ args: [n] })));
      const lines = (await listener.done).trim().split("\n");
      const events = lines.map((line) => JSON.parse(line) as [string, string, number]);
      const byMessage = lifeByMessage(events);
      expect(byMessage.size).toBe(1_000);
      for (const message of messages) expect(byMessage.get(message.uuid)).toEqual(LIFE);
      expect(events.every(([, , attempt]) => attempt === 0)).toBe(true);
    });

    it("resumes a reader that went away for 2 s from its positions, missing no event", async () => {
      startPool();
      const first = new QueueEvents(tasks.backend, { queues: [tasks.EVENTS_QUEUE], from: "oldest" });
      const seen: [string, string, number][] = [];
      first.on("event", (event) => seen.push([event.type, event.uuid, event.attempt]));
      const producing = (async () => {
        const out = [];
        for (let batch = 0; batch < 10; batch++) {
          out.push(...(await tasks.eventful.generateMany(Array.from({ length: 100 }, (_, n) => ({ args: [batch * 100 + n] })))));
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        return out;
      })();
      await until("the first reader saw some events", () => seen.length >= 200);
      await first.close();
      const positions = first.positions;
      const before = seen.length;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const second = new QueueEvents(tasks.backend, { queues: [tasks.EVENTS_QUEUE], from: positions });
      second.on("event", (event) => seen.push([event.type, event.uuid, event.attempt]));
      const messages = await producing;
      await until("every message succeeded, as the second reader saw", () => seen.filter(([type]) => type === "succeeded").length >= 1_000, 60_000);
      await second.close();
      expect(seen.length).toBeGreaterThan(before);
      const byMessage = lifeByMessage(seen);
      expect(byMessage.size).toBe(1_000);
      for (const message of messages) expect(byMessage.get(message.uuid)).toEqual(LIFE);
    });
  });
}
