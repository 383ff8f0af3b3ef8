/**
 * Base class of every error Alsek throws on purpose. Catch it to tell Alsek's errors apart from
 * your own; check the subclass (`instanceof`) to act on a specific failure.
 */
export class AlsekError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
