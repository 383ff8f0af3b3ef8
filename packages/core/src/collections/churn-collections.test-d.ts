import { describe, expectTypeOf, it } from "vitest";
import { ChurnMap, ChurnSet } from "./index.js";

describe("ChurnMap and ChurnSet types", () => {
  it("ChurnMap reads as a Map from number ids", () => {
    const map = new ChurnMap<{ n: number }>();
    expectTypeOf(map.get(1)).toEqualTypeOf<{ n: number } | undefined>();
    expectTypeOf(map.set(1, { n: 1 })).toEqualTypeOf<ChurnMap<{ n: number }>>();
    expectTypeOf([...map.keys()]).toEqualTypeOf<number[]>();
    expectTypeOf([...map]).toEqualTypeOf<[number, { n: number }][]>();
    // @ts-expect-error ids are numbers
    map.get("1");
    // @ts-expect-error values keep their type
    map.set(2, { n: "2" });
  });

  it("ChurnSet holds objects only", () => {
    const set = new ChurnSet<() => void>();
    expectTypeOf([...set]).toEqualTypeOf<(() => void)[]>();
    // @ts-expect-error members are objects (held by identity)
    new ChurnSet<number>();
  });
});
