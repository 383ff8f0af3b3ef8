import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { TaskStatus } from "@alsek/core";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { raceSetup, RACE_QUEUE } from "./__fixtures__/status-race-tasks.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const consumerScript = fileURLToPath(new URL("./__fixtures__/status-race-consumer.ts", import.meta.url));
/** Messages generated one by one, each while the consumer waits for work. */
const ROUNDS = 1_000;

let server: RedisServer;
let consumer: ChildProcess;
const namespace = `race-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  server = await startRedisServer();
  consumer = spawn(process.execPath, ["--conditions=@alsek/source", "--import", "tsx", consumerScript, server.url, namespace], {
    cwd: packageRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    consumer.once("exit", (code) => reject(new Error(`the consumer process exited early (code ${String(code)})`)));
    consumer.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
  });
}, 60_000);

afterAll(async () => {
  consumer?.kill("SIGTERM");
  await server?.stop();
});

it("never moves a status backwards when a waiting pool claims the message at once: RUNNING then SUCCEEDED, for good", async () => {
  const { backend, statusTracker, echo } = raceSetup(server.url, namespace);
  const rounds: { seen: string[]; final: string }[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const ref = { queue: RACE_QUEUE, uuid: randomUUID() };
    // listen() subscribes, then reads: once it has yielded this first status it hears every write.
    await statusTracker.set(ref, TaskStatus.SUBMITTED);
    const seen: TaskStatus[] = [];
    const listening = (async () => {
      for await (const update of statusTracker.listen(ref)) seen.push(update.status);
    })();
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await echo.generate({ uuid: ref.uuid, args: [i] });
    await Promise.race([listening, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    rounds.push({ seen: seen.slice(1).map((s) => TaskStatus[s]), final: TaskStatus[(await statusTracker.get(ref)).status] });
  }
  await backend.close();
  const wrong = rounds.filter(
    ({ seen, final }) => final !== "SUCCEEDED" || seen.slice(-2).join() !== "RUNNING,SUCCEEDED" || seen.indexOf("RUNNING") < seen.lastIndexOf("SUBMITTED"),
  );
  expect(wrong).toEqual([]);
}, 60_000);
