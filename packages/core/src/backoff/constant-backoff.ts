import { Backoff, requireNonNegative, type BackoffOptions } from "./backoff.js";

/** Options of {@link ConstantBackoff}. */
export interface ConstantBackoffOptions extends BackoffOptions {
  /**
   * The delay in ms (still clipped to `floor`/`ceiling`: with the default floor a constant below
   * 60 s gives 60 s, as in the original).
   * @defaultValue 60_000
   */
  constant?: number;
}

/** The same delay after every incident. */
export class ConstantBackoff extends Backoff {
  readonly algorithm = "ConstantBackoff";
  /** The delay in ms before clipping. */
  readonly constant: number;

  constructor(options: ConstantBackoffOptions = {}) {
    super(options);
    this.constant = requireNonNegative("ConstantBackoff", "constant", options.constant ?? 60_000);
  }

  protected formula(): number {
    return this.constant;
  }

  protected algorithmParameters(): Record<string, number> {
    return { constant: this.constant };
  }
}
