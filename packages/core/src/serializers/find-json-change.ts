// The check behind JsonSerializer's refusal. It runs on every stored value (every enqueue), so it
// is one recursive walk that allocates nothing until it finds something: the path is built only
// while a finding unwinds.

import { joinSegments, keySegment } from "./value-path.js";

/** Something JSON would store differently from what it was given, and where. */
export interface JsonChange {
  /** Where, from the value's root: `args[0]`, `kwargs.when`, `args[1][0]`; `""` for the root. */
  path: string;
  /** What is there, e.g. `"a Date"`. */
  found: string;
  /** What JSON would do with it, e.g. `"would store an ISO date string"`. */
  effect: string;
  /** How to pass it as JSON data instead, e.g. `"date.toISOString()"`; `""` when obvious. */
  hint: string;
}

/**
 * Deeper than this is taken for a circular reference (JSON.stringify would throw on it anyway);
 * it also bounds the walk's recursion far below the stack limit.
 */
export const MAX_JSON_DEPTH = 1_000;

// A finding while it unwinds: segments are collected leaf first and joined once at the root.
interface Finding {
  found: string;
  effect: string;
  hint: string;
  segments: string[];
}

function finding(found: string, effect: string, hint = ""): Finding {
  return { found, effect, hint, segments: [] };
}

/**
 * The first place where `JSON.parse(JSON.stringify(value))` would not give back `value`, or
 * `null` when it would. Refused: `Date`, `Map`, `Set`, `BigInt`, functions, symbols, `NaN`,
 * `±Infinity`, `-0`, `undefined` in arrays (and as the value itself), array holes, and objects
 * other than plain objects and arrays (class instances, `Buffer`, typed arrays, `RegExp`, `Error`,
 * objects with a `toJSON` of their own class). Allowed: `undefined` object properties (JSON drops
 * them, and reading a missing property gives `undefined` again), null-prototype objects, shared
 * references (stored as copies). Not looked at: symbol keys and non-enumerable properties.
 */
export function findJsonChange(value: unknown): JsonChange | null {
  const found = visit(value, 0);
  if (found === null) return null;
  return { path: joinSegments(found.segments), found: found.found, effect: found.effect, hint: found.hint };
}

function visit(value: unknown, depth: number): Finding | null {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      if (value === 0) return 1 / value < 0 ? finding("-0", "would store 0", "0") : null;
      return Number.isFinite(value) ? null : finding(String(value), "would store null", "a string, or null");
    case "object":
      return value === null ? null : visitObject(value, depth);
    case "undefined":
      return finding("undefined", "would store null", "null, or leave it out");
    case "bigint":
      return finding("a BigInt", "has no BigInt", "bigint.toString(), or a number when it is small");
    case "function":
      return finding("a function", "would store null in an array and drop it from an object", "leave it out");
    case "symbol":
      return finding("a symbol", "would store null in an array and drop it from an object", "symbol.description");
  }
  return null;
}

function visitObject(value: object, depth: number): Finding | null {
  if (depth >= MAX_JSON_DEPTH) {
    return finding(`nested more than ${MAX_JSON_DEPTH} levels deep (a circular reference?)`, "cannot store it", "");
  }
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return instanceFinding(value);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      let found: Finding | null;
      if (item === undefined) {
        found = i in value ? finding("undefined", "would store null", "null") : finding("a hole (sparse array)", "would store null", "fill it, e.g. with null");
      } else {
        found = visit(item, depth + 1);
      }
      if (found !== null) {
        found.segments.push(`[${i}]`);
        return found;
      }
    }
    return null;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return instanceFinding(value);
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item: unknown = (value as Record<string, unknown>)[key];
    // JSON drops the property and reading it back gives `undefined` again: nothing changes.
    if (item === undefined) continue;
    const found = visit(item, depth + 1);
    if (found !== null) {
      found.segments.push(keySegment(key));
      return found;
    }
  }
  return null;
}

function instanceFinding(value: object): Finding {
  if (value instanceof Date) return finding("a Date", "would store an ISO date string", "date.toISOString() or date.getTime()");
  if (value instanceof Map) return finding("a Map", "would store {}", "Object.fromEntries(map) or [...map]");
  if (value instanceof Set) return finding("a Set", "would store {}", "[...set]");
  if (typeof Buffer === "function" && Buffer.isBuffer(value)) return finding("a Buffer", 'would store { type: "Buffer", data: [...] }', "buffer.toString(\"base64\")");
  if (ArrayBuffer.isView(value)) return finding(`a ${value.constructor.name}`, "would store an object of indices", "Array.from(view)");
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  const what = typeof name === "string" && name !== "" ? `an instance of ${name}` : "an object with a prototype";
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return finding(what, "would store whatever its toJSON() returns", "pass the result of toJSON() yourself");
  }
  return finding(what, "would store a plain object (its class and methods lost)", "a plain object");
}
