import type { SuperJSON } from "superjson";
import type { JsonChange } from "./find-json-change.js";
import { joinSegments, keySegment } from "./value-path.js";

// What superjson itself would store differently: it keeps Date, Map, Set, BigInt, RegExp, URL,
// Error, typed arrays, undefined, NaN, ±Infinity, -0, registered classes, symbols and custom types,
// but drops functions and unregistered symbols, flattens other class instances to plain objects,
// and writes a Buffer it cannot read back. Off the default path, so it may allocate (a seen-set:
// superjson stores circular references, this walk must not loop on them).

/** Typed arrays superjson reads back (it stores any `ArrayBuffer` view, but revives only these). */
const REVIVED_TYPED_ARRAYS: ReadonlySet<unknown> = new Set<unknown>([
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
]);

interface Finding {
  found: string;
  effect: string;
  hint: string;
  segments: string[];
}

function finding(found: string, effect: string, hint: string): Finding {
  return { found, effect, hint, segments: [] };
}

/**
 * The first place where `instance.parse(instance.stringify(value))` would not give back `value`
 * (see the file header), or `null` when it would. Same shape as `findJsonChange`.
 */
export function findSuperJsonChange(value: unknown, instance: SuperJSON): JsonChange | null {
  const found = visit(value, instance, new Set());
  if (found === null) return null;
  return { path: joinSegments(found.segments), found: found.found, effect: found.effect, hint: found.hint };
}

function visit(value: unknown, instance: SuperJSON, seen: Set<object>): Finding | null {
  if (typeof value === "function") {
    return finding("a function", "would drop it (or store null in an array)", "leave it out");
  }
  if (typeof value === "symbol") {
    if (instance.symbolRegistry.getIdentifier(value) !== undefined) return null;
    return finding("an unregistered symbol", "would drop it", "register it with registerSymbol() on the serializer's SuperJSON instance");
  }
  if (typeof value !== "object" || value === null) return null;
  if (seen.has(value)) return null;
  seen.add(value);
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return instanceFinding(value, instance, seen);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      const found = visit(value[i], instance, seen);
      if (found !== null) {
        found.segments.push(`[${i}]`);
        return found;
      }
    }
    return null;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return visitProperties(value, instance, seen);
  return instanceFinding(value, instance, seen);
}

function visitProperties(value: object, instance: SuperJSON, seen: Set<object>): Finding | null {
  for (const key of Object.keys(value)) {
    const found = visit((value as Record<string, unknown>)[key], instance, seen);
    if (found !== null) {
      found.segments.push(keySegment(key));
      return found;
    }
  }
  return null;
}

function instanceFinding(value: object, instance: SuperJSON, seen: Set<object>): Finding | null {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? finding("an invalid Date", "would store null", "null") : null;
  }
  if (value instanceof RegExp || value instanceof Error || value instanceof URL) return null;
  if (value instanceof Map) {
    for (const [key, item] of value) {
      const found = visit(key, instance, seen) ?? visit(item, instance, seen);
      if (found !== null) {
        found.segments.push(`.get(${typeof key === "string" ? JSON.stringify(key) : String(key)})`);
        return found;
      }
    }
    return null;
  }
  if (value instanceof Set) {
    let i = 0;
    for (const item of value) {
      const found = visit(item, instance, seen);
      if (found !== null) {
        found.segments.push(`[set item ${i}]`);
        return found;
      }
      i++;
    }
    return null;
  }
  if (ArrayBuffer.isView(value)) {
    if (REVIVED_TYPED_ARRAYS.has(value.constructor)) return null;
    const name = value.constructor.name;
    return finding(`a ${name}`, "would store it but cannot read it back", `new Uint8Array(${name === "Buffer" ? "buffer" : "view.buffer"})`);
  }
  if (instance.classRegistry.getIdentifier(value.constructor as never) !== undefined) {
    return visitProperties(value, instance, seen);
  }
  if (instance.customTransformerRegistry.findApplicable(value) !== undefined) return null;
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  const what = typeof name === "string" && name !== "" ? `an instance of ${name}` : "an object with a prototype";
  return finding(
    what,
    "would store a plain object (its class and methods lost)",
    "register the class with registerClass() on the serializer's SuperJSON instance, or pass a plain object",
  );
}
