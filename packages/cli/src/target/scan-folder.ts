import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { isModuleFile } from "./module-extensions.js";

// Folders that hold dependencies, build output copies, tests or tooling, never task definitions.
// Build output is skipped so that scanning a project root does not load every task twice (once
// from `src/`, once from `dist/`), which would be a name collision.
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", "build", "coverage", "test", "tests", "__tests__", "__fixtures__", "__mocks__"]);

// Test files and tool configurations: importing them would run tests or tooling.
const SKIPPED_FILE = /(\.(test|spec|test-d|bench)\.[cm]?[jt]s$)|(\.config\.[cm]?[jt]s$)/;

/**
 * Every module file under `folder`, recursively, sorted by path so that discovery is
 * deterministic. Skips hidden entries, {@link SKIPPED_FOLDERS}, declaration files, test files and
 * `*.config.*` files.
 */
export async function scanFolder(folder: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(folder, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) found.push(...(await scanFolder(path)));
    } else if (entry.isFile() && isModuleFile(entry.name) && !SKIPPED_FILE.test(entry.name)) {
      found.push(path);
    }
  }
  return found.sort();
}
