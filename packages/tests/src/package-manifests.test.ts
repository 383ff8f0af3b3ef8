// The manifest check: every workspace package (packages/*, examples/*) declares exactly what its
// files use. A package imported but not declared works in the workspace by accident (hoisting, a
// sibling's node_modules) and breaks for whoever installs it; one declared but never used is
// weight for every install. Published files may only import runtime dependencies.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  binariesOf,
  importedPackages,
  isPublished,
  type Manifest,
  packageImports,
  packageOf,
  sourceFiles,
  toolPackages,
  workspacePackages,
} from "./package-manifests.js";
import { documentationFiles, extractBlocks } from "./readme-code-blocks.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const packages = workspacePackages(ROOT);

const declared = (manifest: Manifest): Set<string> =>
  new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.devDependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);

/** Imports by the documentation's code blocks, which run from packages/tests (readme-code-blocks.test.ts). */
const documentationImports = documentationFiles(ROOT)
  .flatMap((file) => extractBlocks(ROOT, file))
  .filter((block) => block.mode !== "skip")
  .flatMap((block) => importedPackages(block.code).map((name) => ({ name, file: `${block.document}:${block.line}` })));

/** One line per package: `vitest (imported by src/a.test.ts and 3 more)`. */
function describeImports(entries: readonly { name: string; file: string }[]): string[] {
  const byName = new Map<string, string[]>();
  for (const entry of entries) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry.file]);
  return [...byName].map(([name, files]) => `${name} (imported by ${files[0]}${files.length > 1 ? ` and ${files.length - 1} more` : ""})`);
}

function importsOf(dir: string, manifest: Manifest) {
  const own = packageImports(join(ROOT, dir)).filter((entry) => entry.name !== manifest.name);
  return manifest.name === "@alsek/tests" ? [...own, ...documentationImports] : own;
}

describe("the import scanner", () => {
  it("finds static, type-only, dynamic, require and resolve imports, and skips comments, strings and built-ins", () => {
    const code = [
      'import { a } from "alpha";',
      'import type { B } from "@scope/beta/sub";',
      'const c = await import("gamma");',
      'const d = require("delta");',
      'const e = require.resolve("epsilon/package.json");',
      'const f = createRequire(import.meta.url).resolve("zeta/package.json");',
      'const g = Promise.resolve("not-a-package");',
      'import { readFileSync } from "node:fs";',
      'import { join } from "path";',
      'import { x } from "./local.js";',
      '// import { z } from "theta";',
      'const text = `import { y } from "eta"`;',
    ].join("\n");
    expect(importedPackages(code).sort()).toEqual(["@scope/beta", "alpha", "delta", "epsilon", "gamma", "zeta"]);
  });

  it("finds tools run from their installed folder or loaded with --import", () => {
    const code = 'run([join(DIR, "node_modules/some-linter/src/cli.js")]); run(["--import", "some-loader", file]);';
    expect(toolPackages(code).sort()).toEqual(["some-linter", "some-loader"]);
  });

  it("reads the real packages: core imports nanoid from a published file", () => {
    const core = packages.find((entry) => entry.manifest.name === "@alsek/core")!;
    expect(packageImports(join(ROOT, core.dir)).some((entry) => entry.name === "nanoid" && isPublished(entry.file, core.manifest))).toBe(true);
    expect(packageOf("@alsek/core/backend")).toBe("@alsek/core");
  });
});

describe.each(packages.map((entry) => [entry.manifest.name, entry] as const))("%s", (_name, { dir, manifest }) => {
  const imports = importsOf(dir, manifest);

  it("declares every package its files import", () => {
    const names = declared(manifest);
    expect(describeImports(imports.filter((entry) => !names.has(entry.name)))).toEqual([]);
  });

  it("uses every package it declares: imports it, runs one of its binaries or tools, or types one that it imports", () => {
    const packageDir = join(ROOT, dir);
    const imported = new Set(imports.map((entry) => entry.name));
    const tools = new Set(sourceFiles(packageDir).flatMap((file) => toolPackages(readFileSync(file, "utf8"))));
    const scripts = Object.values(manifest.scripts ?? {});
    const runsBinary = (dependency: string) =>
      binariesOf(packageDir, dependency).some((bin) => scripts.some((script) => new RegExp(`(^|[\\s&|;])${bin}(\\s|$)`).test(script)));
    const typesImported = (dependency: string) =>
      dependency.startsWith("@types/") && imported.has(dependency.slice("@types/".length).replace(/^(.+)__(.+)$/, "@$1/$2"));
    const unused = [...declared(manifest)].filter((dependency) => !imported.has(dependency) && !tools.has(dependency) && !runsBinary(dependency) && !typesImported(dependency));
    expect(unused).toEqual([]);
  });

  it.skipIf(manifest.private === true)("publishes files that import only its dependencies and peer dependencies", () => {
    const runtime = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
    ]);
    expect(describeImports(imports.filter((entry) => isPublished(entry.file, manifest) && !runtime.has(entry.name)))).toEqual([]);
  });
});
