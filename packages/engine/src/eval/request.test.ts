import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.js";
import { plan, formatPlan } from "../plan/plan.js";
import { avg, call, col, count, dataset, dim, div, eq, kpi, kpiRef, lit, model, str, sum, table, tables, timeDim, share, ge } from "./test-utils.js";

const cols = { seg: "string", at: "timestamp", day: "date", x: "number" } as const;
const other = { y: "number" } as const;
const ds = dataset("s", cols, { time: "at", zone: "Europe/Berlin" });
const ds2 = dataset("o", other);
const data = tables(
  table("s", cols, [
    ["a", "2025-01-31T22:30:00Z", "2025-01-31", 1], ["b", "2025-02-01T10:00:00Z", "2025-02-01", 2],
    ["a", "2025-02-28T23:30:00Z", "2025-02-28", 4], ["b", "2025-03-10T00:00:00Z", "2025-03-10", 8],
  ]),
  table("o", other, [[1], [2]]),
);
const m = model([ds, ds2], [
  kpi("total", sum(col("x")), { from: "s", zone: "Europe/Berlin", by: [timeDim("month", "at", "Europe/Berlin")] }),
  kpi("mean", avg(col("x")), { from: "s" }),
  kpi("other", sum(col("y")), { from: "o" }),
]);

describe("requests", () => {
  it("kpis selects and keeps model order", () => {
    const r = evaluate(m, data, { kpis: ["other", "mean"] });
    expect(r.results.map((x) => x.kpi)).toEqual(["mean", "other"]);
  });

  it("by regroups every KPI; a KPI that cannot use a dimension reports it as null", () => {
    const r = evaluate(m, data, { by: [dim("seg")], kpis: ["total", "other"] });
    expect(r.results.map((x) => [x.kpi, x.group.seg, x.value])).toEqual([["total", "a", 5], ["total", "b", 10], ["other", null, 3]]);
    expect(r.diagnostics.find((d) => d.code === "dimension-dropped")?.message).toContain('"other"');
  });

  it("a query-time bucket of a time column re-points to each KPI's time column, in the KPI's zone", () => {
    const m2 = model([ds, dataset("x", { sent_at: "timestamp" }, { time: "sent_at" })], [kpi("mean", avg(col("x")), { from: "s", zone: "Europe/Berlin" })]);
    const r = evaluate(m2, data, { by: [timeDim("month", "sent_at", "UTC")] });
    // 2025-02-28T23:30Z is already 1 March in Berlin.
    expect(r.results.map((x) => [x.group.month, x.value])).toEqual([["2025-01", 1], ["2025-02", 2], ["2025-03", 6]]);
  });

  it("where filters every KPI whose dataset has the columns and skips the others with a diagnostic", () => {
    const r = evaluate(m, data, { where: eq(str("seg"), lit("a")) });
    expect(r.results.map((x) => [x.kpi, x.value])).toEqual([["total", 1], ["total", 4], ["mean", 2.5]]);
    expect(r.diagnostics.find((d) => d.code === "kpi-skipped")?.message).toContain('"other"');
  });

  it("from / to bound the time column (inclusive / exclusive) in the KPI's zone", () => {
    const r = evaluate(m, data, { from: "2025-02-01", to: "2025-03-01", kpis: ["total", "other"] });
    // Berlin is UTC+1: the bounds are [2025-01-31T23:00Z, 2025-02-28T23:00Z), so 2025-02-28T23:30Z is out.
    expect(r.results.map((x) => [x.kpi, x.group.month ?? null, x.value])).toEqual([["total", "2025-02", 2], ["other", null, 3]]);
    expect(r.diagnostics.some((d) => d.code === "bounds-ignored")).toBe(true);
    const months = evaluate(m, data, { from: "2025-02", to: "2025-03", kpis: ["total"] });
    expect(months.results.map((x) => x.value)).toEqual([2]);
  });

  it("as-of drives now() and today()", () => {
    const m2 = model([ds], [
      kpi("age_days", avg(call("days_between", [col("at", "timestamp"), call("now", [], "timestamp")])), { from: "s" }),
      kpi("recent", share(ge(col("day", "date"), call("today", [], "date"))), { from: "s" }),
    ]);
    const r = evaluate(m2, data, { asOf: "2025-03-10T00:00:00Z" });
    expect(r.results[0]!.value).toBeCloseTo((37 + 1.5 / 24 + 36 + 14 / 24 + 9 + 0.5 / 24 + 0) / 4, 9);
    expect(r.results[1]!.value).toBe(0.25);
  });

  it("unknown KPIs and missing tables are diagnostics, not exceptions", () => {
    const r = evaluate(m, new Map(), { kpis: ["nope", "mean"] });
    expect(r.results).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(["unknown-kpi", "no-data"]));
  });

  it("the plan deduplicates aggregates and orders dependencies first", () => {
    const m3 = model([ds], [
      kpi("a", div(sum(col("x")), count()), { from: "s" }),
      kpi("b", div(sum(col("x")), lit(2)), { from: "s" }),
      kpi("c", div(kpiRef("a"), kpiRef("b")), { dependsOn: ["a", "b"] }),
    ]);
    const p = plan(m3, { kpis: ["c"] });
    expect(p.contexts.size).toBe(1);
    expect([...p.contexts.values()][0]!.aggregates.size).toBe(2);
    expect(p.order.map((k) => k.split("|")[0])).toEqual(["a", "b", "c"]);
    expect(formatPlan(p)).toBe([
      "context #1 s filters=0 by=[] aggregates=2",
      "kpi a by=[] context=#1 (dependency)",
      "kpi b by=[] context=#1 (dependency)",
      "kpi c by=[] refs=a,b",
    ].join("\n"));
    expect(evaluate(m3, data, { kpis: ["c"] }).results[0]!.value).toBe(0.5);
  });
});
