// Tasks of the standby tests (thread-group-standby.test.ts). The group's worker threads import
// this module by URL, so it only defines things; its broker's backend is never used.
import { existsSync, writeFileSync } from "node:fs";
import { Broker, MemoryBackend, task } from "@alsek/core";

const broker = new Broker(new MemoryBackend());
const options = { queue: "standby", mechanism: "thread", maxRetries: 0 } as const;

/** Tasks of this module running on this thread right now. */
let running = 0;

/** Returns how many of this module's tasks ran on its thread when it started (itself included). */
export const overlap = task(broker, { ...options, name: "overlap" }, async function overlap(): Promise<number> {
  running++;
  const seen = running;
  await new Promise((resolve) => setImmediate(resolve));
  running--;
  return seen;
});

/** Waits `ms` without blocking its thread. */
export const sleepFor = task(broker, { ...options, name: "sleepFor" }, async function sleepFor(ms: number): Promise<number> {
  running++;
  await new Promise((resolve) => setTimeout(resolve, ms));
  running--;
  return ms;
});

/** Writes `path`: a test tells from it whether the task ran. */
export const mark = task(broker, { ...options, name: "mark" }, function mark(path: string): string {
  writeFileSync(path, "ran");
  return path;
});

/** Ends its thread after `ms`. */
export const crashAfter = task(broker, { ...options, name: "crashAfter" }, async function crashAfter(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  process.exit(3);
});

/**
 * Writes `startedPath`, then blocks its thread (a synchronous spin) until `releasePath` exists or
 * `capMs` passed. Returns which ended it.
 */
export const spinUntil = task(
  broker,
  { ...options, name: "spinUntil" },
  function spinUntil(startedPath: string, releasePath: string, capMs: number): "released" | "cap" {
    writeFileSync(startedPath, "started");
    const ends = Date.now() + capMs;
    while (Date.now() < ends) if (existsSync(releasePath)) return "released";
    return "cap";
  },
);
