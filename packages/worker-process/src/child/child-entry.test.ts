import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, expect, it } from "vitest";
import { until } from "@alsek/test-support/pool-behaviour";

const childEntry = fileURLToPath(new URL("../../dist/child/child-entry.js", import.meta.url));

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it("a child whose pool is killed while it preloads exits quietly, with nothing on stderr", async () => {
  dir = mkdtempSync(join(tmpdir(), "alsek-child-"));
  const spinning = join(dir, "spinning");
  // A task module whose import keeps the child busy (no event-loop turn) while its pool dies: its
  // report that the module loaded is then written to a channel nobody reads any more.
  const module = join(dir, "slow-module.mjs");
  writeFileSync(
    module,
    `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(spinning)}, "");\n` +
      `const end = Date.now() + 1_500;\nwhile (Date.now() < end) {}\n`,
  );
  const stderrFile = join(dir, "child-stderr");
  // The "pool": forks the child with its stderr in a file, asks it to preload, prints its pid.
  const poolScript = join(dir, "pool.mjs");
  writeFileSync(
    poolScript,
    `import { fork } from "node:child_process";\nimport { openSync } from "node:fs";\n` +
      `const child = fork(${JSON.stringify(childEntry)}, [], {\n` +
      `  serialization: "advanced",\n` +
      `  stdio: ["ignore", "ignore", openSync(${JSON.stringify(stderrFile)}, "w"), "ipc"],\n` +
      `});\n` +
      `child.send([{ type: "preload", moduleUrls: [${JSON.stringify(pathToFileURL(module).href)}] }]);\n` +
      `console.log(child.pid);\nsetInterval(() => {}, 1000);\n`,
  );
  const pool = spawn(process.execPath, [poolScript], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  pool.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    await until("the child started importing the module", () => existsSync(spinning) && output.trim() !== "");
    const childPid = Number(output.trim());
    pool.kill("SIGKILL");
    await until("the child exited", () => !isAlive(childPid));
    expect(readFileSync(stderrFile, "utf8")).toBe("");
  } finally {
    if (pool.exitCode === null && pool.signalCode === null) pool.kill("SIGKILL");
  }
});
