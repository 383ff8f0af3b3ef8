import { AlsekError } from "@alsek/core";

/**
 * No result is stored for the message (yet): it has not finished, its task has no `resultStore`,
 * the result was already read (results are read-once unless `keep: true`), or it expired. Pass a
 * `timeout` to wait for it instead.
 */
export class ResultNotFoundError extends AlsekError {}
