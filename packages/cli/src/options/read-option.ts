import { ValidationError } from "@alsek/core";

/** Parsed arguments as yargs hands them over. */
export type ParsedArgs = Readonly<Record<string, unknown>>;

/** Read an integer option of at least `min`, or `fallback` when it was not given. */
export function readInteger(args: ParsedArgs, name: string, min: number, fallback: number): number;
export function readInteger(args: ParsedArgs, name: string, min: number, fallback?: undefined): number | undefined;
export function readInteger(args: ParsedArgs, name: string, min: number, fallback?: number): number | undefined {
  const value = args[name];
  if (value === undefined) return fallback;
  if (Array.isArray(value)) {
    throw new ValidationError(`--${name} was given more than once; give it once.`);
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    const shown = typeof value === "number" && Number.isNaN(value) ? "a value that is not a number" : String(value);
    throw new ValidationError(`--${name} must be an integer >= ${min}, got ${shown}.`);
  }
  return value;
}

/** Read a boolean flag. */
export function readFlag(args: ParsedArgs, name: string): boolean {
  return args[name] === true;
}

/** Read a string option, or `undefined` when it was not given. */
export function readString(args: ParsedArgs, name: string): string | undefined {
  const value = args[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new ValidationError(`--${name} was given more than once; give it once.`);
  return String(value);
}
