// What a stranger gets from the registry: every public package packed as it would be published
// (`pnpm pack`), checked with publint and @arethetypeswrong/cli, and installed with npm into
// fresh apps outside the workspace, which then use Alsek the three ways users do:
//   (a) a strict-TS producer with only @alsek/core + @alsek/redis type-checks and submits;
//   (b) the installed `alsek` runs thread-pool and process-pool on a `.ts` task module, drains
//       the producer's messages, and a SIGTERM drains (nothing lost, nothing dead-lettered);
//   (c) a reader with only @alsek/results (+ @alsek/dashboard when it exists) and a backend reads
//       every result and has no worker package installed.
// Packs the *built* packages (`turbo run build` comes first in the root `pnpm test`). Needs the
// npm registry (as configured for npm) for the packages' third-party dependencies.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appFiles } from "./published-apps.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const TESTS_DIR = fileURLToPath(new URL("..", import.meta.url));
const execFileAsync = promisify(execFile);

/** execFile that fails with the command's output in the message. */
async function run(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  try {
    return await execFileAsync(file, args, { ...options, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(" ")} failed:\n${stdout}${stderr}`, { cause: error });
  }
}
/** Safety nets against a hung step, not speed assertions. */
const INSTALL_TIMEOUT_MS = 300_000;
const STEP_TIMEOUT_MS = 120_000;
/** Packages a results reader may have besides @alsek/results and a backend. */
const READER_PACKAGES = ["@alsek/core", "@alsek/redis", "@alsek/results", "@alsek/dashboard"];

interface PublicPackage {
  name: string;
  dir: string;
  tarball: string;
  /** Its runtime dependencies that are workspace packages. */
  workspaceDependencies: string[];
}

let server: RedisServer;
let work: string;
const tarballs = new Map<string, PublicPackage>();

function publicPackages(): Omit<PublicPackage, "tarball">[] {
  return readdirSync(join(ROOT, "packages"))
    .map((entry) => join(ROOT, "packages", entry))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({
      name: manifest.name,
      dir,
      workspaceDependencies: Object.entries(manifest.dependencies ?? {})
        .filter(([, range]) => range.startsWith("workspace:"))
        .map(([name]) => name),
    }));
}

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

/** `names` and every workspace package they depend on: what the registry would bring along. */
function withDependencies(names: readonly string[]): string[] {
  const all = new Set<string>();
  const visit = (name: string): void => {
    if (all.has(name)) return;
    all.add(name);
    for (const dependency of tarballs.get(name)!.workspaceDependencies) visit(dependency);
  };
  names.forEach(visit);
  return [...all];
}

/** The environment for npm: the caller's, without what pnpm sets for its own scripts. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (lower.startsWith("npm_") && lower !== "npm_config_registry" && lower !== "npm_config_cache") continue;
    if (lower === "node_options" || lower === "vitest" || lower.startsWith("vitest_")) continue;
    env[key] = value;
  }
  return env;
}

/** An app in its own temp dir (outside the workspace) with `packages` installed from the tarballs. */
async function installApp(name: string, packages: readonly string[], files: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }, null, 2));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  // The tarballs of the workspace packages they depend on stand in for the registry's copies.
  const specs = withDependencies(packages).map((pkg) => tarballs.get(pkg)!.tarball);
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...specs], {
    cwd: dir,
    env: npmEnv(),
    timeout: INSTALL_TIMEOUT_MS,
  });
  const { stdout } = await run("du", ["-sk", "node_modules"], { cwd: dir });
  const kib = Number(stdout.split(/\s/)[0]);
  process.stdout.write(`installed size of ${name} (${packages.join(", ")}): ${(kib / 1024).toFixed(1)} MiB\n`);
  return dir;
}

function nodeIn(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, args, { cwd: dir, env: { ...npmEnv(), ...env }, timeout: STEP_TIMEOUT_MS });
}

beforeAll(async () => {
  server = await startRedisServer();
  work = mkdtempSync(join(tmpdir(), "alsek-published-"));
  const packed = join(work, "tarballs");
  mkdirSync(packed);
  for (const pkg of publicPackages()) {
    const { stdout } = await run("pnpm", ["pack", "--pack-destination", packed, "--json"], { cwd: pkg.dir, timeout: STEP_TIMEOUT_MS });
    const parsed = JSON.parse(stdout) as { filename: string } | { filename: string }[];
    const filename = (Array.isArray(parsed) ? parsed[0]! : parsed).filename;
    tarballs.set(pkg.name, { ...pkg, tarball: filename.startsWith("/") ? filename : join(packed, filename) });
  }
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await server?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("published tarballs", () => {
  it("pass publint and @arethetypeswrong/cli (ESM-only profile) and ship LICENSE, README and sources for their maps", async () => {
    expect([...tarballs.keys()]).toContain("@alsek/core");
    for (const pkg of tarballs.values()) {
      const lint = await run(process.execPath, [join(TESTS_DIR, "node_modules/publint/src/cli.js"), "--strict", pkg.tarball], {
        cwd: pkg.dir,
        timeout: STEP_TIMEOUT_MS,
      }).catch((error: Error) => ({ stdout: error.message, failed: true }));
      expect({ name: pkg.name, publint: "failed" in lint ? lint.stdout : "ok" }).toEqual({ name: pkg.name, publint: "ok" });
      const types = await run(
        process.execPath,
        [join(TESTS_DIR, "node_modules/@arethetypeswrong/cli/dist/index.js"), pkg.tarball, "--profile", "esm-only", "--format", "ascii"],
        { timeout: STEP_TIMEOUT_MS },
      ).catch((error: Error) => ({ stdout: error.message, failed: true }));
      expect({ name: pkg.name, attw: "failed" in types ? types.stdout : "ok" }).toEqual({ name: pkg.name, attw: "ok" });
      const { stdout: listing } = await run("tar", ["-tzf", pkg.tarball]);
      const files = listing.split("\n");
      expect(files).toContain("package/LICENSE");
      expect(files).toContain("package/README.md");
      expect(files).toContain("package/src/index.ts");
      expect(files.filter((file) => /\.test\.ts$|__tests__|__fixtures__|\.tsbuildinfo$/.test(file))).toEqual([]);
    }
  }, INSTALL_TIMEOUT_MS);

  it("serve a strict-TS producer, both pools of the installed `alsek`, and a reader without worker packages", async () => {
    const env = { REDIS_URL: server.url };
    const files = appFiles();

    // (a) The producer: only core + redis, type-checked strictly against the installed declarations.
    const producer = await installApp("producer", ["@alsek/core", "@alsek/redis"], files.producer);
    await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], {
      cwd: producer,
      timeout: STEP_TIMEOUT_MS,
    });
    const first = JSON.parse((await nodeIn(producer, ["produce.js", "thread_sums", "4"], env)).stdout) as unknown[];
    expect(first).toHaveLength(4);

    // (b) The worker host: the installed `alsek` on a .ts module, thread pool then process pool.
    const workers = await installApp("workers", ["@alsek/cli", "@alsek/core", "@alsek/redis", "@alsek/results", "@alsek/worker-thread", "@alsek/worker-process"], files.workers);
    const alsek = join(workers, "node_modules/.bin/alsek");
    // At the default log level, with the operators' summary line every 200 ms while it works.
    const threadPool = await runPoolUntil(
      workers,
      [alsek, "thread-pool", "tasks.ts", "--n_threads", "2", "--n_processes", "1", "--summary_interval", "200"],
      env,
      () => doneCount(workers) >= 4,
    );
    expect(threadPool).toMatchObject({ code: 0, signal: null });
    const summaries = threadPool.output
      .split("\n")
      .filter((line) => line.includes('"msg":"Last '))
      .map((line) => JSON.parse(line) as { level: string; done: number });
    expect(summaries.every((line) => line.level === "info")).toBe(true);
    expect(summaries.reduce((sum, line) => sum + line.done, 0)).toBe(4);

    const second = JSON.parse((await nodeIn(producer, ["produce.js", "process_sums", "6"], env)).stdout) as unknown[];
    // SIGTERM as soon as the first process task finished: the pool must stop cleanly and hand
    // back what it did not run, so that the next pool finishes the rest.
    const interrupted = await runPoolUntil(workers, [alsek, "process-pool", "tasks.ts", "--n_processes", "2"], env, () => doneCount(workers) >= 5);
    expect(interrupted).toMatchObject({ code: 0, signal: null });
    const resumed = await runPoolUntil(workers, [alsek, "process-pool", "tasks.ts", "--n_processes", "2"], env, () => doneCount(workers) >= 10);
    expect(resumed).toMatchObject({ code: 0, signal: null });

    // (c) The reader: @alsek/results + a backend; no worker package is even installed.
    const reader = await installApp("reader", ["@alsek/results", "@alsek/redis", ...(tarballs.has("@alsek/dashboard") ? ["@alsek/dashboard"] : [])], files.reader);
    const installed = readdirSync(join(reader, "node_modules/@alsek")).map((name) => `@alsek/${name}`);
    expect(installed.filter((name) => !READER_PACKAGES.includes(name))).toEqual([]);
    writeFileSync(join(reader, "messages.json"), JSON.stringify([...first, ...second]));
    const read = JSON.parse((await nodeIn(reader, ["read.js"], env)).stdout) as { results: number[] };
    expect(read.results).toEqual([0, 2, 4, 6, 0, 2, 4, 6, 8, 10]);
  }, 3 * INSTALL_TIMEOUT_MS);
});

function doneCount(dir: string): number {
  const file = join(dir, "done.log");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).length : 0;
}

/** Runs a pool (`args[0]` is the binary) until `condition` holds, then sends SIGTERM and waits for it to exit. */
function runPoolUntil(dir: string, args: string[], env: NodeJS.ProcessEnv, condition: () => boolean) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve, reject) => {
    const child = spawn(args[0]!, args.slice(1), { cwd: dir, env: { ...npmEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`pool ${args.slice(1).join(" ")} did not reach its condition:\n${output}`));
    }, STEP_TIMEOUT_MS);
    const poll = setInterval(() => {
      if (condition()) {
        clearInterval(poll);
        child.kill("SIGTERM");
      }
    }, 50);
    child.on("close", (code, signal) => {
      clearInterval(poll);
      clearTimeout(deadline);
      resolve({ code, signal, output });
    });
  });
}
