import { ConstantBackoff } from "./constant-backoff.js";

/** The backoff of a task defined with `backoff: null`: always 0 (as in the original). */
export function noBackoff(): ConstantBackoff {
  return new ConstantBackoff({ constant: 0, floor: 0, ceiling: 0, zeroOverride: true });
}
