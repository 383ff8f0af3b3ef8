import { Backoff, requireNonNegative, type BackoffOptions } from "./backoff.js";

/** Options of {@link ExponentialBackoff}. */
export interface ExponentialBackoffOptions extends BackoffOptions {
  /**
   * Growth per incident: the delay is `factor * base ** incidents`.
   * @defaultValue 4
   */
  base?: number;
  /**
   * Scale in ms.
   * @defaultValue 10_000
   */
  factor?: number;
}

/** A delay growing exponentially with the number of incidents (the default for tasks). */
export class ExponentialBackoff extends Backoff {
  readonly algorithm = "ExponentialBackoff";
  /** Growth per incident. */
  readonly base: number;
  /** Scale in ms. */
  readonly factor: number;

  constructor(options: ExponentialBackoffOptions = {}) {
    super(options);
    this.base = requireNonNegative("ExponentialBackoff", "base", options.base ?? 4);
    this.factor = requireNonNegative("ExponentialBackoff", "factor", options.factor ?? 10_000);
  }

  protected formula(incidents: number): number {
    return Math.trunc(this.factor * this.base ** incidents);
  }

  protected algorithmParameters(): Record<string, number> {
    return { base: this.base, factor: this.factor };
  }
}
