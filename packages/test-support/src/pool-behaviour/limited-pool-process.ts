import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A pool of the flow-control tests running in a child process (`../__fixtures__/run-limited-pool.ts`). */
export interface LimitedPoolProcess {
  /** Start times (epoch ms) of the messages it ran so far. */
  readonly starts: readonly number[];
  /** Resolves once the pool consumes; rejects if the process exits first. */
  readonly started: Promise<void>;
  /** Stop it (SIGTERM: a graceful stop) and wait for its exit. */
  stop(): Promise<void>;
}

const runLimitedPool = fileURLToPath(new URL("../__fixtures__/run-limited-pool.ts", import.meta.url));
const packageDir = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Run a pool of `capacity` slots in its own process over the backend that `backendModuleUrl`'s
 * `openBackend(backendArgs)` opens: pools in separate processes each have their own event loop,
 * as pools on separate hosts do, so one pool's work never delays another's starts.
 */
export function startLimitedPoolProcess(backendModuleUrl: string, backendArgs: readonly string[], capacity: number, leaseMs: number): LimitedPoolProcess {
  const child = spawn(process.execPath, ["--import", "tsx", runLimitedPool, backendModuleUrl, String(capacity), String(leaseMs), ...backendArgs], {
    cwd: packageDir,
    env: { ...process.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const starts: number[] = [];
  let pending = "";
  let onStarted: () => void = () => {};
  const started = new Promise<void>((resolve, reject) => {
    onStarted = resolve;
    child.once("exit", (code) => reject(new Error(`limited pool process exited early (${code})`)));
  });
  started.catch(() => {});
  child.stdout!.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "started") onStarted();
      else if (line.startsWith("start ")) starts.push(Number(line.slice(6)));
    }
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    starts,
    started,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
