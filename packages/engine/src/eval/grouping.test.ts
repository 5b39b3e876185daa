import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.js";
import type { Expr } from "@yardstick/model";
import { agg, avg, bucket, call, col, count, dataset, dim, eq, gt, kpi, lit, lookup, model, share, str, sum, table, tables, timeDim } from "./test-utils.js";

const cols = { id: "string", seg: "string", at: "timestamp", day: "date", x: "number", flag: "bool" } as const;
const ds = dataset("e", cols, { time: "at" });
const data = tables(table("e", cols, [
  { id: "1", seg: "b", at: "2024-03-11T06:30:00Z", day: "2020-12-31", x: 1, flag: true },
  { id: "2", seg: "a", at: "2024-03-11T07:30:00Z", day: "2021-01-03", x: 2, flag: false },
  { id: "3", seg: null, at: "2024-03-10T07:30:00Z", day: "2021-01-04", x: 3, flag: null },
  { id: "4", seg: "a", at: "2024-12-31T23:30:00Z", day: "2025-01-01", x: 4, flag: true },
  { id: "5", seg: "b", at: null, day: null, x: 5, flag: false },
]));

const groups = (by: ReturnType<typeof dim>[], value = sum(col("x")), zone = "UTC") =>
  evaluate(model([ds], [kpi("k", value, { from: "e", by, zone })]), data).results.map((r) => [r.group, r.value, r.n]);

describe("grouping", () => {
  it("by a string column: sorted, null last", () => {
    expect(groups([dim("seg")])).toEqual([[{ seg: "a" }, 6, 2], [{ seg: "b" }, 6, 2], [{ seg: null }, 3, 1]]);
  });

  it("by a bool column", () => {
    expect(groups([dim("flag", col("flag", "bool"))])).toEqual([[{ flag: false }, 7, 2], [{ flag: true }, 5, 2], [{ flag: null }, 3, 1]]);
  });

  it("by two dimensions", () => {
    const r = groups([dim("seg"), dim("flag", col("flag", "bool"))]);
    expect(r.map((x) => x[0])).toEqual([
      { seg: "a", flag: false }, { seg: "a", flag: true }, { seg: "b", flag: false }, { seg: "b", flag: true }, { seg: null, flag: null },
    ]);
  });

  it("by day in UTC and in Los Angeles (DST)", () => {
    expect(groups([timeDim("day", "at")])).toEqual([
      [{ day: "2024-03-10" }, 3, 1], [{ day: "2024-03-11" }, 3, 2], [{ day: "2024-12-31" }, 4, 1], [{ day: null }, 5, 1],
    ]);
    const la = groups([timeDim("day", "at", "America/Los_Angeles")], sum(col("x")), "America/Los_Angeles");
    expect(la).toEqual([
      [{ day: "2024-03-09" }, 3, 1], [{ day: "2024-03-10" }, 1, 1], [{ day: "2024-03-11" }, 2, 1], [{ day: "2024-12-31" }, 4, 1], [{ day: null }, 5, 1],
    ]);
  });

  it("by week, month, quarter and year, in a zone", () => {
    const z = "Europe/Berlin";
    expect(groups([timeDim("week", "at", z)], count(), z).map((r) => r[0])).toEqual([{ week: "2024-W10" }, { week: "2024-W11" }, { week: "2025-W01" }, { week: null }]);
    expect(groups([timeDim("month", "at", z)], count(), z).map((r) => r[0])).toEqual([{ month: "2024-03" }, { month: "2025-01" }, { month: null }]);
    expect(groups([timeDim("quarter", "at", z)], count(), z).map((r) => r[0])).toEqual([{ quarter: "2024-Q1" }, { quarter: "2025-Q1" }, { quarter: null }]);
    expect(groups([timeDim("year", "at", z)], count(), z).map((r) => r[0])).toEqual([{ year: "2024" }, { year: "2025" }, { year: null }]);
    expect(groups([timeDim("year", "at")], count()).map((r) => r[0])).toEqual([{ year: "2024" }, { year: null }]);
  });

  it("dates bucket without zone shift, ISO week 53", () => {
    const weeks = groups([dim("week", bucket("week", col("day", "date"), "America/Los_Angeles"))], count());
    expect(weeks.map((r) => [r[0], r[1]])).toEqual([[{ week: "2020-W53" }, 2], [{ week: "2021-W01" }, 1], [{ week: "2025-W01" }, 1], [{ week: null }, 1]]);
  });

  it("by a computed expression", () => {
    const r = groups([dim("big", { ...call("greatest", [col("x"), col("x")]), type: "number" })], count());
    expect(r.map((x) => x[0])).toEqual([1, 2, 3, 4, 5].map((big) => ({ big })));
  });

  it("a grouped KPI without rows has no groups; an ungrouped one reports null", () => {
    const empty = tables(table("e", cols, []));
    expect(evaluate(model([ds], [kpi("k", avg(col("x")), { from: "e", by: [dim("seg")] })]), empty).results).toEqual([]);
    const [row] = evaluate(model([ds], [kpi("k", count(), { from: "e" })]), empty).results;
    expect(row).toMatchObject({ value: null, reason: "no rows", n: 0, status: "insufficient_data" });
  });
});

