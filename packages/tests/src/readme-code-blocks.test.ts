// Every ```ts block of the documentation compiles, and runs when it can: a README can never drift
// from the code again. Markers and file naming: see readme-code-blocks.ts and the root README's
// Development section. Blocks are compiled against the *built* packages' declarations (as a user
// gets them) and run with tsx from packages/tests/.readme-blocks (git-ignored).
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { documentationFiles, documentFolder, extractBlocks, type CodeBlock } from "./readme-code-blocks.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const BLOCKS_DIR = fileURLToPath(new URL("../.readme-blocks/", import.meta.url));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
/** A safety net against a block that never exits, not a speed assertion. */
const RUN_TIMEOUT_MS = 60_000;
const run = promisify(execFile);

const blocks = documentationFiles(ROOT).flatMap((file) => extractBlocks(ROOT, file));
const checked = blocks.filter((block) => block.mode !== "skip");
/** Blocks that would talk to a Redis server (by default the one on :6379): never run here. */
const needsServer = (block: CodeBlock): boolean => /@alsek\/redis|from "ioredis"/.test(block.code);

/** Writes `blocks` under `dir` (one folder per document) with a strict tsconfig over all of them. */
function writeBlocks(dir: string, toWrite: readonly CodeBlock[]): Map<string, CodeBlock> {
  rmSync(dir, { recursive: true, force: true });
  const byPath = new Map<string, CodeBlock>();
  for (const block of toWrite) {
    const path = join(documentFolder(block.document), block.fileName);
    if (byPath.has(path)) throw new Error(`${block.document}:${block.line}: a second block named ${block.fileName}`);
    byPath.set(path, block);
    mkdirSync(join(dir, documentFolder(block.document)), { recursive: true });
    // `export {}` keeps a block without imports a module (top-level await, own scope).
    writeFileSync(join(dir, path), `${block.code}export {};\n`);
  }
  const tsconfig = {
    extends: join(ROOT, "tsconfig.base.json"),
    compilerOptions: {
      noEmit: true,
      composite: false,
      declaration: false,
      declarationMap: false,
      incremental: false,
      // Documentation names values to show them (`const backend = new RedisBackend()`); an unused
      // name there is an illustration, not a defect.
      noUnusedLocals: false,
      noUnusedParameters: false,
    },
    include: ["**/*.ts"],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  return byPath;
}

/** Compiler errors of the blocks under `dir`, each pointed at its document and line. */
async function typeErrors(dir: string, byPath: Map<string, CodeBlock>): Promise<string[]> {
  const output = await run(process.execPath, [TSC, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { cwd: dir }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  return output
    .split("\n")
    .filter((line) => /error TS\d+/.test(line))
    .map((line) => {
      const match = /^(.+?\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
      const block = match ? byPath.get(match[1]!) : undefined;
      if (!match || !block) return line;
      // The fence is on block.line; the block's first line is the next one.
      return `${block.document}:${block.line + Number(match[2])}: ${match[4]}`;
    });
}

let byPath: Map<string, CodeBlock>;
beforeAll(() => {
  byPath = writeBlocks(BLOCKS_DIR, checked);
});

describe("documentation code blocks", () => {
  it("every unmarked or typecheck-only ```ts block compiles against the built packages", async () => {
    expect(checked.length).toBeGreaterThan(0);
    expect(await typeErrors(BLOCKS_DIR, byPath)).toEqual([]);
  }, 120_000);

  it("every marker says why the block is not run", () => {
    const unexplained = blocks.filter((block) => block.mode !== "run" && block.reason === null);
    expect(unexplained.map((block) => `${block.document}:${block.line}`)).toEqual([]);
  });

  it("marks every block that needs a Redis server typecheck-only (it is never run here)", () => {
    const unmarked = checked.filter((block) => block.mode === "run" && needsServer(block));
    expect(unmarked.map((block) => `${block.document}:${block.line}`)).toEqual([]);
  });

  it("reports an unmarked block that does not compile, at its document and line", async () => {
    const dir = join(BLOCKS_DIR, "..", ".readme-blocks-probe");
    const probe: CodeBlock = {
      document: "probe/README.md",
      line: 10,
      mode: "run",
      reason: null,
      fileName: "block-line-10.ts",
      code: 'import { task } from "@alsek/core";\nconst n: number = "not a number";\n',
    };
    try {
      const errors = await typeErrors(dir, writeBlocks(dir, [probe]));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^probe\/README\.md:12: error TS2322/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  const runnable = checked.filter((block) => block.mode === "run" && !needsServer(block));
  it.each(runnable.map((block) => [`${block.document}:${block.line}`, block] as const))(
    "%s runs and exits 0",
    async (_, block) => {
      const folder = join(BLOCKS_DIR, documentFolder(block.document));
      const env = { ...process.env };
      delete env.REDIS_URL;
      await run(process.execPath, ["--import", "tsx", block.fileName], { cwd: folder, env, timeout: RUN_TIMEOUT_MS });
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});
