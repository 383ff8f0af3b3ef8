import { describe, expect, it } from "vitest";
import { LazyClient } from "./lazy-client.js";

describe("LazyClient", () => {
  it("creates the client on first get() and memoises it", () => {
    let created = 0;
    const lazy = new LazyClient(() => ({ id: ++created }));
    expect(created).toBe(0);
    expect(lazy.resolved).toBe(false);
    const first = lazy.get();
    expect(lazy.get()).toBe(first);
    expect(created).toBe(1);
    expect(lazy.resolved).toBe(true);
  });
});
