import { Backoff, requireNonNegative, type BackoffOptions } from "./backoff.js";

/** Options of {@link LinearBackoff}. */
export interface LinearBackoffOptions extends BackoffOptions {
  /**
   * Milliseconds added per incident: the delay is `factor * incidents`.
   * @defaultValue 30_000
   */
  factor?: number;
}

/** A delay growing linearly with the number of incidents. */
export class LinearBackoff extends Backoff {
  readonly algorithm = "LinearBackoff";
  /** Milliseconds per incident. */
  readonly factor: number;

  constructor(options: LinearBackoffOptions = {}) {
    super(options);
    this.factor = requireNonNegative("LinearBackoff", "factor", options.factor ?? 30_000);
  }

  protected formula(incidents: number): number {
    return Math.trunc(this.factor * incidents);
  }

  protected algorithmParameters(): Record<string, number> {
    return { factor: this.factor };
  }
}
