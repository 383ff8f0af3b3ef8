import { availableParallelism } from "node:os";

/** Fewest processes a {@link ProcessWorkerPool} keeps by default, whatever the CPU count. */
export const MIN_DEFAULT_PROCESSES = 4;

/**
 * Default `nProcesses` of a process pool: `max(4, CPU count)`. A process runs one task at a time,
 * so the process count is the pool's whole concurrency. Sizing it to the CPUs alone (`CPUs − 1`,
 * as the thread pool's process groups are) gives a 2-CPU machine one task at a time, and a task
 * that waits on the network leaves that CPU idle. Four processes keep I/O-bound tasks moving on a
 * small machine; CPU-bound tasks on it are time-sliced (same throughput, each task slower), and
 * each warm process costs about 50 MiB. On larger machines, one process per CPU.
 */
export function defaultProcessPoolSize(): number {
  return Math.max(MIN_DEFAULT_PROCESSES, availableParallelism());
}
