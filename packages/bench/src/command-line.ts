/**
 * The bench's own arguments: `pnpm run bench -- --quick` hands the script a literal `--` first
 * (pnpm passes it through), which `parseArgs` would read as "positionals follow".
 */
export function benchArguments(argv: readonly string[]): string[] {
  return argv[0] === "--" ? argv.slice(1) : [...argv];
}
