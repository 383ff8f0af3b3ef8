import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe } from "vitest";
import type { Backend } from "@alsek/core";
import type { BackendFactory, BackendUnderTest, ConformanceOptions } from "./conformance-options.js";
import { registerFlowControlTests } from "./flow-control-tests.js";
import { registerInspectionTests } from "./inspection-tests.js";
import { registerLeaseTests } from "./lease-tests.js";
import { registerLockTests } from "./lock-tests.js";
import { registerNamespaceTests } from "./namespace-tests.js";
import { registerPoisonMessageTests } from "./poison-message-tests.js";
import { registerEventStreamTests } from "./event-stream-tests.js";
import { registerProgressTests } from "./progress-tests.js";
import { registerPubSubTests } from "./pub-sub-tests.js";
import { registerQueueTests } from "./queue-tests.js";
import { registerReplayTests } from "./replay-tests.js";
import { registerResultTests } from "./result-tests.js";
import { registerScheduleTests } from "./schedule-tests.js";
import { registerSkipTaskTests } from "./skip-task-tests.js";
import { registerStatusTests } from "./status-tests.js";
import { registerValueTests } from "./value-tests.js";
import { registerWatchTests } from "./watch-tests.js";
import type { SuiteContext } from "./suite-context.js";

const POLL_INTERVAL_MS = 20;

/**
 * Register the backend conformance suite (vitest `describe`/`it` blocks) for one backend. Every
 * test gets a fresh backend from `factory` on a fresh namespace, and checks one guarantee of the
 * `Backend` contract. Nothing in it depends on timing beyond deadlines for things that must
 * eventually happen, so it runs unchanged on slow backends.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * describeBackendConformance("MemoryBackend", async ({ namespace }) => {
 *   const backend = new MemoryBackend({ namespace, store });
 *   return { backend, cleanup: () => backend.close() };
 * });
 * ```
 */
export function describeBackendConformance(
  name: string,
  factory: BackendFactory,
  options: ConformanceOptions = {},
): void {
  const clock = options.clock ?? Date.now;
  const deadlineMs = options.eventuallyTimeoutMs ?? 10_000;
  let current: { backend: Backend; namespace: string } | undefined;
  let opened: BackendUnderTest[] = [];

  const open = async (namespace: string, extra: { eventStreamLength?: number } = {}): Promise<Backend> => {
    const made = await factory({ namespace, ...extra });
    opened.push(made);
    return made.backend;
  };

  const context: SuiteContext = {
    get backend(): Backend {
      if (current === undefined) throw new Error("The conformance backend exists only inside a test.");
      return current.backend;
    },
    get namespace(): string {
      if (current === undefined) throw new Error("The conformance namespace exists only inside a test.");
      return current.namespace;
    },
    open,
    now: async () => clock(),
    eventually: async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
      const deadline = Date.now() + deadlineMs;
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`Timed out after ${deadlineMs} ms waiting until ${what}.`);
        await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      }
    },
    supportsCrossProcessPubSub: options.supportsCrossProcessPubSub ?? false,
    eventuallyTimeoutMs: deadlineMs,
    replaceStoredPayload: options.replaceStoredPayload ?? null,
  };

  describe(`${name} conforms to the Backend contract`, () => {
    beforeEach(async () => {
      const namespace = `conformance_${randomUUID().slice(0, 8)}`;
      current = { backend: await open(namespace), namespace };
    });

    afterEach(async () => {
      const toClose = opened.reverse();
      opened = [];
      current = undefined;
      for (const made of toClose) await made.cleanup();
    });

    describe("queue", () => registerQueueTests(context));
    describe("leases and fenced writes", () => registerLeaseTests(context));
    describe("fenced writes re-sent after a lost reply", () => registerReplayTests(context));
    describe("guarded status writes", () => registerStatusTests(context));
    describe("progress of running messages", () => registerProgressTests(context));
    describe("event streams", () => registerEventStreamTests(context));
    describe("results", () => registerResultTests(context));
    describe("keyed values", () => registerValueTests(context));
    describe("locks", () => registerLockTests(context));
    describe("pub/sub", () => registerPubSubTests(context));
    describe("watchers", () => registerWatchTests(context));
    describe("namespaces", () => registerNamespaceTests(context));
    describe("inspection", () => registerInspectionTests(context));
    describe("poison messages", () => registerPoisonMessageTests(context));
    describe("schedules", () => registerScheduleTests(context));
    describe("flow control", () => registerFlowControlTests(context));
    describe("skipped tasks", () => registerSkipTaskTests(context));
  });
}
