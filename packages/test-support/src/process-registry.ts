import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

const children = new Set<ChildProcess>();
const directories = new Set<string>();
let hooked = false;

// Servers must not outlive the test process, even when a test forgets to stop them or the run
// is interrupted: kill them synchronously on exit (async work is impossible there).
function cleanUp(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", cleanUp);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      cleanUp();
      process.kill(process.pid, signal);
    });
  }
}

/** Kill `child` when this process exits. */
export function trackChild(child: ChildProcess): void {
  hook();
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/** Delete `dir` when this process exits (unless {@link forgetDirectory} was called first). */
export function trackDirectory(dir: string): void {
  hook();
  directories.add(dir);
}

/** Delete `dir` now and stop tracking it. */
export function removeDirectory(dir: string): void {
  directories.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}
