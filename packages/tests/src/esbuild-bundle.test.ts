// A producer bundled for Node with esbuild (one file, every dependency inside) runs against Redis
// from a directory with no node_modules: ioredis and the Lua scripts must come with the bundle.
// Bundles the *built* packages (`turbo run build` comes first in the root `pnpm test`).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";

const HERE = fileURLToPath(new URL(".", import.meta.url));

const PRODUCER = `
import { Broker, task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";

const backend = new RedisBackend(process.env.TEST_REDIS_URL, { namespace: "bundled" });
const broker = new Broker(backend);
const add = task(broker, { queue: "math_ops" }, function add(a: number, b: number) {
  return a + b;
});
const sent = [await add.generate({ args: [1, 2] }), await add.generate({ args: [3, 4] })];
const counts = await backend.countQueue("math_ops");
await backend.close();
console.log(JSON.stringify({ ready: counts.ready, sent: sent.length }));
`;

let server: RedisServer;
let dir: string;
beforeAll(async () => {
  server = await startRedisServer();
  dir = mkdtempSync(join(tmpdir(), "alsek-esbuild-"));
});
afterAll(async () => {
  await server?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

it("bundles a producer with esbuild into one file that submits to Redis with no node_modules beside it", async () => {
  // The entry sits in this package so that esbuild resolves @alsek/* (built) and ioredis from here.
  const entry = join(HERE, `.bundle-entry-${process.pid}.ts`);
  writeFileSync(entry, PRODUCER);
  const outfile = join(dir, "producer.mjs");
  try {
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "silent",
      // ioredis and its dependencies are CommonJS and call require() for Node's built-ins.
      banner: { js: "import { createRequire as __alsekRequire } from 'node:module'; const require = __alsekRequire(import.meta.url);" },
    });
  } finally {
    rmSync(entry, { force: true });
  }
  const { stdout } = await promisify(execFile)(process.execPath, [outfile], {
    cwd: dir,
    env: { ...process.env, TEST_REDIS_URL: server.url, NODE_PATH: "" },
    timeout: 60_000,
  });
  expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual({ ready: 2, sent: 2 });
});
