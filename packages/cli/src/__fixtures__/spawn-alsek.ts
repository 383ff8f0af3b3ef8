// Runs the real `alsek` binary (bin/alsek.js → dist/bin.js) in a child process, as a user would.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The committed bin shim. */
export const ALSEK_BIN = fileURLToPath(new URL("../../bin/alsek.js", import.meta.url));
/** This folder: targets of the tests are relative to it. */
export const FIXTURES_DIR = fileURLToPath(new URL(".", import.meta.url));

const COMPILED_BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

/** Fail early, with the fix, when the package was not built (the bin runs compiled code). */
export function requireBuiltBinary(): void {
  if (!existsSync(COMPILED_BIN)) {
    throw new Error(`${COMPILED_BIN} is missing: run \`pnpm turbo run build --filter=@alsek/cli\` first.`);
  }
}

/** A running `alsek` process. */
export interface AlsekProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Start `alsek ...args` in {@link FIXTURES_DIR} with `env` added to this process's environment,
 * under `node ...nodeFlags`.
 */
export function startAlsek(args: readonly string[], env: Record<string, string> = {}, nodeFlags: readonly string[] = []): AlsekProcess {
  const child = spawn(process.execPath, [...nodeFlags, ALSEK_BIN, ...args], {
    cwd: FIXTURES_DIR,
    env: { ...process.env, ALSEK_LOG_LEVEL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Run `alsek ...args` to completion. */
export async function runAlsek(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const running = startAlsek(args, env);
  const { code } = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

/** Wait until `condition` holds; fails naming `what` after `timeoutMs` (a safety net, not an assertion on speed). */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
