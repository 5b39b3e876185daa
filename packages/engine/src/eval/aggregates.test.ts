import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.js";
import {
  agg, avg, col, count, dataset, div, eq, ge, gt, isNull, kpi, le, lit, model, mul, only, share, str, sub, sum, table, tables,
} from "./test-utils.js";

const ds = dataset("t", { g: "string", x: "number", y: "number", s: "string", b: "bool" });
const rows = [
  { g: "a", x: 1, y: 10, s: "pear", b: true },
  { g: "a", x: 2, y: null, s: "apple", b: false },
  { g: "a", x: 3, y: 30, s: null, b: null },
  { g: "a", x: 4, y: 0, s: "fig", b: true },
  { g: "b", x: null, y: 5, s: "kiwi", b: false },
];
const data = tables(table("t", { g: "string", x: "number", y: "number", s: "string", b: "bool" }, rows));

function value(e: ReturnType<typeof sum>, opts: { where?: ReturnType<typeof eq> } = {}) {
  const r = evaluate(model([ds], [kpi("k", e, { from: "t", ...(opts.where ? { where: opts.where } : {}) })]), data, {});
  return only(r.results, "k");
}

describe("aggregates", () => {
  it("count() counts rows, count(x) non-null values", () => {
    expect(value(count()).value).toBe(5);
    expect(value(count(col("x"))).value).toBe(4);
    expect(value(count(col("s", "string"))).value).toBe(4);
  });

  it("sum, avg, min, max skip nulls", () => {
    expect(value(sum(col("x"))).value).toBe(10);
    expect(value(avg(col("y"))).value).toBe(11.25);
    expect(value(agg("min", col("y"))).value).toBe(0);
    expect(value(agg("max", col("x"))).value).toBe(4);
  });

  it("min and max of strings read as text; a string value is not a KPI number", () => {
    const r = value(agg("min", str("s"), { type: "string" }));
    expect(r.value).toBeNull();
    expect(r.reason).toBe("the value is not a number");
  });

  it("count_distinct counts distinct non-null values", () => {
    expect(value(agg("count_distinct", col("g", "string"))).value).toBe(2);
    expect(value(agg("count_distinct", col("b", "bool"))).value).toBe(2);
    expect(value(agg("count_distinct", col("x"))).value).toBe(4);
  });

  it("median and percentile interpolate (percentile_cont)", () => {
    expect(value(agg("median", col("x"))).value).toBe(2.5);
    expect(value(agg("percentile", col("x"), { p: 0.9 })).value).toBeCloseTo(3.7, 12);
    expect(value(agg("percentile", col("x"), { p: 0 })).value).toBe(1);
    expect(value(agg("percentile", col("x"), { p: 1 })).value).toBe(4);
  });

  it("stddev and variance are sample statistics (n - 1)", () => {
    expect(value(agg("variance", col("x"))).value).toBeCloseTo(5 / 3, 12);
    expect(value(agg("stddev", col("x"))).value).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  it("stddev of one value is null with a reason", () => {
    const r = value(agg("stddev", col("x"), { where: eq(str("g"), lit("b")) }));
    expect(r.value).toBeNull();
    expect(r.reason).toBe("no rows");
    const one = value(agg("stddev", col("x"), { where: eq(col("x"), lit(1)) }));
    expect(one.reason).toBe("needs at least 2 values");
  });

  it("share counts true among non-null conditions", () => {
    // b: true, false, null, true, false → 2 / 4
    expect(value(share(eq(col("b", "bool"), lit(true)))).value).toBe(0.5);
    // y >= 10: true, null, true, false, false → 2 / 4
    expect(value(share(ge(col("y"), lit(10)))).value).toBe(0.5);
  });

  it("exists is 1 when any row (or non-null value) exists", () => {
    expect(value(agg("exists", null)).value).toBe(1);
    expect(value(agg("exists", null, { where: gt(col("x"), lit(100)) })).value).toBe(0);
  });

  it("filters apply per aggregate", () => {
    expect(value(sum(col("x"), { where: eq(str("s"), lit("pear")) })).value).toBe(1);
    expect(value(count(null, { where: isNull(col("y")) })).value).toBe(1);
    const ratio = div(sum(col("x"), { where: ge(col("x"), lit(3)) }), sum(col("x")));
    expect(value(ratio).value).toBe(0.7);
  });

  it("empty input gives null with a reason, never 0 (sum included)", () => {
    const none = eq(str("g"), lit("zzz"));
    for (const e of [sum(col("x")), avg(col("x")), agg("min", col("x")), agg("median", col("x")), share(gt(col("x"), lit(0)))]) {
      const r = value(e, { where: none });
      expect(r.value).toBeNull();
      expect(r.reason).toBe("no rows");
      expect(r.n).toBe(0);
    }
  });

  it("a sum over a filter that matches nothing is null, a count 0", () => {
    expect(value(sum(col("x"), { where: gt(col("x"), lit(99)) })).value).toBeNull();
    expect(value(count(null, { where: gt(col("x"), lit(99)) })).value).toBe(0);
  });

  it("division by zero gives null with a reason", () => {
    const r = value(div(sum(col("x")), sum(col("y"), { where: eq(col("y"), lit(0)) })));
    expect(r.value).toBeNull();
    expect(r.reason).toBe("division by zero");
  });

  it("row-level division by zero is null and skipped by aggregates", () => {
    // x / y: 0.1, null, 0.1, (4/0 → null), null
    expect(value(sum(div(col("x"), col("y")))).value).toBeCloseTo(0.2, 12);
    expect(value(count(div(col("x"), col("y")))).value).toBe(2);
  });

  it("arithmetic between aggregates, NPS style", () => {
    const nps = mul(lit(100), sub(share(ge(col("x"), lit(3))), share(le(col("x"), lit(1)))));
    expect(value(nps).value).toBe(25);
  });

  it("identical aggregates are computed once and agree", () => {
    const e = div(sum(col("x")), sum(col("x")));
    expect(value(e).value).toBe(1);
  });

  it("n counts rows after the KPI filter", () => {
    expect(value(count(), { where: eq(str("g"), lit("a")) }).n).toBe(4);
  });
});
