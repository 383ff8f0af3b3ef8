// A published package's README is shown on its registry page, where a relative link (to a source
// file, to another package, to docs/) resolves nowhere. Every link there must be absolute or an
// anchor of the page itself, and no text may point at a path of a development machine.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

function publishedReadmes(): string[] {
  return readdirSync(join(ROOT, "packages"))
    .map((entry) => join(ROOT, "packages", entry))
    .filter((dir) => existsSync(join(dir, "package.json")) && existsSync(join(dir, "README.md")))
    .filter((dir) => (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { private?: boolean }).private !== true)
    .map((dir) => join(dir, "README.md"));
}

it("links only to absolute URLs or in-page anchors in every published package's README", () => {
  const readmes = publishedReadmes();
  expect(readmes.length).toBeGreaterThan(0);
  const broken: string[] = [];
  for (const file of readmes) {
    const text = readFileSync(file, "utf8");
    const relativeFile = file.slice(ROOT.length);
    for (const match of text.matchAll(/\]\(([^)\s]+)[^)]*\)|<a\s[^>]*href="([^"]+)"/g)) {
      const target = match[1] ?? match[2]!;
      if (!/^(https?:|mailto:|#)/.test(target)) broken.push(`${relativeFile}: ${target}`);
    }
    for (const match of text.matchAll(/\/work\/[\w/.-]+/g)) broken.push(`${relativeFile}: ${match[0]}`);
  }
  expect(broken).toEqual([]);
});
