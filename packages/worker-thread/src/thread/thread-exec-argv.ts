import { Worker, type ResourceLimits } from "node:worker_threads";

/** How a worker thread gets the pool's Node flags. */
export interface ThreadFlags {
  /** Flags to pass as the thread's `execArgv`; `undefined`: inherit this process's (every flag applies). */
  execArgv: string[] | undefined;
  /** Heap limits read from the flags, set on the thread explicitly. */
  resourceLimits: ResourceLimits;
}

const MEMORY_FLAGS: readonly [RegExp, keyof ResourceLimits, (value: number) => number][] = [
  [/^--max[-_]old[-_]space[-_]size=(\d+(?:\.\d+)?)$/, "maxOldGenerationSizeMb", (mb) => mb],
  // V8's young generation is three semi-spaces (two for scavenging, one for large objects).
  [/^--max[-_]semi[-_]space[-_]size=(\d+(?:\.\d+)?)$/, "maxYoungGenerationSizeMb", (mb) => 3 * mb],
  // In KiB, as V8 takes it.
  [/^--stack[-_]size=(\d+(?:\.\d+)?)$/, "stackSizeMb", (kib) => kib / 1024],
];

/** The heap flags of `execArgv` as a thread's `resourceLimits` (the last of each wins, as in V8). */
export function threadResourceLimits(execArgv: readonly string[]): ResourceLimits {
  const limits: ResourceLimits = {};
  for (const flag of execArgv) {
    for (const [pattern, limit, convert] of MEMORY_FLAGS) {
      const match = pattern.exec(flag);
      if (match) limits[limit] = convert(Number(match[1]));
    }
  }
  return limits;
}

/** `execArgv` cut into one flag with the values that follow it (`--import tsx` is one). */
function flagGroups(execArgv: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (const token of execArgv) {
    const last = groups.at(-1);
    // Node's flags start with a dash; anything else is the value of the flag before it.
    if (last && !token.startsWith("-")) last.push(token);
    else groups.push([token]);
  }
  return groups;
}

const accepted = new Map<string, boolean>();

/**
 * Whether a worker thread takes `group` in its `execArgv`, asked of Node itself: its `Worker`
 * constructor refuses a flag it does not accept before any thread starts, and a flag it takes
 * starts a throwaway thread, ended at once. Remembered per process.
 */
function threadAccepts(group: readonly string[]): boolean {
  const key = group.join("\0");
  let known = accepted.get(key);
  if (known === undefined) {
    try {
      const probe = new Worker("", { eval: true, execArgv: [...group], stdout: true, stderr: true });
      probe.unref();
      void probe.terminate();
      known = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ERR_WORKER_INVALID_EXEC_ARGV") throw error;
      known = false;
    }
    accepted.set(key, known);
  }
  return known;
}

/**
 * The Node flags and heap limits of the pool's worker threads, from `kept` (the flags the pool
 * shares with its workers, see core's `childExecArgv`) and `own` (this process's flags).
 *
 * Worker threads refuse V8 flags and process-wide Node flags in `execArgv`
 * (`ERR_WORKER_INVALID_EXEC_ARGV` for `--max-old-space-size`, `--expose-gc`, `--stack-size`,
 * `--title`...), though they are in effect in every thread of the process anyway. So a thread
 * inherits this process's flags when the pool keeps all of them (Node then applies each), and
 * otherwise gets only the kept flags it accepts. Heap sizes are passed as `resourceLimits` either way.
 */
export function threadFlags(kept: readonly string[], own: readonly string[] = process.execArgv): ThreadFlags {
  const resourceLimits = threadResourceLimits(kept);
  if (kept.length === own.length && kept.every((flag, index) => flag === own[index])) {
    return { execArgv: undefined, resourceLimits };
  }
  return { execArgv: flagGroups(kept).filter(threadAccepts).flat(), resourceLimits };
}
