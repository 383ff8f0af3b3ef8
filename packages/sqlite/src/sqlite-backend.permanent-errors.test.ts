import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PermanentBackendError } from "@alsek/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDirectory } from "./__fixtures__/temp-database.js";
import { SqliteBackend } from "./index.js";

let dir: ReturnType<typeof tempDirectory>;

beforeEach(() => {
  dir = tempDirectory();
});

afterEach(() => {
  dir.remove();
});

describe("failures retrying cannot fix", () => {
  it("reports a file that is not a SQLite database as a PermanentBackendError naming the file", async () => {
    const file = dir.path("not-a-database.db");
    writeFileSync(file, "this is a text file, not a database\n".repeat(200));
    const backend = new SqliteBackend(file);
    try {
      const failure = await backend.claim({ queues: ["q"], limit: 1, leaseMs: 1_000 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PermanentBackendError);
      expect((failure as Error).message).toContain(file);
      expect((failure as Error).message).toContain("SQLITE_NOTADB");
    } finally {
      await backend.close();
    }
  });

  it("reports a database in a folder that does not exist as a PermanentBackendError", async () => {
    const backend = new SqliteBackend(join(dir.path("missing-folder"), "alsek.db"));
    try {
      await expect(backend.countQueue("q")).rejects.toBeInstanceOf(PermanentBackendError);
    } finally {
      await backend.close();
    }
  });
});
