let registered = false;

/**
 * Let this process import TypeScript task modules without a build step. Idempotent. Both of tsx's
 * hooks are registered, as `node --import tsx` does: the ESM hooks alone cannot load a `.ts` (or
 * `.cts`) module that Node treats as CommonJS (any `.ts` in a package without `"type": "module"`):
 * that fails with ERR_REQUIRE_CYCLE_MODULE. The pools load tsx the same way in their own workers;
 * this only covers the CLI's process, which imports the target to find its tasks.
 */
export async function registerTypeScript(): Promise<void> {
  if (registered) return;
  const [cjs, esm] = await Promise.all([import("tsx/cjs/api"), import("tsx/esm/api")]);
  cjs.register();
  esm.register();
  registered = true;
}
