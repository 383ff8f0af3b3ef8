let registered = false;

/**
 * Let this process import TypeScript task modules without a build step, through tsx's ESM
 * loader hooks. Idempotent. The pools load tsx in their own workers; this only covers the CLI's
 * process, which imports the target to find its tasks.
 */
export async function registerTypeScript(): Promise<void> {
  if (registered) return;
  const { register } = await import("tsx/esm/api");
  register();
  registered = true;
}
