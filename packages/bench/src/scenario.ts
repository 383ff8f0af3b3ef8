/** The two queue libraries compared in every scenario. */
export type Side = "alsek" | "bullmq";

/** Sides in the order each repetition runs them (A/B interleaved). */
export const SIDES: readonly Side[] = ["alsek", "bullmq"];

/**
 * A goal for one metric: on the Alsek ÷ BullMQ ratio, or on Alsek's own median
 * (for example `p50 ≤ 2 ms`, or the claim-rate ratio between two backlog sizes).
 */
export interface Target {
  on: "ratio" | "alsek";
  op: ">=" | "<=";
  value: number;
}

/** One number a scenario reports for each side. */
export interface MetricSpec {
  /** Unique inside its scenario. */
  key: string;
  /** What the row in the table says. */
  label: string;
  unit: string;
  /** Which direction is better, for reading the ratio. */
  better: "higher" | "lower";
  target?: Target;
}

/** Message counts of one run mode. */
export interface Sizes {
  /** Jobs enqueued one at a time, each awaited. */
  singleEnqueue: number;
  /** Jobs enqueued in bulk. */
  bulkEnqueue: number;
  /** Jobs per bulk call in `enqueue-bulk`. */
  bulkChunk: number;
  /** Jobs drained by the thread pool / in-process Worker. */
  drain: number;
  /** Jobs drained by the process pool / sandboxed processor. */
  processDrain: number;
  /** Jobs timed in each of the latency scenario's two windows (the pool's first seconds, then steady). */
  latencyMessages: number;
  /** Submit rate of the latency scenario. */
  latencyRatePerSecond: number;
  /** Backlog of the small claim queue. */
  claimSmallBacklog: number;
  /** Backlog of the large claim queue. */
  claimLargeBacklog: number;
  /** Jobs claimed and completed per claim measurement. */
  claimMeasured: number;
  /** Alsek's `claim` limit. */
  claimBatch: number;
  /** Jobs enqueued to measure Redis memory. */
  memoryMessages: number;
}

/** What a scenario gets to run one side once. */
export interface RunContext {
  redisUrl: string;
  sizes: Sizes;
  /** Progress notes for the terminal (stderr). */
  log(message: string): void;
}

/** One measured scenario: the same work for both sides. */
export interface Scenario {
  /** Short kebab-case name, used by `--only`. */
  name: string;
  /** What is measured, for the README and `--help`. */
  description: string;
  metrics: readonly MetricSpec[];
  /**
   * When `false`, the harness does not `FLUSHALL` between repetitions: `prepare` fills Redis once
   * per side (too slow to repeat, e.g. a million-message backlog) and every run reuses it.
   * @defaultValue true
   */
  flushBetweenRuns?: boolean;
  /** Runs once per side before the first repetition. */
  prepare?(side: Side, context: RunContext): Promise<void>;
  /** Runs once after the scenario's last repetition (and after a failure), to stop what it started. */
  teardown?(): Promise<void>;
  /** One repetition for one side; returns a value for every metric key. */
  run(side: Side, context: RunContext): Promise<Record<string, number>>;
}
