import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.js";
import {
  agg, avg, bucket, call, change, col, lit, count, dataset, dim, div, kpi, kpiRef, model, pctChange, previous, str, sum, table, tables, timeDim,
} from "./test-utils.js";

const usageCols = { customer_id: "string", used_at: "timestamp", seg: "string" } as const;
const usageDs = dataset("usage", usageCols, { time: "used_at" });
const distinct = (o = {}) => agg("count_distinct", str("customer_id"), o);

describe("per nesting", () => {
  // Daily active sets {A,B}, {A}, {A,C}, {} in a 4-day period (the stickiness vector).
  const data = tables(table("usage", usageCols, [
    ["A", "2025-02-01T10:00:00Z", "x"], ["B", "2025-02-01T11:00:00Z", "x"], ["A", "2025-02-01T12:00:00Z", "x"],
    ["A", "2025-02-02T10:00:00Z", "x"],
    ["A", "2025-02-03T10:00:00Z", "x"], ["C", "2025-02-03T23:00:00Z", "x"],
  ]));
  const perDay = [timeDim("day", "used_at")];

  it("stickiness over active days: avg(count_distinct per day) / count_distinct", () => {
    const value = div(avg(distinct(), { per: perDay }), distinct());
    const [r] = evaluate(model([usageDs], [kpi("stickiness", value, { from: "usage" })]), data).results;
    expect(r!.value).toBeCloseTo(5 / 3 / 3, 12);
  });

  it("calendar average with period_days()", () => {
    const value = div(div(sum(distinct(), { per: perDay }), call("period_days", [], "int")), distinct());
    const r = evaluate(model([usageDs], [kpi("stickiness", value, { from: "usage", by: [timeDim("month", "used_at")] })]), data).results;
    expect(r.map((x) => [x.group.month, x.value])).toEqual([["2025-02", 5 / 28 / 3]]);
  });

  it("period_days() without a time bucket is null with a reason and a diagnostic", () => {
    const r = evaluate(model([usageDs], [kpi("k", call("period_days", [], "int"), { from: "usage" })]), data);
    expect(r.results[0]).toMatchObject({ value: null, reason: "period_days() needs a time bucket in the grouping" });
    expect(r.diagnostics.map((d) => d.code)).toContain("needs-time-grouping");
  });

  it("avg(count() per customer_id), within groups", () => {
    const value = avg(count(), { per: [dim("customer_id")] });
    const [r] = evaluate(model([usageDs], [kpi("k", value, { from: "usage" })]), data).results;
    expect(r!.value).toBe(6 / 3);
    const byDay = evaluate(model([usageDs], [kpi("k", value, { from: "usage", by: perDay })]), data).results;
    expect(byDay.map((x) => x.value)).toEqual([1.5, 1, 1]);
  });

  it("per with an outer filter keeps only matching rows", () => {
    const value = agg("max", count(), { per: [dim("customer_id")], where: { op: "binary", operator: "!=", left: str("customer_id"), right: { op: "lit", value: "A", type: "string", origin: { file: "t", start: 0, end: 0 } }, type: "bool", origin: { file: "t", start: 0, end: 0 } } });
    const [r] = evaluate(model([usageDs], [kpi("k", value, { from: "usage" })]), data).results;
    expect(r!.value).toBe(1);
  });
});

