import type { Backend, MessageRef } from "@alsek/core";

/** The storage a pool behaviour suite runs on, started once per test file. */
export interface StartedPoolStorage {
  /**
   * Environment variables the backend module reads in {@link PoolBackendFixture.createBackend}
   * (a server URL, a file path). They are set in the test process before the fixture tasks are
   * imported, so the pools' threads and child processes, which import the tasks again, inherit them.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Stop the storage (after the file's last test). */
  stop(): Promise<void>;
}

/**
 * How `describeWorkerPoolBehaviour` gets its backend: a factory, so the suite runs on any backend
 * that several processes can share. The fixture tasks build their backend with it in every thread
 * and process of the pool under test, so it lives in a module of its own ({@link moduleUrl}) that
 * exports this fixture as `poolBackend`; keep that module free of test code.
 */
export interface PoolBackendFixture {
  /** Name for titles and errors (`"Redis"`). */
  readonly name: string;
  /** `import.meta.url` of the module that exports this fixture as `poolBackend`. */
  readonly moduleUrl: string;
  /** Start the storage for one test file. */
  start(): Promise<StartedPoolStorage>;
  /** A backend on the started storage (read `process.env`), in namespace `namespace`. */
  createBackend(namespace: string): Backend;
  /**
   * Overwrite what is stored for the queued message `ref` with `payload`, keeping the rest of the
   * entry, as a bad producer would (the conformance suite's hook of the same name).
   */
  replaceStoredPayload(backend: Backend, ref: MessageRef, payload: string): Promise<void>;
}
