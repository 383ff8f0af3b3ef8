import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { MemoryBackend } from "@alsek/core";
import type { Backend } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { startRedisServer } from "@alsek/test-support";
import type { RedisServer } from "@alsek/test-support";

/** What a test body gets: its backend, and a way to open another connection to the same data. */
export interface BackendContext {
  /** A fresh, empty backend for the current test. */
  backend(): Backend;
  /**
   * Another backend on the same data, as a second process would have (a second Redis connection;
   * the same instance for the in-memory backend, which cannot be shared across processes).
   */
  peer(): Backend;
  /** `"memory"` or `"redis"`. */
  readonly kind: "memory" | "redis";
}

let namespaces = 0;

/** Register `body` once against a `MemoryBackend` and once against a real Redis. */
export function describeOnBackends(title: string, body: (context: BackendContext) => void): void {
  for (const kind of ["memory", "redis"] as const) {
    describe(`${title} (${kind})`, () => {
      let server: RedisServer | null = null;
      let current: Backend | null = null;
      let namespace = "";
      const opened: Backend[] = [];
      beforeAll(async () => {
        if (kind === "redis") server = await startRedisServer();
      });
      afterEach(async () => {
        current = null;
        await Promise.all(opened.splice(0).map((b) => b.close()));
      });
      afterAll(async () => {
        await server?.stop();
      });
      const open = (): Backend => {
        const backend =
          kind === "memory" ? new MemoryBackend() : new RedisBackend((server as RedisServer).url, { namespace });
        opened.push(backend);
        return backend;
      };
      const backend = (): Backend => {
        if (current === null) {
          namespace = `results-test-${++namespaces}`;
          current = open();
        }
        return current;
      };
      body({
        kind,
        backend,
        peer: () => {
          const shared = backend();
          return kind === "memory" ? shared : open();
        },
      });
    });
  }
}
