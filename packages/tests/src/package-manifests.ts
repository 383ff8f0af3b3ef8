// What each workspace package imports, read from its files, for package-manifests.test.ts. Imports
// are found by TypeScript's own pre-processor (static, dynamic, `require`, `import type`,
// `/// <reference types>`), so comments and strings that look like imports are not counted.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import ts from "typescript";

/** The fields of a package.json this check reads. */
export interface Manifest {
  name: string;
  private?: boolean;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** One workspace package: its folder (relative to the root) and manifest. */
export interface WorkspacePackage {
  dir: string;
  manifest: Manifest;
}

/** One import of a package by a file. */
export interface PackageImport {
  /** The imported package's name (`@alsek/test-support` for `@alsek/test-support/pool-behaviour`). */
  name: string;
  /** The importing file, relative to its package. */
  file: string;
}

const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", "test-output"]);
/** The object of a `.resolve("x")` call that locates a package: `require`, `import.meta`, `createRequire(...)`. */
const RESOLVER = /(^|\.)require$|^import\.meta$|^(\w+\.)?createRequire\(/i;
/** A tool run from its installed folder: `node_modules/publint/src/cli.js`. */
const TOOL_PATH = /node_modules\/((?:@[\w.-]+\/)?[\w.-]+)\//g;

/** The packages under `packages/` and `examples/`. */
export function workspacePackages(root: string): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const group of ["packages", "examples"]) {
    for (const entry of readdirSync(join(root, group)).sort()) {
      const manifestPath = join(root, group, entry, "package.json");
      if (!existsSync(manifestPath)) continue;
      found.push({ dir: join(group, entry), manifest: JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest });
    }
  }
  return found;
}

/** Source files of a package; a nested folder with its own package.json (a fixture project) is another package. */
export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || SKIPPED_FOLDERS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!existsSync(join(path, "package.json"))) files.push(...sourceFiles(path));
    } else if (SOURCE_FILE.test(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

/** The package a bare specifier names, or null for relative paths and Node's built-in modules. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return null;
  if (builtinModules.includes(specifier) || builtinModules.includes(specifier.split("/")[0]!)) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** Packages a piece of source code imports, or locates with `require.resolve` / `import.meta.resolve`. */
export function importedPackages(code: string): string[] {
  const info = ts.preProcessFile(code, true, true);
  const specifiers = [...info.importedFiles, ...info.typeReferenceDirectives].map((reference) => reference.fileName);
  visit(parse(code), (node) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const [first] = node.arguments;
    if (node.expression.name.text === "resolve" && first && ts.isStringLiteralLike(first) && RESOLVER.test(node.expression.expression.getText())) {
      specifiers.push(first.text);
    }
  });
  return specifiers.map(packageOf).filter((name): name is string => name !== null);
}

/** Packages a piece of source code runs as tools rather than imports: from their installed folder, or with `--import`. */
export function toolPackages(code: string): string[] {
  const literals: string[] = [];
  visit(parse(code), (node) => {
    if (ts.isStringLiteralLike(node)) literals.push(node.text);
  });
  const names = literals.flatMap((text, index) => [
    ...[...text.matchAll(TOOL_PATH)].map((match) => match[1]!),
    ...(text === "--import" && literals[index + 1] !== undefined ? [literals[index + 1]!] : []),
  ]);
  return names.map(packageOf).filter((name): name is string => name !== null);
}

function parse(code: string): ts.SourceFile {
  return ts.createSourceFile("source.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function visit(node: ts.Node, onNode: (node: ts.Node) => void): void {
  onNode(node);
  ts.forEachChild(node, (child) => visit(child, onNode));
}

/** Every package import of the files under `dir`. */
export function packageImports(dir: string): PackageImport[] {
  return sourceFiles(dir).flatMap((path) => {
    const file = relative(dir, path);
    return importedPackages(readFileSync(path, "utf8")).map((name) => ({ name, file }));
  });
}

/** Whether a file of a package is a test, a type test or a test helper (never published). */
export function isTestFile(file: string): boolean {
  return /\.test(-d)?\.[cm]?[jt]sx?$/.test(file) || /(^|\/)__(tests|fixtures)__\//.test(file);
}

/** Whether a package publishes a file: its top folder is in the manifest's `files`, and it is no test. */
export function isPublished(file: string, manifest: Manifest): boolean {
  const top = file.split("/")[0]!;
  return !isTestFile(file) && (manifest.files ?? []).some((entry) => entry === top || entry === file);
}

/** Executables a dependency installs into `node_modules/.bin`, read from its manifest. */
export function binariesOf(packageDir: string, dependency: string): string[] {
  const manifestPath = join(packageDir, "node_modules", dependency, "package.json");
  if (!existsSync(manifestPath)) return [];
  const { bin } = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin?: string | Record<string, string> };
  if (typeof bin === "string") return [dependency.split("/").pop()!];
  return Object.keys(bin ?? {});
}
