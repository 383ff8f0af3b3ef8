import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/index.js";
import { validateNamespace } from "./namespace-rule.js";

describe("validateNamespace", () => {
  it.each(["alsek", "a", "_x", "app:prod.v-2", "n".repeat(100)])("accepts %j", (namespace) => {
    expect(validateNamespace(namespace)).toBe(namespace);
  });

  it.each(["", "a{b}", "a}", "a b", "a*", "a?", "-a", ".a", "n".repeat(101), 7, null])("refuses %j with a ValidationError naming the rule", (namespace) => {
    expect(() => validateNamespace(namespace)).toThrow(ValidationError);
    expect(() => validateNamespace(namespace)).toThrow(
      `Invalid namespace ${JSON.stringify(namespace)}: use 1-100 letters, digits, '_', '-', '.' or ':' (braces would break Cluster hash tags).`,
    );
  });
});
