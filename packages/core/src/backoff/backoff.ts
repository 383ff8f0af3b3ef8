import { ValidationError } from "../errors/index.js";
import type { BackoffSettings } from "../messages/message-data.js";
import { requireNonNegative } from "../validation/option-rules.js";

// The rule lives with every other argument rule; the algorithms keep importing it from here.
export { requireNonNegative };

/** Options every backoff algorithm takes. Durations in milliseconds. */
export interface BackoffOptions {
  /**
   * Smallest delay returned for a non-zero count (`null`: no lower bound).
   * @defaultValue 60_000
   */
  floor?: number | null;
  /**
   * Largest delay returned (`null`: no upper bound).
   * @defaultValue 3_600_000
   */
  ceiling?: number | null;
  /**
   * Return 0 for 0 incidents, whatever the formula says (so a first attempt never waits).
   * @defaultValue true
   */
  zeroOverride?: boolean;
}

/**
 * How long to wait before the next attempt, as a function of the number of incidents so far
 * (for messages: `message.retries`). Subclasses supply the formula; the base class clips it to
 * `[floor, ceiling]` and applies `zeroOverride`.
 */
export abstract class Backoff {
  /** Lower bound of a non-zero delay, or `null`. */
  readonly floor: number | null;
  /** Upper bound of the delay, or `null`. */
  readonly ceiling: number | null;
  /** Whether 0 incidents always give 0. */
  readonly zeroOverride: boolean;

  /** The name stored in {@link BackoffSettings.algorithm}, used by `backoffFromSettings`. */
  abstract readonly algorithm: string;

  constructor(options: BackoffOptions = {}) {
    const owner = new.target.name;
    const floor = options.floor === undefined ? 60_000 : options.floor;
    const ceiling = options.ceiling === undefined ? 3_600_000 : options.ceiling;
    this.floor = floor === null ? null : requireNonNegative(owner, "floor", floor);
    this.ceiling = ceiling === null ? null : requireNonNegative(owner, "ceiling", ceiling);
    if (this.floor !== null && this.ceiling !== null && this.floor > this.ceiling) {
      throw new ValidationError(
        `${owner}: \`floor\` (${this.floor}) is greater than \`ceiling\` (${this.ceiling}); ` +
          "lower the floor or raise the ceiling.",
      );
    }
    this.zeroOverride = options.zeroOverride ?? true;
  }

  /** The unclipped delay in ms for `incidents` incidents. */
  protected abstract formula(incidents: number): number;

  /** Parameters specific to the algorithm, in the order they are persisted. */
  protected abstract algorithmParameters(): Record<string, number>;

  /** Delay in ms before the next attempt after `incidents` incidents. */
  get(incidents: number): number {
    if (this.zeroOverride && incidents === 0) return 0;
    const value = this.formula(incidents);
    if (this.floor !== null && value < this.floor) return this.floor;
    if (this.ceiling !== null && value > this.ceiling) return this.ceiling;
    return value;
  }

  /** Every constructor parameter, floor, ceiling and zeroOverride included. */
  get parameters(): Record<string, number | boolean | null> {
    return {
      ...this.algorithmParameters(),
      floor: this.floor,
      ceiling: this.ceiling,
      zeroOverride: this.zeroOverride,
    };
  }

  /** The persisted form, stored on every message as `backoffSettings`. */
  get settings(): BackoffSettings {
    return { algorithm: this.algorithm, parameters: this.parameters };
  }
}
