import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import type { ChildMessage, LatencySample, ParentMessage, WorkerChildConfig } from "./protocol.js";

const STOP_TIMEOUT_MS = 15_000;

const ENTRY = {
  alsek: new URL("./alsek-worker.js", import.meta.url),
  bullmq: new URL("./bullmq-worker.js", import.meta.url),
} as const;

const MULTI_QUEUE_ENTRY = {
  alsek: new URL("./multi-queue-alsek-worker.js", import.meta.url),
  bullmq: new URL("./multi-queue-bullmq-worker.js", import.meta.url),
} as const;

/** The bench's handle on a forked worker child (see `bullmq-worker.ts`, `alsek-worker.ts`). */
export class WorkerChild {
  readonly #child: ChildProcess;
  readonly #ready: Promise<void>;
  readonly #latency: Promise<LatencySample[]>;
  readonly #messageOf: <T extends ChildMessage["type"]>(type: T) => Promise<Extract<ChildMessage, { type: T }>>;
  readonly #exited: Promise<never>;

  private constructor(config: WorkerChildConfig) {
    const entry = config.topology === undefined ? ENTRY[config.side] : MULTI_QUEUE_ENTRY[config.side];
    this.#child = fork(entry, [JSON.stringify(config)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const exited = once(this.#child, "exit").then(([code]) => {
      throw new Error(`The ${config.side} worker child exited early with code ${String(code)}; see its stderr above.`);
    });
    const messageOf = <T extends ChildMessage["type"]>(type: T) =>
      new Promise<Extract<ChildMessage, { type: T }>>((resolve) => {
        const listener = (message: ChildMessage): void => {
          if (message.type === type) {
            this.#child.off("message", listener);
            resolve(message as Extract<ChildMessage, { type: T }>);
          }
        };
        this.#child.on("message", listener);
      });
    this.#messageOf = messageOf;
    this.#exited = exited;
    this.#ready = Promise.race([messageOf("ready").then(() => undefined), exited]);
    this.#latency = Promise.race([messageOf("latency").then((message) => message.samples), exited]);
    this.#ready.catch(() => undefined);
    this.#latency.catch(() => undefined);
  }

  /** Fork the child and wait until its worker or pool is running. */
  static async start(config: WorkerChildConfig): Promise<WorkerChild> {
    const child = new WorkerChild(config);
    await child.#ready;
    return child;
  }

  get pid(): number {
    return this.#child.pid as number;
  }

  /** Resolves with the child's latency samples once it has seen `latencyExpected` jobs complete. */
  latencySamples(): Promise<LatencySample[]> {
    return this.#latency;
  }

  /** Start counting what the child allocates (see `allocation-sampler.ts`); resolves once it counts. */
  async startCountingAllocations(): Promise<void> {
    const started = this.#messageOf("allocations-started");
    this.#send({ type: "allocations-start" });
    await Promise.race([started, this.#exited]);
  }

  /** Stop counting; the bytes the child allocated since {@link startCountingAllocations}. */
  async stopCountingAllocations(): Promise<number> {
    const counted = this.#messageOf("allocations");
    this.#send({ type: "allocations-stop" });
    return (await Promise.race([counted, this.#exited])).bytes;
  }

  #send(message: ParentMessage): void {
    this.#child.send(message);
  }

  /** Ask the child to close its worker and exit; kill it if it does not within a bounded time. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exit = once(this.#child, "exit");
    const message: ParentMessage = { type: "stop" };
    this.#child.send(message);
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exit;
    clearTimeout(timer);
  }
}
