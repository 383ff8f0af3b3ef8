import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { ClaimedMessage, Lease } from "@alsek/core";
import { queued } from "./__fixtures__/message-data.js";
import { tempDirectory } from "./__fixtures__/temp-database.js";
import { SqliteBackend } from "./index.js";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const COUNT = 300;

interface Child {
  /** Resolves with stdout once the process exits with code 0; rejects otherwise. */
  done: Promise<string>;
  /** Resolves when stdout contains `text`. */
  printed(text: string): Promise<void>;
}

function runFixture(name: string, ...args: string[]): Child {
  const child = spawn(
    process.execPath,
    ["--conditions=@alsek/source", "--import", "tsx", `src/__fixtures__/${name}.ts`, ...args],
    { cwd: PACKAGE_DIR, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  const watchers: { text: string; resolve: () => void }[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of watchers) if (stdout.includes(w.text)) w.resolve();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<string>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${name} exited with ${code}: ${stderr}`)),
    );
  });
  return {
    done,
    printed: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.includes(text)) return resolve();
        watchers.push({ text, resolve });
        done.then(() => reject(new Error(`${name} exited without printing ${text}`)), reject);
      }),
  };
}

let dir: ReturnType<typeof tempDirectory>;

beforeEach(() => {
  dir = tempDirectory();
});

afterEach(() => dir.remove());

it(
  "shares one file between a producer, two consumers and a results reader, each message claimed once",
  async () => {
    const file = dir.path();
    const reader = runFixture("reader", file, String(COUNT));
    await reader.printed("ready");
    const consumers = [runFixture("consumer", file, "c1"), runFixture("consumer", file, "c2")];
    const producer = runFixture("producer", file, String(COUNT));
    await producer.done;
    const claimed = (await Promise.all(consumers.map((c) => c.done))).map(
      (out) => JSON.parse(out) as string[],
    );
    const results = JSON.parse((await reader.done).slice("ready\n".length)) as Record<string, string>;

    const all = claimed.flat();
    const expected = Array.from({ length: COUNT }, (_, i) => `m${i}`);
    expect(all.toSorted()).toEqual(expected.toSorted());
    expect(new Set(all).size).toBe(COUNT);
    expect(Object.keys(results).toSorted()).toEqual(expected.toSorted());
    claimed.forEach((uuids, index) => {
      for (const uuid of uuids) expect(results[uuid]).toBe(`c${index + 1}`);
    });

    const check = new SqliteBackend(file);
    expect(await check.countQueue("jobs")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
    expect(await check.descendantResults("jobs", "batch")).toEqual([]);
    await check.close();
  },
  50_000,
);

it("lets another process reclaim a message whose worker process died, fencing the dead lease", async () => {
  const file = dir.path();
  const backend = new SqliteBackend(file);
  await backend.submit([queued("jobs", "lonely")]);
  const lease = JSON.parse(await runFixture("claim-and-exit", file, "300").done) as Lease;
  expect(lease.uuid).toBe("lonely");
  let reclaimed: ClaimedMessage | undefined;
  const watcher = backend.watch(["jobs"]);
  while (reclaimed === undefined) {
    const version = watcher.version;
    const result = await backend.claim({ queues: ["jobs"], limit: 1, leaseMs: 60_000 });
    reclaimed = result.messages[0];
    if (reclaimed === undefined) {
      expect(result.nextReadyInMs).not.toBeNull();
      await watcher.waitForChange(version, result.nextReadyInMs ?? 0);
    }
  }
  expect(reclaimed.expiredLeases).toBe(1);
  expect(await backend.ack(lease)).toBe("lost");
  expect(await backend.ack(reclaimed.lease)).toBe("ok");
  await watcher.close();
  await backend.close();
});
