import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A pool running in a child process (`../__fixtures__/run-pool.ts`). */
export interface PoolProcess {
  readonly child: ChildProcess;
  /** Resolves once the pool consumes; rejects if the process exits first. */
  readonly started: Promise<void>;
  /** Resolves with the exit code (`null` when killed by a signal). */
  exited(): Promise<number | null>;
}

const runPool = fileURLToPath(new URL("../__fixtures__/run-pool.ts", import.meta.url));
const packageDir = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Run the subject's pool of the fixture tasks in its own process, with handlers for signals.
 * `capacity` as in `PoolRequest` (for the thread pool: odd = one group in the pool's process,
 * even = forked process groups).
 */
export function startPoolProcess(subjectModuleUrl: string, leaseMs: number, stopGraceMs: number, capacity = 2): PoolProcess {
  const args = [runPool, subjectModuleUrl, String(leaseMs), String(stopGraceMs), String(capacity)];
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: packageDir,
    env: { ...process.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("started")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`pool process exited early (${code})`)));
  });
  const exited = (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  };
  return { child, started, exited };
}
