import type { MessageData } from "@alsek/core";
import type { WorkerPool } from "@alsek/worker";
import type * as PoolFixtureModule from "../__fixtures__/pool-tasks.js";
import type { PoolBackendFixture } from "./pool-backend-fixture.js";
import type { PoolRequest, WorkerPoolSubject } from "./worker-pool-subject.js";

/** The fixture task module (`src/__fixtures__/pool-tasks.ts`): tasks, their broker and backend. */
export type PoolFixtures = typeof PoolFixtureModule;

/** A message as far as the helpers need it. */
export interface MessageRefLike {
  readonly queue: string;
  readonly uuid: string;
}

/**
 * What the behaviours, and a package's own tests, get from `describeWorkerPoolBehaviour`.
 * Everything but {@link subject} exists only while a test runs.
 */
export interface PoolTestContext<P extends WorkerPool = WorkerPool, O extends object = object> {
  readonly subject: WorkerPoolSubject<P, O>;
  /** The backend factory the suite was given. */
  readonly backendFixture: PoolBackendFixture;
  /** The fixture tasks, bound to this file's backend. */
  readonly tasks: PoolFixtures;
  /** Scratch directory the tasks write to; emptied after each test. */
  readonly dir: string;
  /**
   * Create a pool through the subject and run it; it is stopped after the test.
   * `request` defaults: every fixture task, queue `alsek_queue`, capacity 2, no signal handlers.
   */
  start(request?: Partial<PoolRequest>, options?: O): P;
  /** Lines a task appended to `file` in {@link dir}. */
  lines(file: string): string[];
  /** The stored result of a message (kept), or `undefined`. */
  result(message: MessageRefLike): Promise<unknown>;
  /** The dead-lettered data of a message, or `null`. */
  deadLetter(message: MessageRefLike): Promise<MessageData | null>;
}
