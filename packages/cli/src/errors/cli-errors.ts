import { AlsekError } from "@alsek/core";

/** The TARGET given to the CLI names no module file, dotted path or folder. */
export class TargetNotFoundError extends AlsekError {}

/** A task module threw while being imported; the module's error is the `cause`. */
export class TaskModuleImportError extends AlsekError {}

/** The command line itself is wrong: an unknown command or option, or a missing argument. */
export class UsageError extends AlsekError {}

/** A command needs an optional package that is not installed (the message names it and how to add it). */
export class MissingPackageError extends AlsekError {}
