import { describe, expect, it } from "vitest";
import type { Expr } from "@yardstick/model";
import { evaluate } from "./evaluate.js";
import { avg, col, count, dataset, kpi, model, O, only, table, tables } from "./test-utils.js";

const ds = dataset("t", { a: "number", b: "number" });
// (1, ∅), (∅, ∅), (∅, 3): coalesce(a, b) is 1, null, 3.
const data = tables(table("t", { a: "number", b: "number" }, [{ a: 1, b: null }, { a: null, b: null }, { a: null, b: 3 }]));
const call = (fn: string, ...args: Expr[]): Expr => ({ op: "call", fn, args, type: "number", origin: O });

function value(e: Expr): number | null {
  return only(evaluate(model([ds], [kpi("k", e, { from: "t" })]), data, {}).results, "k").value;
}

describe("row-level scalar functions that give no value", () => {
  it("coalesce of only nulls is null, so aggregates skip it", () => {
    expect(value(avg(call("coalesce", col("a"), col("b"))))).toBe(2);
    expect(value(count(call("coalesce", col("a"), col("b"))))).toBe(2);
  });

  it("greatest and least of only nulls are null", () => {
    expect(value(count(call("greatest", col("a"), col("b"))))).toBe(2);
    expect(value(avg(call("least", col("a"), col("b"))))).toBe(2);
  });
});
