import { readdirSync, readFileSync } from "node:fs";

function readParentPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
  } catch {
    return null;
  }
}

function readRssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** `root` and every live descendant of it (Linux `/proc`). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = readParentPid(pid);
    if (parent === null) continue;
    const list = children.get(parent) ?? [];
    list.push(pid);
    children.set(parent, list);
  }
  const tree: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Re-list the tree only every this many samples: scanning `/proc` costs the bench CPU that the measured workers share. */
const TREE_REFRESH_EVERY = 10;

/**
 * Samples the summed resident set size of a process and its descendants on an interval and keeps
 * the peak. Threads share their process's RSS, so worker threads are counted once, in their
 * process.
 */
export class PeakRssSampler {
  #peak = 0;
  #timer: NodeJS.Timeout;

  constructor(rootPid: number, intervalMs = 100) {
    let tree = processTree(rootPid);
    let samples = 0;
    const sample = (): void => {
      samples += 1;
      if (samples % TREE_REFRESH_EVERY === 0) tree = processTree(rootPid);
      const total = tree.reduce((sum, pid) => sum + readRssBytes(pid), 0);
      if (total > this.#peak) this.#peak = total;
    };
    sample();
    this.#timer = setInterval(sample, intervalMs);
  }

  /** Stop sampling and return the peak in bytes. */
  stop(): number {
    clearInterval(this.#timer);
    return this.#peak;
  }
}
