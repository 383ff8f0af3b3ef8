// How the serializers' checks write where a value is: `args[0]`, `kwargs.when`, `m.get("k")`.
// Segments are collected leaf first while a finding unwinds, so nothing is built on success.

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The segment of an object property: `.when`, or `["my key"]` for a key that is no identifier. */
export function keySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** The path of segments collected leaf first (`""` for the root). */
export function joinSegments(leafFirst: readonly string[]): string {
  let path = "";
  for (let i = leafFirst.length - 1; i >= 0; i--) path += leafFirst[i];
  return path.startsWith(".") ? path.slice(1) : path;
}
