export { MissingPackageError, TargetNotFoundError, TaskModuleImportError, UsageError } from "./cli-errors.js";
