export { runCli, type RunCliOptions } from "./run-cli.js";
export { normalizeArgv } from "./argv/index.js";
export { MissingPackageError, TargetNotFoundError, TaskModuleImportError, UsageError } from "./errors/index.js";
export { loadTasks, isTask, type FoundTask } from "./loading/index.js";
export { resolveTarget, scanFolder, MODULE_EXTENSIONS, type ResolvedTarget } from "./target/index.js";
export { parseLogLevel, LOG_LEVEL_CHOICES } from "./options/log-level.js";
export { parseQueues } from "./options/parse-queues.js";
export type { QueueInfo } from "./commands/info-command.js";
