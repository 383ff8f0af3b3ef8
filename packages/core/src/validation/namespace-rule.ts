import { ValidationError } from "../errors/index.js";

/**
 * What a backend namespace may be, on every backend: 1-100 letters, digits, `_`, `-`, `.` or `:`,
 * starting with a letter, digit or `_`. Redis needs it (a brace would break Cluster hash tags, a
 * glob character its key scans); Memory and SQLite keep the same rule so a namespace that works on
 * one backend works on all of them.
 */
const NAMESPACE_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,99}$/;

/**
 * Check a backend namespace (the rule above), for every backend's constructor.
 * @throws ValidationError naming the bad value and the rule.
 */
export function validateNamespace(namespace: unknown): string {
  if (typeof namespace !== "string" || !NAMESPACE_PATTERN.test(namespace)) {
    throw new ValidationError(
      `Invalid namespace ${JSON.stringify(namespace)}: use 1-100 letters, digits, '_', '-', '.' or ':' ` +
        "(braces would break Cluster hash tags).",
    );
  }
  return namespace;
}
