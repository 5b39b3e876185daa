import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.js";
import { Gen } from "./gen.js";
import { call, col, count, dataset, dim, eq, inList, kpi, lit, model, share, sum, table, tables } from "./test-utils.js";

const EVIL = '"); process.exit(1); //';
const EVIL2 = "`${process.exit(2)}`'; globalThis.pwned = 1; //";

describe("generated code never splices user text", () => {
  it("a column named like code is just a column", () => {
    const cols = { [EVIL]: "number", [EVIL2]: "string" } as const;
    const ds = dataset(EVIL, cols, { zone: "UTC" });
    const data = tables(table(EVIL, cols, [[1, EVIL], [2, EVIL2], [3, "x"]]));
    const m = model([ds], [
      kpi(EVIL, sum(col(EVIL)), { from: EVIL, by: [dim(EVIL2)] }),
      kpi("evil_strings", share(eq(col(EVIL2, "string"), lit(EVIL))), { from: EVIL, where: inList(col(EVIL2, "string"), [lit(EVIL), lit(EVIL2), lit("x")]) }),
      kpi("concat", count(call("concat", [col(EVIL2, "string"), lit(EVIL2)], "string")), { from: EVIL }),
    ]);
    const r = evaluate(m, data);
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    expect(r.results.filter((x) => x.kpi === EVIL).map((x) => [x.group[EVIL2], x.value])).toEqual([[EVIL, 1], [EVIL2, 2], ["x", 3]]);
    expect(r.results.find((x) => x.kpi === "evil_strings")!.value).toBeCloseTo(1 / 3, 12);
    expect(r.results.find((x) => x.kpi === "concat")!.value).toBe(3);
  });

  it("a string literal containing code is data", () => {
    const cols = { s: "string" } as const;
    const ds = dataset("d", cols);
    const data = tables(table("d", cols, [[EVIL2], ["plain"]]));
    const r = evaluate(model([ds], [kpi("k", share(eq(call("lower", [col("s", "string")], "string"), lit(EVIL2.toLowerCase()))), { from: "d" })]), data);
    expect(r.results[0]!.value).toBe(0.5);
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });

  it("Gen refuses parameter names that are not plain identifiers", () => {
    expect(() => new Gen().build(["a); process.exit(1); (b"], "")).toThrow();
  });
});
