import type { Backend } from "@alsek/core";
import type { ConformanceOptions } from "./conformance-options.js";

/** What each group of conformance tests gets from the suite. */
export interface SuiteContext {
  /** The backend of the running test (fresh namespace). */
  readonly backend: Backend;
  /** The namespace of {@link backend}. */
  readonly namespace: string;
  /** Open another backend on the same storage, closed after the test. */
  open(namespace: string, options?: { eventStreamLength?: number }): Promise<Backend>;
  /** The backend's clock, epoch ms. */
  now(): Promise<number>;
  /** Poll `probe` until it returns something other than `undefined`, or fail after the deadline. */
  eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T>;
  readonly supportsCrossProcessPubSub: boolean;
  /** How long {@link eventually} and watcher waits last before a test fails. */
  readonly eventuallyTimeoutMs: number;
  /** See {@link ConformanceOptions.replaceStoredPayload}; `null` when the backend gave none. */
  readonly replaceStoredPayload: NonNullable<ConformanceOptions["replaceStoredPayload"]> | null;
}
