import { createRequire } from "node:module";
import { AlsekError, setLogLevel } from "@alsek/core";
import yargs, { type Argv } from "yargs";
import { normalizeArgv } from "./argv/index.js";
import { UsageError } from "./errors/index.js";
import { dashboardCommand } from "./commands/dashboard-command.js";
import { infoCommand } from "./commands/info-command.js";
import { processPoolCommand } from "./commands/process-pool-command.js";
import { threadPoolCommand } from "./commands/thread-pool-command.js";
import { parseLogLevel } from "./options/log-level.js";
import { addOptions, type OptionSpec } from "./options/option-spec.js";
import { DASHBOARD_OPTIONS, INFO_BACKEND_OPTIONS } from "./options/backend-option-specs.js";
import {
  DEFAULT_LOG_LEVEL,
  PROCESS_POOL_OPTIONS,
  THREAD_POOL_OPTIONS,
} from "./options/pool-option-specs.js";
import { readString, type ParsedArgs } from "./options/read-option.js";

// yargs cannot find the version of an ESM package by itself (it prints "unknown").
const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /**
   * Directory that relative targets are resolved against.
   * @defaultValue `process.cwd()`
   */
  cwd?: string;
}

const TARGET_DESCRIPTION =
  "A task module (my_tasks, my_tasks.ts, my_tasks.js), a dotted path (my_project.my_tasks) " +
  "or a folder scanned recursively for modules that export tasks";

const COMMAND_OPTIONS: readonly [string, readonly OptionSpec[]][] = [
  ["thread-pool", THREAD_POOL_OPTIONS],
  ["process-pool", PROCESS_POOL_OPTIONS],
  ["info", INFO_BACKEND_OPTIONS],
  ["dashboard", DASHBOARD_OPTIONS],
];

// The top-level help lists every command's options with its default (yargs lists only the
// global ones), generated from the same specs as the commands so it cannot drift.
function describeCommandOptions(): string {
  const sections = COMMAND_OPTIONS.map(([command, specs]) => {
    const lines = specs.map((spec) => {
      const short = spec.aliases?.length ? `-${spec.aliases.join(", -")}, ` : "";
      const extra = spec.name === "queues" ? ", -qu" : "";
      const flag = `${short}--${spec.name}${extra}`;
      const notes = [
        spec.defaultDescription === undefined ? null : `default: ${spec.defaultDescription}`,
        spec.deprecated === undefined ? null : `deprecated: ${spec.deprecated}`,
      ].filter((note) => note !== null);
      return `  ${flag.padEnd(34)} ${notes.length > 0 ? `[${notes.join("; ")}]` : ""}`.trimEnd();
    });
    return `Options of ${command} (alsek ${command} --help describes each):\n${lines.join("\n")}`;
  });
  return [
    ...sections,
    "Options are accepted in snake_case (--n_threads) and kebab-case (--n-threads). Durations are in " +
      "milliseconds. SIGTERM/SIGINT drain a pool gracefully; a second signal exits at once.",
  ].join("\n\n");
}

type Handler = (target: string, args: ParsedArgs, cwd: string) => Promise<void>;
type OptionalTargetHandler = (target: string | undefined, args: ParsedArgs, cwd: string) => Promise<void>;

function withTarget<T>(builder: Argv<T>): Argv<T> {
  return builder.positional("target", { type: "string", describe: TARGET_DESCRIPTION, demandOption: true }) as Argv<T>;
}

function handle(handler: Handler, cwd: string) {
  return async (args: ParsedArgs): Promise<void> => {
    setLogLevel(parseLogLevel(readString(args, "log-level") ?? DEFAULT_LOG_LEVEL), { inherited: true });
    await handler(String(args.target), args, cwd);
  };
}

function handleOptionalTarget(handler: OptionalTargetHandler, cwd: string) {
  return async (args: ParsedArgs): Promise<void> => {
    setLogLevel(parseLogLevel(readString(args, "log-level") ?? DEFAULT_LOG_LEVEL), { inherited: true });
    await handler(args.target === undefined ? undefined : String(args.target), args, cwd);
  };
}

function createParser(argv: readonly string[], cwd: string): Argv {
  return yargs(normalizeArgv(argv))
    .scriptName("alsek")
    .usage("Alsek CLI: bring worker pools online.\n\nUsage: $0 <command> TARGET [options]")
    .command(
      "thread-pool <target>",
      "Start a thread-based worker pool (process groups of worker threads) for the target's tasks with mechanism 'thread'",
      (builder) => addOptions(withTarget(builder), THREAD_POOL_OPTIONS),
      handle(threadPoolCommand, cwd),
    )
    .command(
      "process-pool <target>",
      "Start a process-based worker pool (one process per running task) for the target's tasks with mechanism 'process'",
      (builder) => addOptions(withTarget(builder), PROCESS_POOL_OPTIONS),
      handle(processPoolCommand, cwd),
    )
    .command(
      "info [target]",
      "Show the queues of the target's backend (or of --redis-url/--sqlite) with their ready, delayed, running and dead-lettered messages",
      (builder) =>
        addOptions(builder.positional("target", { type: "string", describe: `${TARGET_DESCRIPTION}; not needed with --redis-url or --sqlite` }), INFO_BACKEND_OPTIONS),
      handleOptionalTarget(infoCommand, cwd),
    )
    .command(
      "dashboard",
      "Serve the web dashboard (@alsek/dashboard) for the backend given by --redis-url or --sqlite; no task module needed",
      (builder) => addOptions(builder, DASHBOARD_OPTIONS),
      handleOptionalTarget((_target, args) => dashboardCommand(args), cwd),
    )
    .example("$0 thread-pool my_tasks", "tasks of my_tasks.ts (or .js)")
    .example("$0 process-pool my_project.my_tasks", "tasks of my_project/my_tasks.ts")
    .example("$0 thread-pool my_project -qu queue_a,queue_b --n_threads 8 --n_processes 4", "")
    .example("$0 dashboard --redis-url redis://localhost:6379 --port 3000", "the web dashboard")
    .example("$0 info --sqlite alsek.db", "queue counts without a task module")
    .epilogue(describeCommandOptions())
    .demandCommand(1, "Name a command: thread-pool, process-pool, info or dashboard.")
    .recommendCommands()
    .strict()
    .help()
    .alias("help", "h")
    .version(version)
    .alias("version", "v")
    .wrap(Math.min(120, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      // Errors of the commands themselves arrive here too; only yargs' own complaints lack one.
      throw error ?? new UsageError(message);
    });
}

function report(error: unknown): void {
  if (error instanceof UsageError) {
    process.stderr.write(`alsek: ${error.message}\nRun 'alsek --help' for usage.\n`);
  } else if (error instanceof AlsekError) {
    process.stderr.write(`alsek: ${error.name}: ${error.message}\n`);
  } else {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`alsek: unexpected error: ${text}\n`);
  }
}

/**
 * Run the `alsek` command line with `argv` (the arguments after the executable and script, as
 * in `process.argv.slice(2)`). Resolves with the exit code: 0 after `--help`, `--version`, `info`
 * or a pool that stopped gracefully; 1 after an error, which is printed to stderr.
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const cwd = options.cwd ?? process.cwd();
  try {
    await createParser(argv, cwd).parseAsync();
    return 0;
  } catch (error) {
    report(error);
    return 1;
  }
}
