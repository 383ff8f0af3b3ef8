// Copies the Lua scripts next to the compiled modules: script-set.js reads them at runtime
// relative to its own URL, from src/ under vitest and from dist/ once built.
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const from = fileURLToPath(new URL("../src/scripts/", import.meta.url));
const to = fileURLToPath(new URL("../dist/scripts/", import.meta.url));
mkdirSync(to, { recursive: true });
for (const file of readdirSync(from)) {
  if (file.endsWith(".lua")) cpSync(from + file, to + file);
}