describe("time comparisons", () => {
  const cols = { seg: "string", at: "timestamp", x: "number" } as const;
  const ds = dataset("s", cols, { time: "at" });
  const data = tables(table("s", cols, [
    ["a", "2024-03-15T00:00:00Z", 50],
    ["a", "2025-01-10T00:00:00Z", 10], ["a", "2025-01-20T00:00:00Z", 20],
    ["a", "2025-03-05T00:00:00Z", 45], // February missing
    ["a", "2025-04-05T00:00:00Z", 0],
    ["a", "2025-05-05T00:00:00Z", 9],
    ["b", "2025-01-05T00:00:00Z", 7], ["b", "2025-02-05T00:00:00Z", 14],
  ]));
  const by = [dim("seg"), timeDim("month", "at")];
  const run = (...ks: ReturnType<typeof kpi>[]) => evaluate(model([ds], [kpi("total", sum(col("x")), { from: "s", by }), ...ks]), data);
  const series = (r: ReturnType<typeof run>, name: string) =>
    r.results.filter((x) => x.kpi === name).map((x) => [`${x.group.seg} ${x.group.month}`, x.value, x.reason ?? null]);

  it("previous steps by calendar month; a missing month is missing", () => {
    const r = run(kpi("prev", previous(kpiRef("total")), { by, dependsOn: ["total"] }));
    expect(series(r, "prev")).toEqual([
      ["a 2024-03", null, "no value for the previous period (2024-02)"],
      ["a 2025-01", null, "no value for the previous period (2024-12)"],
      ["a 2025-03", null, "no value for the previous period (2025-02)"],
      ["a 2025-04", 45, null],
      ["a 2025-05", 0, null],
      ["b 2025-01", null, "no value for the previous period (2024-12)"],
      ["b 2025-02", 7, null],
    ]);
  });

  it("change and pct_change (relative to |previous|; previous 0 → division by zero)", () => {
    const r = run(kpi("chg", change(kpiRef("total")), { by }), kpi("pct", pctChange(kpiRef("total")), { by }));
    expect(series(r, "chg").map((x) => x[1])).toEqual([null, null, null, -45, 9, null, 7]);
    expect(series(r, "pct").map((x) => x[1])).toEqual([null, null, null, -1, null, null, 1]);
    expect(series(r, "pct")[4]![2]).toBe("division by zero");
  });

  it("previous(x, year) compares with the same month last year", () => {
    const r = run(kpi("ly", previous(kpiRef("total"), "year"), { by }));
    expect(series(r, "ly").find((x) => x[0] === "a 2025-03")![1]).toBe(50);
  });

  it("time comparisons of an aggregate expression, on the KPI's own grouping", () => {
    const r = evaluate(model([ds], [kpi("growth", change(sum(col("x"))), { from: "s", by: [timeDim("month", "at")] })]), data);
    expect(r.results.map((x) => [x.group.month, x.value])).toEqual([
      ["2024-03", null], ["2025-01", null], ["2025-02", 14 - 37], ["2025-03", 45 - 14], ["2025-04", -45], ["2025-05", 9],
    ]);
  });

  it("previous without a time bucket is null with a diagnostic", () => {
    const r = evaluate(model([ds], [kpi("p", previous(sum(col("x"))), { from: "s" })]), data);
    expect(r.results[0]!.value).toBeNull();
    expect(r.diagnostics.some((d) => d.code === "needs-time-grouping")).toBe(true);
  });
});

describe("KPI references", () => {
  const sCols = { at: "timestamp", quality: "number", seg: "string" } as const;
  const bCols = { measured_at: "date", image_score: "number" } as const;
  const surveys = dataset("surveys", sCols, { time: "at" });
  const brand = dataset("brand_study", bCols, { time: "measured_at" });
  const data = tables(
    table("surveys", sCols, [["2025-01-10T00:00:00Z", 4, "smb"], ["2025-02-10T00:00:00Z", 4.4, "ent"], ["2025-04-10T00:00:00Z", 3, "smb"]]),
    table("brand_study", bCols, [["2025-01-15", 3.5], ["2025-03-15", 3.5], ["2025-07-01", 4]]),
  );
  const kpis = (by: ReturnType<typeof dim>[]) => [
    kpi("perceived_quality", avg(col("quality")), { from: "surveys" }),
    kpi("brand_image", avg(col("image_score")), { from: "brand_study" }),
    kpi("perception_over_image", div(kpiRef("perceived_quality"), kpiRef("brand_image")), { by, dependsOn: ["perceived_quality", "brand_image"], target: [{ cmp: ">=", value: 1 }] }),
  ];

  it("perception over image = 4.2 / 3.5 = 1.2 (ungrouped)", () => {
    const r = evaluate(model([surveys, brand], kpis([])), data).results;
    const row = r.find((x) => x.kpi === "perception_over_image")!;
    expect(row.value).toBeCloseTo((11.4 / 3) / (11 / 3), 12);
    expect(row.n).toBe(3);
  });

  it("by quarter: each referenced KPI is bucketed on its own time column; n = the smallest n", () => {
    // As the front end lowers `by quarter` in a KPI without `from`: a bucket of a placeholder.
    const q = dim("quarter", bucket("quarter", lit(null, "timestamp")));
    const r = evaluate(model([surveys, brand], kpis([q])), data).results.filter((x) => x.kpi === "perception_over_image");
    expect(r.map((x) => [x.group.quarter, x.value, x.n, x.status, x.reason ?? null])).toEqual([
      ["2025-Q1", 4.2 / 3.5, 2, "on_target", null],
      ["2025-Q2", null, 0, "insufficient_data", 'no value of "brand_image" for this group'],
      ["2025-Q3", null, 0, "insufficient_data", 'no value of "perceived_quality" for this group'],
    ]);
    expect(r[0]!.value).toBeCloseTo(1.2, 12);
  });

  it("a dimension a referenced KPI lacks is dropped for it (its value covers every segment)", () => {
    const r = evaluate(model([surveys, brand], kpis([dim("seg")])), data);
    const rows = r.results.filter((x) => x.kpi === "perception_over_image");
    expect(rows.map((x) => [x.group.seg, x.value])).toEqual([["ent", 4.4 / (11 / 3)], ["smb", 3.5 / (11 / 3)]]);
    expect(r.diagnostics.some((d) => d.code === "dimension-dropped")).toBe(true);
  });

  it("cycles are reported, not looped on", () => {
    const m = model([surveys], [kpi("a", kpiRef("b")), kpi("b", kpiRef("a"))]);
    const r = evaluate(m, data);
    expect(r.diagnostics.some((d) => d.code === "circular-kpi")).toBe(true);
  });
});

