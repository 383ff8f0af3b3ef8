// Runs every example's `start` script end to end, as CI would: once on its default embedded SQLite
// backend and once with REDIS_URL pointing at a throwaway redis-server. Examples run against the
// *built* packages (`turbo run build` comes first in the root `pnpm test`).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const EXAMPLES_DIR = join(ROOT, "examples");
/** The line every example prints last, once it checked its own outcome. */
const MARKER = "example ok";
/** A safety net against a hung example, not a speed assertion. */
const EXAMPLE_TIMEOUT_MS = 240_000;
const REDIS_PASSWORD = "examples-pw-51c2";

interface ExamplePackage {
  dir: string;
  name: string;
  start: string;
}

function findExamples(): ExamplePackage[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(EXAMPLES_DIR, entry.name, "package.json")))
    .map((entry) => {
      const dir = join(EXAMPLES_DIR, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name: string;
        scripts?: Record<string, string>;
      };
      return { dir, name: manifest.name, start: manifest.scripts?.start ?? "" };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the example's start script the way `pnpm start` does: a shell with its bins on PATH. */
function runStart(example: ExamplePackage, env: Record<string, string>): Promise<Run> {
  const inherited = { ...process.env };
  // Each run picks its own backend; nothing of the caller's may leak in.
  delete inherited.REDIS_URL;
  delete inherited.ALSEK_EXAMPLE_SQLITE_FILE;
  const bins = [join(example.dir, "node_modules", ".bin"), join(ROOT, "node_modules", ".bin")];
  const child = spawn("sh", ["-c", example.start], {
    cwd: example.dir,
    env: { ...inherited, ...env, PATH: [...bins, process.env.PATH ?? ""].join(delimiter) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // The whole process group: the shell, tsx, node and any pool it started.
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, EXAMPLE_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function expectSuccess(run: Run): void {
  // On failure the assertion message carries the example's own output.
  expect({ code: run.code, signal: run.signal, lastLine: run.stdout.trimEnd().split("\n").at(-1) }, `${run.stdout}\n${run.stderr}`).toEqual({
    code: 0,
    signal: null,
    lastLine: MARKER,
  });
}

const examples = findExamples();

describe("examples", () => {
  it("has one example per guided-tour topic, each started by `tsx src/main.ts`", () => {
    expect(examples.map((example) => example.name)).toEqual(
      [
        "callbacks",
        "cli-pools",
        "custom-tasks",
        "dashboard",
        "flow-control",
        "locks",
        "priorities",
        "progress-events",
        "quickstart",
        "result-pool",
        "results-reader",
        "status-tracking",
        "triggers",
      ].map((topic) => `@alsek/example-${topic}`),
    );
    for (const example of examples) expect(example.start, example.name).toBe("tsx src/main.ts");
  });

  it("type-check against the built packages' declarations", async () => {
    const tsc = spawn(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(EXAMPLES_DIR, "tsconfig.json")], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    tsc.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    tsc.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => tsc.on("close", resolve));
    expect({ code, output }).toEqual({ code: 0, output: "" });
  }, 120_000);
});

describe("examples on the embedded SQLite backend", () => {
  for (const example of examples) {
    it(`${example.name} runs to completion and exits 0`, async () => {
      const run = await runStart(example, {});
      expectSuccess(run);
      expect(run.stdout).toContain("Backend: SQLite");
    }, EXAMPLE_TIMEOUT_MS + 10_000);
  }

  it("runs a producer, a pool and a reader as three separate processes on one SQLite file", async () => {
    // The results-reader example: its reader (main) spawns `alsek thread-pool` and the producer,
    // all three on one SQLite file, and checks their pids differ and every result arrived.
    const example = examples.find((candidate) => candidate.name === "@alsek/example-results-reader");
    const run = await runStart(example!, {});
    expectSuccess(run);
    expect(run.stdout).toMatch(/^Producer \(pid \d+\) submitted 5 orders\.$/m);
    expect(run.stdout.match(/status SUCCEEDED, priced by pid \d+\)$/gm)).toHaveLength(5);
    expect(run.stdout).toContain("Sum of totals: 1338.");
    expect(run.stdout).toContain("three processes ok");
  }, EXAMPLE_TIMEOUT_MS + 10_000);
});

describe("examples on Redis (REDIS_URL set)", () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedisServer({ aclUser: { name: "examples", password: REDIS_PASSWORD } });
  });

  afterAll(async () => {
    await redis?.stop();
  });

  for (const example of examples) {
    it(`${example.name} runs to completion and exits 0`, async () => {
      const run = await runStart(example, { REDIS_URL: redis.url });
      expectSuccess(run);
      expect(run.stdout).toContain(`Backend: Redis (127.0.0.1:${redis.port})`);
      expect(run.stdout + run.stderr).not.toContain(REDIS_PASSWORD);
    }, EXAMPLE_TIMEOUT_MS + 10_000);
  }
});
