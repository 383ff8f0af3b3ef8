import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const recorder = fileURLToPath(new URL("./__fixtures__/record-resolutions.mjs", import.meta.url));

it("importing @alsek/results loads no worker pool package", async () => {
  const dir = await mkdtemp(join(tmpdir(), "alsek-results-"));
  const log = join(dir, "resolutions.txt");
  try {
    // A fresh process, as a dashboard that installs only @alsek/results and a backend would be;
    // from sources (tsx + the @alsek/source condition), so no build is needed.
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
        'const results = await import("@alsek/results"); if (typeof results.ResultPool !== "function") process.exit(3);',
      ],
      { cwd: packageRoot, env: { ...process.env, ALSEK_RESOLUTION_LOG: log }, timeout: 30_000 },
    );
    const urls = (await readFile(log, "utf8")).split("\n").filter(Boolean);
    expect(urls).toContainEqual(expect.stringMatching(/\/packages\/results\/src\/index\.ts$/));
    expect(urls).toContainEqual(expect.stringMatching(/\/packages\/core\/src\/index\.ts$/));
    const workers = urls.filter((url) => /worker-thread|worker-process|@alsek\/cli|\/packages\/cli\//.test(url));
    expect(workers).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
