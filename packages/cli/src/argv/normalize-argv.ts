/**
 * Rewrite the guided tour's `-qu` short flag into `--queues` before yargs sees it: yargs reads a
 * two-letter single-dash flag as the flags `-q -u`. Everything after a bare `--` is left alone.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let passthrough = false;
  for (const arg of argv) {
    if (passthrough) {
      out.push(arg);
      continue;
    }
    if (arg === "--") {
      passthrough = true;
      out.push(arg);
    } else if (arg === "-qu") {
      out.push("--queues");
    } else if (arg.startsWith("-qu=")) {
      out.push(`--queues=${arg.slice("-qu=".length)}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}
