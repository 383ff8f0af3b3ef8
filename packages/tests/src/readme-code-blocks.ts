// Finds the TypeScript code blocks of the repository's documentation, for
// readme-code-blocks.test.ts. A block is a ```ts (or ```typescript) fence; the HTML comment on the
// line right before it (blank lines between are allowed) says how it is checked:
//   (none)                                    type-checked, then run; it must exit 0 on its own
//   <!-- readme-test: typecheck-only (why) -->  type-checked, not run (needs a server, runs forever)
//   <!-- readme-test: skip (why) -->            neither: a fragment that cannot compile alone
// A block whose first line is a comment naming a file (`// tasks.ts`) is written under that name,
// so that another block of the same document can import it (`import { add } from "./tasks.js"`).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** How a block is checked. */
export type BlockMode = "run" | "typecheck-only" | "skip";

/** One code block of one document. */
export interface CodeBlock {
  /** The document, relative to the repository root. */
  document: string;
  /** Line of the opening fence (1-based). */
  line: number;
  mode: BlockMode;
  /** Why it is not run or not checked (from the marker). */
  reason: string | null;
  /** File name the block is written to (inside the document's own folder). */
  fileName: string;
  code: string;
}

const FENCE = /^```(ts|typescript)\s*$/;
const MARKER = /^<!--\s*readme-test:\s*(typecheck-only|skip)\s*(?:\((.*)\))?\s*-->$/;
const NAMED_FILE = /^\/\/\s*([\w.-]+\.ts)\b/;

/** The documents whose blocks are checked: the root README, every package's and example's README, docs/*.md. */
export function documentationFiles(root: string): string[] {
  const files = [join(root, "README.md")];
  for (const group of ["packages", "examples"]) {
    for (const entry of readdirSync(join(root, group)).sort()) {
      const readme = join(root, group, entry, "README.md");
      if (existsSync(readme)) files.push(readme);
    }
  }
  if (existsSync(join(root, "docs"))) {
    for (const entry of readdirSync(join(root, "docs")).sort()) {
      if (entry.endsWith(".md")) files.push(join(root, "docs", entry));
    }
  }
  return files;
}

/** The TypeScript blocks of one document, with their markers. */
export function extractBlocks(root: string, file: string): CodeBlock[] {
  const document = relative(root, file);
  const lines = readFileSync(file, "utf8").split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!FENCE.test(lines[i]!)) continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i]!); i += 1) body.push(lines[i]!);
    let previous = start - 1;
    while (previous >= 0 && lines[previous]!.trim() === "") previous -= 1;
    const marker = previous >= 0 ? MARKER.exec(lines[previous]!.trim()) : null;
    const named = NAMED_FILE.exec(body[0] ?? "");
    blocks.push({
      document,
      line: start + 1,
      mode: (marker?.[1] as BlockMode | undefined) ?? "run",
      reason: marker?.[2]?.trim() || null,
      fileName: named?.[1] ?? `block-line-${start + 1}.ts`,
      code: `${body.join("\n")}\n`,
    });
  }
  return blocks;
}

/** A folder name for a document's blocks (`packages/core/README.md` → `packages-core-README`). */
export function documentFolder(document: string): string {
  return document.replace(/\.md$/, "").replace(/[^\w]+/g, "-");
}
