import { stat } from "node:fs/promises";
import { isAbsolute, resolve, sep } from "node:path";
import { TargetNotFoundError } from "../errors/index.js";
import { MODULE_EXTENSIONS, isModuleFile } from "./module-extensions.js";
import { scanFolder } from "./scan-folder.js";

/** What a TARGET named. */
export interface ResolvedTarget {
  /** `"module"` for one file, `"folder"` for a folder scanned recursively. */
  kind: "module" | "folder";
  /** Absolute path of the file or folder. */
  path: string;
  /** Absolute paths of the module files to import, sorted. */
  modules: string[];
}

async function kindOf(path: string): Promise<"file" | "folder" | null> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return "folder";
    return info.isFile() ? "file" : null;
  } catch {
    return null;
  }
}

/** Paths a target may mean, in the order they are tried. */
function candidates(target: string, cwd: string): string[] {
  const spellings = [target];
  // A dotted path (`my_project.my_tasks`) as the original takes it: dots separate folders.
  // Only for plain names: `./x.y` or `a/b.c` are paths already.
  const dotted = target.split(".");
  if (!target.includes("/") && !target.includes(sep) && dotted.length > 1 && dotted.every((part) => part.length > 0)) {
    spellings.push(dotted.join(sep));
  }
  const paths: string[] = [];
  for (const spelling of spellings) {
    const base = isAbsolute(spelling) ? spelling : resolve(cwd, spelling);
    paths.push(base, ...MODULE_EXTENSIONS.map((extension) => base + extension));
  }
  return paths;
}

/**
 * Find what `target` names, relative to `cwd`: a module file (`my_tasks`, `my_tasks.ts`,
 * `my_tasks.js`), a dotted path (`my_project.my_tasks` → `my_project/my_tasks.(ts|mts|js|mjs)`) or
 * a folder, whose module files are then listed recursively.
 * @throws TargetNotFoundError when nothing matches, listing what was tried.
 */
export async function resolveTarget(target: string, cwd: string = process.cwd()): Promise<ResolvedTarget> {
  if (target.trim().length === 0) {
    throw new TargetNotFoundError("The target is empty: name a task module file, a dotted module path or a folder.");
  }
  const tried = candidates(target, cwd);
  for (const path of tried) {
    const kind = await kindOf(path);
    if (kind === "folder") return { kind: "folder", path, modules: await scanFolder(path) };
    if (kind === "file" && isModuleFile(path)) return { kind: "module", path, modules: [path] };
  }
  throw new TargetNotFoundError(
    `Target '${target}' not found: no module file (${MODULE_EXTENSIONS.join(", ")}), dotted module path ` +
      `or folder of that name in ${cwd}. Tried:\n  ${[...new Set(tried)].join("\n  ")}`,
  );
}
