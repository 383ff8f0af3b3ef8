import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const recorder = fileURLToPath(new URL("./__fixtures__/record-resolutions.mjs", import.meta.url));

it("importing @alsek/dashboard loads results and core only: no worker package, no web framework", async () => {
  const dir = await mkdtemp(join(tmpdir(), "alsek-dashboard-"));
  const log = join(dir, "resolutions.txt");
  try {
    await promisify(execFile)(
      process.execPath,
      [
        "--conditions=@alsek/source",
        "--import",
        "tsx",
        "--import",
        recorder,
        "--input-type=module",
        "-e",
        'const d = await import("@alsek/dashboard"); if (typeof d.createDashboard !== "function") process.exit(3);',
      ],
      { cwd: packageRoot, env: { ...process.env, ALSEK_RESOLUTION_LOG: log }, timeout: 30_000 },
    );
    const urls = (await readFile(log, "utf8")).split("\n").filter(Boolean);
    expect(urls).toContainEqual(expect.stringMatching(/\/packages\/dashboard\/src\/index\.ts$/));
    expect(urls).toContainEqual(expect.stringMatching(/\/packages\/results\/src\/index\.ts$/));
    const unwanted = urls.filter((url) =>
      /worker-thread|worker-process|\/packages\/cli\/|\/packages\/redis\/|\/packages\/sqlite\/|node_modules\/(\.pnpm\/)?(express|fastify|koa|hono|playwright-core)/.test(url),
    );
    expect(unwanted).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
