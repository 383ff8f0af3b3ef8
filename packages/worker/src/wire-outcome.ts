import * as coreErrors from "@alsek/core";

/**
 * A thrown value as it crosses a thread or process boundary. Structured clone keeps only the
 * built-in error classes, so the class name, message, stack and own data properties travel
 * explicitly and {@link decodeWireError} rebuilds an error the main process can `instanceof`.
 */
export interface WireError {
  /** `error.name`, e.g. `"TypeError"` or `"TaskTimeoutError"`. */
  name: string;
  /** `error.message`. */
  message: string;
  /** `error.stack`, when there was one. */
  stack: string | null;
  /** Own enumerable properties that survived structured clone (e.g. `code`). */
  props: Record<string, unknown> | null;
  /** A thrown value that was not an `Error` (a string, a number...), kept as is. */
  thrown?: unknown;
}

/** A task's outcome on the wire between a worker and its pool. */
export type WireOutcome = { ok: true; result: unknown } | { ok: false; error: WireError };

/** Turn anything a task threw into its wire form. Never throws. */
export function encodeWireError(error: unknown): WireError {
  if (error instanceof Error) {
    let props: Record<string, unknown> | null = null;
    for (const key of Object.keys(error)) {
      if (key === "name" || key === "message" || key === "stack") continue;
      const value = (error as unknown as Record<string, unknown>)[key];
      if (isCloneable(value)) (props ??= {})[key] = value;
    }
    return { name: error.name, message: error.message, stack: error.stack ?? null, props };
  }
  const text = safeString(error);
  return {
    name: "Error",
    message: text,
    stack: null,
    props: null,
    ...(isCloneable(error) ? { thrown: error } : {}),
  };
}

const BUILT_IN_ERRORS: Record<string, new (message?: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

const CORE_ERRORS: Record<string, new (message: string) => Error> = Object.fromEntries(
  Object.entries(coreErrors).filter(
    ([, value]) => typeof value === "function" && value.prototype instanceof Error,
  ),
) as Record<string, new (message: string) => Error>;

/**
 * Rebuild an error from its wire form: Alsek's own errors and the built-in classes come back as
 * instances of their class (so `doRetry` can test `instanceof RangeError`); other classes come back
 * as `Error` carrying the original `name`, message, stack and data properties.
 */
export function decodeWireError(wire: WireError): unknown {
  if ("thrown" in wire) return wire.thrown;
  const Class = CORE_ERRORS[wire.name] ?? BUILT_IN_ERRORS[wire.name] ?? Error;
  const error = new Class(wire.message);
  if (error.name !== wire.name) {
    Object.defineProperty(error, "name", { value: wire.name, configurable: true, writable: true });
  }
  if (wire.stack !== null) error.stack = wire.stack;
  if (wire.props) Object.assign(error, wire.props);
  return error;
}

/**
 * `WireError.name` of an assignment an executor dropped before it started (see
 * `PoolExecutor.dropQueued`): the pool hands its message back untouched.
 */
export const NOT_STARTED_ERROR = "AssignmentNotStarted";

/** The wire form of an error the pool itself raises (timeout, crash, revocation). */
export function poolWireError(name: string, message: string): WireError {
  return { name, message, stack: null, props: null };
}

function isCloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