describe("lookups and related rows", () => {
  const custCols = { customer_id: "string", segment: "string", signed_up_at: "timestamp" } as const;
  const orderCols = { order_id: "string", customer_id: "string", amount: "number" } as const;
  const usageCols = { customer_id: "string", feature: "string" } as const;
  const customers = dataset("customers", custCols, { key: "customer_id", time: "signed_up_at" });
  const rel = { name: "customer", column: "customer_id", dataset: "customers", key: "customer_id" };
  const orders = dataset("orders", orderCols, { key: "order_id", relations: [rel] });
  const usage = dataset("usage", usageCols, { relations: [rel] });
  const data = tables(
    table("customers", custCols, [
      ["c1", "smb", "2025-01-01T00:00:00Z"], ["c2", "smb", "2025-01-02T00:00:00Z"], ["c3", "ent", "2025-01-03T00:00:00Z"], ["c4", "ent", "2025-02-01T00:00:00Z"],
    ]),
    table("orders", orderCols, [["o1", "c1", 100], ["o2", "c1", 50], ["o3", "c3", 400], ["o4", "cX", 999], ["o5", "c2", null]]),
    table("usage", usageCols, [["c1", "reports"], ["c1", "chat"], ["c3", "chat"]]),
  );
  const src = (dataset: string) => ({ dataset, relation: "customer", column: "customer_id", key: "customer_id" });
  const run = (...ks: ReturnType<typeof kpi>[]) => evaluate(model([customers, orders, usage], ks), data);

  it("groups by a many-to-one lookup; dangling keys group as null", () => {
    const seg = dim("customer.segment", lookup("customer", "customers", str("segment")));
    const r = run(kpi("revenue", sum(col("amount")), { from: "orders", by: [seg] }));
    expect(r.results.map((x) => [x.group["customer.segment"], x.value])).toEqual([["ent", 400], ["smb", 150], [null, 999]]);
  });

  it("CLV: avg(sum(orders.amount)) from customers; customers without orders have a null sum", () => {
    const r = run(kpi("clv", avg(sum(col("amount"), { source: src("orders") })), { from: "customers" }));
    expect(r.results[0]!.value).toBe((150 + 400) / 2);
  });

  it("count of related rows is 0 when there are none", () => {
    const r = run(kpi("orders_per_customer", avg(count(null, { source: src("orders") })), { from: "customers" }));
    expect(r.results[0]!.value).toBe(4 / 4);
  });

  it("adoption: share(exists(usage)) and exists with a filter", () => {
    const exists = (where?: Expr) => agg("exists", null, { source: src("usage"), type: "bool", ...(where ? { where } : {}) });
    expect(run(kpi("adoption", share(exists()), { from: "customers" })).results[0]!.value).toBe(0.5);
    const r = run(kpi("report_adoption", share(exists(eq(str("feature"), lit("reports")))), { from: "customers", where: exists() }));
    expect(r.results[0]).toMatchObject({ value: 0.5, n: 2 });
  });

  it("min over related rows is a row-level value", () => {
    const r = run(kpi("largest_smallest_order", agg("max", agg("min", col("amount"), { source: src("orders") })), { from: "customers" }));
    expect(r.results[0]!.value).toBe(400);
  });
});

describe("derived columns", () => {
  it("are computed once over the dataset and usable anywhere", () => {
    const cols = { opened_at: "timestamp", resolved_at: "timestamp" } as const;
    const hours = call("hours_between", [col("opened_at", "timestamp"), col("resolved_at", "timestamp")]);
    const ds = dataset("tickets", cols, { time: "opened_at", derived: { resolution_hours: { type: "number", expr: hours } } });
    const data = tables(table("tickets", cols, [
      ["2025-01-01T00:00:00Z", "2025-01-01T02:00:00Z"], ["2025-01-01T00:00:00Z", "2025-01-01T03:00:00Z"],
      ["2025-01-01T00:00:00Z", "2025-01-01T04:00:00Z"], ["2025-01-01T00:00:00Z", "2025-01-01T05:00:00Z"],
      ["2025-01-01T00:00:00Z", "2025-01-02T06:00:00Z"], ["2025-01-01T00:00:00Z", null],
    ]));
    const m = model([ds], [
      kpi("mean", avg(col("resolution_hours")), { from: "tickets" }),
      kpi("median", agg("median", col("resolution_hours")), { from: "tickets" }),
      kpi("slow", count(null, { where: gt(col("resolution_hours"), lit(24)) }), { from: "tickets" }),
    ]);
    const r = evaluate(m, data).results;
    expect(r.map((x) => x.value)).toEqual([8.8, 4, 1]);
  });
});
