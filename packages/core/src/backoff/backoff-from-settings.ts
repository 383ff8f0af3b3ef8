import { ValidationError } from "../errors/index.js";
import type { BackoffSettings } from "../messages/message-data.js";
import type { Backoff } from "./backoff.js";
import { ConstantBackoff } from "./constant-backoff.js";
import { ExponentialBackoff } from "./exponential-backoff.js";
import { LinearBackoff } from "./linear-backoff.js";

/** Builds a backoff from its persisted parameters. */
export type BackoffFactory = (parameters: Record<string, number | boolean | null>) => Backoff;

const ALGORITHMS = new Map<string, BackoffFactory>([
  ["ConstantBackoff", (p) => new ConstantBackoff(p as ConstructorParameters<typeof ConstantBackoff>[0])],
  ["LinearBackoff", (p) => new LinearBackoff(p as ConstructorParameters<typeof LinearBackoff>[0])],
  ["ExponentialBackoff", (p) => new ExponentialBackoff(p as ConstructorParameters<typeof ExponentialBackoff>[0])],
]);

/**
 * Make a custom {@link Backoff} subclass known to {@link backoffFromSettings}, so messages that
 * carry its settings can be read back. Register it in every process that reads such messages.
 */
export function registerBackoffAlgorithm(algorithm: string, factory: BackoffFactory): void {
  ALGORITHMS.set(algorithm, factory);
}

// Messages rebuild their backoff on every `readyAt` read; settings are immutable values, so cache
// by their JSON form.
const cache = new Map<string, Backoff>();

/**
 * Rebuild a backoff from `backoff.settings`.
 * @throws ValidationError when the algorithm is unknown.
 */
export function backoffFromSettings(settings: BackoffSettings): Backoff {
  const key = JSON.stringify(settings);
  const cached = cache.get(key);
  if (cached) return cached;
  const factory = ALGORITHMS.get(settings.algorithm);
  if (!factory) {
    throw new ValidationError(
      `No backoff algorithm '${settings.algorithm}' found: use ConstantBackoff, LinearBackoff or ` +
        "ExponentialBackoff, or register yours with registerBackoffAlgorithm().",
    );
  }
  const backoff = factory(settings.parameters);
  if (cache.size > 64) cache.clear();
  cache.set(key, backoff);
  return backoff;
}
