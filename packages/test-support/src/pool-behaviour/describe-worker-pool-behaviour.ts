import type { WorkerPool } from "@alsek/worker";
import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { registerAbortBehaviour } from "./abort-behaviour.js";
import { registerConstructionBehaviour } from "./construction-behaviour.js";
import { registerFailureBehaviour } from "./failure-behaviour.js";
import { registerOwnProcessBehaviour } from "./own-process-behaviour.js";
import type { PoolBackendFixture } from "./pool-backend-fixture.js";
import { lines, startPoolHarness, type PoolHarness } from "./pool-harness.js";
import type { PoolFixtures, PoolTestContext } from "./pool-test-context.js";
import { registerPoisonMessageBehaviour } from "./poison-message-behaviour.js";
import { registerPrefetchBehaviour } from "./prefetch-behaviour.js";
import { registerRunningBehaviour } from "./running-behaviour.js";
import type { PoolRequest, WorkerPoolSubject } from "./worker-pool-subject.js";

/**
 * Register the behaviours every Alsek worker pool shows (vitest `describe`/`it` blocks) for one
 * pool: construction errors, capacity, queue/priority/FIFO order, hard timeouts with retries,
 * revocation, `message.signal` aborted on timeout, revocation and graceful stop, unknown tasks, other-mechanism messages, crashes, corrupt and malformed stored messages, the guided tour's callbacks,
 * message passing, hooks and retry control, graceful stop, SIGKILL and SIGTERM of the pool's own
 * process, TypeScript task modules. Tasks come from the suite's fixture module, running on
 * `subject.mechanism`, on the backend that `backend` builds (`redisPoolBackend` for a real Redis);
 * results, statuses and dead letters are read back from it.
 *
 * Call it once, at the top level of the pool's test file: it also registers that level's
 * `beforeAll`/`afterEach`/`afterAll` hooks (the backend's storage and a scratch directory per file,
 * pools stopped and data cleared after each test), and returns the context so that the file's own
 * tests use the same setup.
 *
 * @example
 * ```ts
 * import { redisPoolBackend } from "@alsek/test-support/pool-behaviour";
 * import { poolSubject } from "./__fixtures__/pool-subject.js";
 * const pools = describeWorkerPoolBehaviour(poolSubject, redisPoolBackend);
 * it("recycles processes", async () => { const pool = pools.start({ capacity: 1 }, { maxTasksPerProcess: 1 }); ... });
 * ```
 */
export function describeWorkerPoolBehaviour<P extends WorkerPool, O extends object>(
  subject: WorkerPoolSubject<P, O>,
  backend: PoolBackendFixture,
): PoolTestContext<P, O> {
  let harness: PoolHarness | undefined;
  let fixtures: PoolFixtures | undefined;
  const started: P[] = [];

  const live = (): { harness: PoolHarness; fixtures: PoolFixtures } => {
    if (harness === undefined || fixtures === undefined) {
      throw new Error("The pool test context exists only inside a test of the file that described it.");
    }
    return { harness, fixtures };
  };

  const context: PoolTestContext<P, O> = {
    subject,
    backendFixture: backend,
    get tasks() {
      return live().fixtures;
    },
    get dir() {
      return live().harness.dir;
    },
    start(request: Partial<PoolRequest> = {}, options?: O): P {
      const pool = subject.createPool(
        {
          tasks: live().fixtures.allTasks,
          queues: ["alsek_queue"],
          capacity: 2,
          handleSignals: false,
          ...request,
        },
        options,
      );
      started.push(pool);
      void pool.run();
      return pool;
    },
    lines: (file) => lines(live().harness.dir, file),
    result: async (message) => {
      const [stored] = await live().fixtures.backend.getResults([{ queue: message.queue, uuid: message.uuid }], {
        keep: true,
      });
      return stored?.value;
    },
    deadLetter: (message) => live().fixtures.backend.getDeadLetter({ queue: message.queue, uuid: message.uuid }),
  };

  beforeAll(async () => {
    harness = await startPoolHarness(backend, `${subject.mechanism}-pool-test`, subject.mechanism);
    fixtures = await import("../__fixtures__/pool-tasks.js");
    if (fixtures.mechanism !== subject.mechanism) {
      // A second suite in the same test process would find the module already loaded for the first.
      throw new Error(
        `The fixture tasks were loaded for mechanism '${fixtures.mechanism}': ` +
          "describe one worker pool per test file.",
      );
    }
  });

  afterEach(async () => {
    for (const pool of started.splice(0)) await pool.stop();
    await fixtures?.backend.clear();
    harness?.wipe();
  });

  afterAll(async () => {
    await fixtures?.backend.close();
    await harness?.stop();
  });

  describe(`${subject.name} construction`, () => registerConstructionBehaviour(context));
  describe(subject.name, () => {
    registerRunningBehaviour(context);
    registerFailureBehaviour(context);
    registerAbortBehaviour(context);
    registerPrefetchBehaviour(context);
    registerPoisonMessageBehaviour(context);
  });
  describe(`${subject.name} in its own process`, () => registerOwnProcessBehaviour(context));
  return context;
}
