/**
 * Extensions of task modules, in order of preference when a target is given without one:
 * sources first, so a project with both `tasks.ts` and a stale `tasks.js` next to it runs the
 * source.
 */
export const MODULE_EXTENSIONS: readonly string[] = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];

/** Whether `file` is a task module by its name (a declaration file is not). */
export function isModuleFile(file: string): boolean {
  if (/\.d\.[cm]?ts$/.test(file)) return false;
  return MODULE_EXTENSIONS.some((extension) => file.endsWith(extension));
}

/** Whether `file` needs the TypeScript loader. */
export function isTypeScriptFile(file: string): boolean {
  return /\.[cm]?ts$/.test(file);
}
