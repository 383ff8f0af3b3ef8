import { sharedClockMs } from "../clock.js";
import type { ChildMessage, LatencySample } from "./protocol.js";

/**
 * Collects latency samples in the worker child and sends them to the bench in one message when
 * the expected count is reached, so reporting costs nothing while jobs run.
 */
export class LatencyRecorder {
  readonly #samples: LatencySample[] = [];
  readonly #expected: number;

  constructor(expected: number) {
    this.#expected = expected;
  }

  /** Record a completed job whose function started at `start`. */
  completed(id: string, start: unknown): void {
    this.#samples.push({ id, start: typeof start === "number" ? start : Number.NaN, end: sharedClockMs() });
    if (this.#samples.length === this.#expected) {
      const message: ChildMessage = { type: "latency", samples: this.#samples };
      process.send?.(message);
    }
  }
}
