import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { MemoryBackend } from "@alsek/core";
import type { Backend } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { SqliteBackend } from "@alsek/sqlite";
import { startRedisServer } from "@alsek/test-support";
import type { RedisServer } from "@alsek/test-support";

/** What a test body gets: its backend, and a way to open another connection to the same data. */
export interface BackendContext {
  /** A fresh, empty backend for the current test. */
  backend(): Backend;
  /**
   * Another backend on the same data, as a second process would have (a second Redis connection,
   * a second connection to the SQLite file; the same instance for the in-memory backend, which
   * cannot be shared across processes).
   */
  peer(): Backend;
  /** Which backend the tests run on. */
  readonly kind: BackendKind;
}

/** The backends every results suite runs on. */
export type BackendKind = "memory" | "redis" | "sqlite";

let namespaces = 0;

/** Register `body` against a `MemoryBackend`, a real Redis and a SQLite file. */
export function describeOnBackends(title: string, body: (context: BackendContext) => void): void {
  for (const kind of ["memory", "redis", "sqlite"] as const) {
    describe(`${title} (${kind})`, () => {
      let server: RedisServer | null = null;
      let sqliteDir: string | null = null;
      let current: Backend | null = null;
      let namespace = "";
      const opened: Backend[] = [];
      beforeAll(async () => {
        if (kind === "redis") server = await startRedisServer();
        if (kind === "sqlite") sqliteDir = mkdtempSync(join(tmpdir(), "alsek-results-"));
      });
      afterEach(async () => {
        current = null;
        await Promise.all(opened.splice(0).map((b) => b.close()));
      });
      afterAll(async () => {
        await server?.stop();
        if (sqliteDir !== null) rmSync(sqliteDir, { recursive: true, force: true });
      });
      const open = (): Backend => {
        const backend =
          kind === "memory"
            ? new MemoryBackend()
            : kind === "redis"
              ? new RedisBackend((server as RedisServer).url, { namespace })
              : new SqliteBackend(join(sqliteDir as string, "results.db"), { namespace });
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
