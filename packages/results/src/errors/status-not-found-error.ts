import { AlsekError } from "@alsek/core";

/**
 * No status is stored for the message: it was never tracked (its task has no `statusTracker`, or
 * it was generated with `submit: false`), its status expired, or it was deleted.
 */
export class StatusNotFoundError extends AlsekError {}
