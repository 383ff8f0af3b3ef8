export { describeWorkerPoolBehaviour } from "./describe-worker-pool-behaviour.js";
export type { PoolRequest, WorkerPoolSubject } from "./worker-pool-subject.js";
export type { PoolBackendFixture, StartedPoolStorage } from "./pool-backend-fixture.js";
export { poolBackend as redisPoolBackend } from "./redis-pool-backend.js";
export type { MessageRefLike, PoolFixtures, PoolTestContext } from "./pool-test-context.js";
export { lines, until } from "./pool-harness.js";
export { describePoisonMessagePool, type PoisonPoolSubject } from "./describe-poison-message-pool.js";
export { InlineWorkerPool, type InlineWorkerPoolOptions } from "./inline-worker-pool.js";
export { busiestWindow, describeFlowControlPool, type FlowControlPoolSubject } from "./describe-flow-control-pool.js";
