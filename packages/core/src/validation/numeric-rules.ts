import { ValidationError } from "../errors/index.js";

/**
 * Largest message priority: the Redis ready score is `priority * 2^32 + seq` and must stay an
 * exact double, so priority gets the 21 bits above the 32 of the arrival order.
 */
export const MAX_PRIORITY = 2 ** 21 - 1;

/**
 * Longest duration a timer can wait in Node (`setTimeout` fires at once beyond it), so the
 * longest task timeout.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `"got 1.5"`, `"got \"x\""`, `"got nothing"`: the value as a reader would type it. */
export function describeGot(value: unknown): string {
  if (value === undefined) return "got nothing";
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return `got ${String(value)}`;
  if (typeof value === "function") return "got a function";
  if (typeof value === "symbol") return `got ${String(value)}`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return `got ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

/**
 * An integer option within `[min, max]`.
 * @throws ValidationError `"<owner>: `<option>` must be an integer from <min> to <max>, got …"`.
 */
export function requireIntegerIn(owner: string, option: string, value: unknown, min: number, max: number, unit = ""): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${owner}: \`${option}\` must be an integer${unit} from ${min} to ${max}, ${describeGot(value)}.`);
  }
  return value;
}

/**
 * A finite number option of at least `min` (durations in ms).
 * @throws ValidationError naming the option, the allowed range and the value.
 */
export function requireFiniteAtLeast(owner: string, option: string, value: unknown, min: number, unit = ""): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new ValidationError(`${owner}: \`${option}\` must be a finite number${unit} ≥ ${min}, ${describeGot(value)}.`);
  }
  return value;
}