describe("windows", () => {
  const data = tables(table("usage", usageCols, [
    ["A", "2025-01-05T00:00:00Z", "x"], ["B", "2025-01-25T00:00:00Z", "x"], ["C", "2025-02-10T00:00:00Z", "y"],
    ["A", "2025-02-27T00:00:00Z", "y"], ["D", "2025-03-30T12:00:00Z", "x"],
  ]));
  const w30 = { count: 30, unit: "day" as const };

  it("count_distinct over last 30 days, per month: the 30 days ending at the end of the month", () => {
    const r = evaluate(model([usageDs], [kpi("active30", distinct({ window: w30 }), { from: "usage", by: [timeDim("month", "used_at")] })]), data).results;
    // Jan: Jan 2..Jan 31 → A, B; Feb: Jan 30..Feb 28 → C, A; Mar: Mar 2..Mar 31 → D.
    expect(r.map((x) => [x.group.month, x.value])).toEqual([["2025-01", 2], ["2025-02", 2], ["2025-03", 1]]);
  });

  it("ungrouped windows end at as-of", () => {
    const m = model([usageDs], [kpi("active30", distinct({ window: w30 }), { from: "usage" })]);
    expect(evaluate(m, data, { asOf: "2025-03-01T00:00:00Z" }).results[0]!.value).toBe(2);
    expect(evaluate(m, data, { asOf: "2025-01-20T00:00:00Z" }).results[0]!.value).toBe(1);
  });

  it("windows keep the other dimensions", () => {
    const r = evaluate(model([usageDs], [kpi("n", count(null, { window: { count: 2, unit: "month" } }), { from: "usage", by: [dim("seg"), timeDim("month", "used_at")] })]), data).results;
    expect(r.map((x) => [x.group.seg, x.group.month, x.value])).toEqual([
      ["x", "2025-01", 2], ["x", "2025-03", 1], ["y", "2025-02", 2],
    ]);
  });
});

describe("retention", () => {
  it("share of the previous period's active entities active again; first period null", () => {
    const rows: Array<[string, string, string]> = [];
    for (const c of ["A", "B", "C", "D"]) rows.push([c, "2025-01-10T00:00:00Z", "x"]);
    for (const c of ["A", "B", "C", "E"]) rows.push([c, "2025-02-10T00:00:00Z", "x"]);
    for (const c of ["A", "E"]) rows.push([c, "2025-04-10T00:00:00Z", "x"]);
    const data = tables(table("usage", usageCols, rows));
    const r = evaluate(model([usageDs], [kpi("retention", agg("retention", str("customer_id")), { from: "usage", by: [timeDim("month", "used_at")], target: [{ cmp: ">=", value: 0.9 }] })]), data).results;
    expect(r.map((x) => [x.group.month, x.value, x.status])).toEqual([
      ["2025-01", null, "insufficient_data"], ["2025-02", 0.75, "off_target"], ["2025-04", null, "insufficient_data"],
    ]);
    expect(r[0]!.reason).toBe("no previous period (2024-12) to retain from");
  });
});
