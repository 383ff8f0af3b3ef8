import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";

const packageRoot = fileURLToPath(new URL("../..", import.meta.url));

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

it("loads ioredis on the backend's first command, not when a module constructs the backend", async () => {
  // A fresh process, as a worker thread or child importing a task module would be; from sources
  // (tsx + the @alsek/source condition), so no build is needed.
  const script = `
    import { createRequire } from "node:module";
    const cache = createRequire(import.meta.url).cache;
    const ioredisLoaded = () => Object.keys(cache).some((path) => path.includes("/node_modules/ioredis/"));
    const { RedisBackend } = await import("@alsek/redis");
    const backend = new RedisBackend(process.env.TEST_REDIS_URL, { namespace: "lazy" });
    const afterConstruct = ioredisLoaded();
    await backend.setValue("k", 1);
    const afterCommand = ioredisLoaded();
    const value = await backend.getValue("k");
    await backend.close();
    console.log(JSON.stringify({ afterConstruct, afterCommand, value }));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--conditions=@alsek/source", "--import", "tsx", "--input-type=module", "-e", script],
    { cwd: packageRoot, env: { ...process.env, TEST_REDIS_URL: server.url }, timeout: 30_000 },
  );
  expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual({ afterConstruct: false, afterCommand: true, value: 1 });
});
