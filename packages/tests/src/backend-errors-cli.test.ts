// Runs the real `alsek thread-pool` against backends it can never use (the pool must stop with
// exit code 1 and one line naming the cause), as the README's least-privilege ACL user, and
// through a Redis restart (every message must complete).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Broker, task, type Task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const ALSEK_BIN = join(dirname(require.resolve("@alsek/cli/package.json")), "bin", "alsek.js");
const FIXTURES = fileURLToPath(new URL("./__fixtures__/backend_errors", import.meta.url));
const NAMESPACE = "alsek:cli-errors";

interface Run {
  child: ReturnType<typeof spawn>;
  stderr(): string;
  exited: Promise<number | null>;
}

function startPool(backend: string, dir: string): Run {
  const child = spawn(process.execPath, [ALSEK_BIN, "thread-pool", "tasks.ts", "--n_processes", "1"], {
    cwd: FIXTURES,
    env: { ...process.env, ALSEK_ERRORS_BACKEND: backend, ALSEK_ERRORS_DIR: dir, ALSEK_LOG_LEVEL: "" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

/** Lines of stderr that are not Alsek's JSON log records. */
function plainLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("{"));
}

function done(dir: string): string[] {
  const file = join(dir, "done.txt");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

// Below the test timeout, so that a stall fails naming what it waited for.
async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 25_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The README's least-privilege `ACL SETUSER` line, applied with `password`; returns the user name. */
async function createReadmeAclUser(server: RedisServer, password: string): Promise<string> {
  const readme = readFileSync(join(dirname(require.resolve("@alsek/redis/package.json")), "README.md"), "utf8");
  const line = /```acl\n(ACL SETUSER [^\n]+)\n```/.exec(readme)?.[1];
  if (!line) throw new Error("@alsek/redis's README has no ```acl block");
  const [, , user, ...rules] = line.split(/\s+/);
  const admin = server.client();
  await admin.call("ACL", "SETUSER", user!, ...rules.map((rule) => (rule === ">CHANGE-ME" ? `>${password}` : rule)));
  admin.disconnect();
  return user!;
}

let plain: RedisServer;
let tls: RedisServer;
let scratch: string;

beforeAll(async () => {
  [plain, tls] = await Promise.all([startRedisServer(), startRedisServer({ tls: true })]);
  const admin = plain.client();
  await admin.call("ACL", "SETUSER", "elsewhere", "on", ">pw", "resetkeys", "~other:*", "resetchannels", "&other:*", "+@all");
  admin.disconnect();
  scratch = mkdtempSync(join(tmpdir(), "alsek-cli-errors-"));
});

afterAll(async () => {
  await Promise.all([plain?.stop(), tls?.stop()]);
});

describe("alsek thread-pool on a backend it can never use", () => {
  const cases: [string, () => string, RegExp][] = [
    ["a wrong password", () => `redis://elsewhere:wrong@127.0.0.1:${plain.port}`, /WRONGPASS/],
    ["an ACL that denies the namespace's keys", () => `redis://elsewhere:pw@127.0.0.1:${plain.port}`, /NOPERM/],
    ["TLS without the server's CA", () => `rediss://127.0.0.1:${tls.port}`, /self-signed certificate.*redisOptions\.tls\.ca/],
    ["redis:// against a TLS port", () => `redis://127.0.0.1:${tls.port}`, /speaks TLS.*rediss:\/\//],
    [
      "a file that is not a SQLite database",
      () => {
        const file = join(scratch, "notes.txt");
        writeFileSync(file, "not a database\n".repeat(300));
        return file;
      },
      /is not a SQLite database.*SQLITE_NOTADB/,
    ],
  ];

  it.each(cases)("exits 1 with one line naming the cause: %s", async (_name, backend, cause) => {
    const pool = startPool(backend(), scratch);
    try {
      expect(await pool.exited).toBe(1);
    } finally {
      pool.child.kill("SIGKILL");
    }
    const lines = plainLines(pool.stderr());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^alsek: PermanentBackendError: /);
    expect(lines[0]).toMatch(cause);
    expect(pool.stderr()).not.toContain("Claiming messages failed");
  });
});

describe("alsek thread-pool on Redis", () => {
  let producer: RedisBackend | null = null;
  let recordLine: Task<(line: string) => void>;

  afterAll(async () => {
    await producer?.close();
  });

  function produceWith(url: string): void {
    producer = new RedisBackend(url, { namespace: NAMESPACE });
    recordLine = task(new Broker(producer), { name: "recordLine", queue: "cli_errors", mechanism: "thread" }, (_line: string) => {});
  }

  it("runs a pool and a producer as the README's least-privilege ACL user", async () => {
    const user = await createReadmeAclUser(plain, "least-pw");
    const url = `redis://${user}:least-pw@127.0.0.1:${plain.port}`;
    produceWith(url);
    const dir = mkdtempSync(join(tmpdir(), "alsek-cli-acl-"));
    const pool = startPool(url, dir);
    try {
      for (let i = 0; i < 20; i++) await recordLine.generate({ args: [`m${i}`] });
      await until("20 messages done", () => new Set(done(dir)).size === 20);
      pool.child.kill("SIGTERM");
      expect(await pool.exited).toBe(0);
    } finally {
      pool.child.kill("SIGKILL");
      await producer?.close();
      producer = null;
    }
    expect(plainLines(pool.stderr())).toEqual([]);
    expect(pool.stderr()).not.toContain("NOPERM");
  });

  it("completes every message through a Redis restart (a transient fault)", async () => {
    const url = `redis://127.0.0.1:${plain.port}`;
    produceWith(url);
    const dir = mkdtempSync(join(tmpdir(), "alsek-cli-restart-"));
    const pool = startPool(url, dir);
    const expected = Array.from({ length: 40 }, (_, i) => `r${i}`);
    try {
      for (const line of expected.slice(0, 20)) await recordLine.generate({ args: [line] });
      await until("the first messages ran", () => done(dir).length >= 5);
      await plain.restart();
      for (const line of expected.slice(20)) await recordLine.generate({ args: [line] });
      // A claim whose reply the restart lost is re-sent and handed what it leased: no message
      // waits for its lease to expire (leaseMs, 30 s).
      await until("every message done", () => expected.every((line) => done(dir).includes(line)));
      pool.child.kill("SIGTERM");
      expect(await pool.exited).toBe(0);
    } finally {
      pool.child.kill("SIGKILL");
      await producer?.close();
      producer = null;
    }
  });
});
