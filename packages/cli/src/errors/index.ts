export { TargetNotFoundError, TaskModuleImportError, UsageError } from "./cli-errors.js";
