import type { Backend, MessageRef } from "@alsek/core";

/** What the suite asks a {@link BackendFactory} for. */
export interface BackendRequest {
  /**
   * Namespace of the backend to create. The suite picks a fresh one per test, and asks for a
   * second backend with another (or the same) namespace to check isolation and sharing, so every
   * backend the factory returns must use the same storage (one Redis server, one SQLite file,
   * one `MemoryStore`).
   */
  namespace: string;
  /**
   * Record event streams (the backend's `events` option) with this cap per queue; absent: the
   * backend's default (off). The event-stream tests ask for it.
   */
  eventStreamLength?: number;
}

/** A backend made for one test and how to dispose of it. */
export interface BackendUnderTest {
  backend: Backend;
  /** Close the backend (and delete its data if you like). Called after each test. */
  cleanup(): Promise<void>;
}

/** Creates backends for the conformance suite; see {@link BackendRequest}. */
export type BackendFactory = (request: BackendRequest) => Promise<BackendUnderTest>;

/** Options of `describeBackendConformance`. */
export interface ConformanceOptions {
  /**
   * Whether publish/subscribe cross processes (`backend.supportsPubSub`). When `true` the suite
   * also checks that `supportsPubSub` is `true` and that a second backend instance on the same
   * namespace receives what the first publishes. In-process delivery (a backend to its own
   * subscribers) is checked for every backend.
   * @defaultValue `false`
   */
  supportsCrossProcessPubSub?: boolean;
  /**
   * The backend's clock in epoch ms, used to compute `readyAt` values in the future. Give it when
   * the backend judges time on another machine's clock.
   * @defaultValue `Date.now`
   */
  clock?: () => number | Promise<number>;
  /**
   * How long a test waits for something that must eventually happen (a delay passing, a lease
   * expiring, a message being delivered) before failing.
   * @defaultValue `10_000`
   */
  eventuallyTimeoutMs?: number;
  /**
   * Overwrite what is stored for the queued message `ref` with `payload`, as if its producer (or
   * the storage) had written it: the data part exactly as the backend's serializer would have,
   * leaving the rest of the entry (order, score, state) alone. The poison-message tests use it to
   * store truncated, `null` and malformed payloads; without it they are skipped.
   * @defaultValue none
   */
  replaceStoredPayload?: (backend: Backend, ref: MessageRef, payload: string) => Promise<void>;
}
