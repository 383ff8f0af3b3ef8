// Counts what a worker child allocates between the bench's two messages, with V8's sampling heap
// profiler: every sampled allocation counts, including objects the garbage collector already
// freed (so the total is what the code allocated, not what it kept). The profiler's node sizes
// are scaled estimates of all allocations, not only the sampled ones.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Session } from "node:inspector/promises";

/**
 * When set, each stop also writes the sampled profile there (`<pid>.heapprofile`, which Chrome
 * DevTools' Memory tab opens): where the bytes were allocated, by call stack.
 */
const PROFILE_DIR_ENV = "ALSEK_BENCH_HEAP_PROFILE_DIR";

/** Bytes between two samples, on average: small enough for a few thousand samples per drain. */
const SAMPLING_INTERVAL_BYTES = 8_192;

interface SamplingNode {
  selfSize: number;
  children: SamplingNode[];
}

function totalSize(node: SamplingNode): number {
  let total = node.selfSize;
  for (const child of node.children) total += totalSize(child);
  return total;
}

/** One sampling of this thread's heap allocations at a time. */
export class AllocationSampler {
  #session: Session | null = null;

  /** Start counting. */
  async start(): Promise<void> {
    const session = new Session();
    session.connect();
    await session.post("HeapProfiler.enable");
    await session.post("HeapProfiler.startSampling", {
      samplingInterval: SAMPLING_INTERVAL_BYTES,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    this.#session = session;
  }

  /** Stop counting; the estimated bytes allocated since {@link start}. */
  async stop(): Promise<number> {
    const session = this.#session;
    if (session === null) throw new Error("AllocationSampler.stop() before start().");
    this.#session = null;
    const { profile } = (await session.post("HeapProfiler.stopSampling")) as { profile: { head: SamplingNode } };
    session.disconnect();
    const dir = process.env[PROFILE_DIR_ENV];
    if (dir) writeFileSync(join(dir, `${process.pid}.heapprofile`), JSON.stringify(profile));
    return totalSize(profile.head);
  }
}

/**
 * Answer the bench's `allocations-start` / `allocations-stop` messages in this child (both worker
 * entries call it, so each side is counted the same way).
 */
export function answerAllocationRequests(): void {
  const sampler = new AllocationSampler();
  process.on("message", (message: { type?: string }) => {
    if (message.type === "allocations-start") {
      void sampler.start().then(() => process.send?.({ type: "allocations-started" }));
    } else if (message.type === "allocations-stop") {
      void sampler.stop().then((bytes) => process.send?.({ type: "allocations", bytes }));
    }
  });
}
