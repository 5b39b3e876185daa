/**
 * Every vector of shared/kpi-test-vectors.md that the language can express, with its expected
 * figures. Vectors that cannot be expressed are listed at the end with the reason.
 */
import { describe, expect, it } from "vitest";
import type { Expr } from "@yardstick/model";
import { evaluate, periodLabel, periodRange, bucketFunction, daysFromCivil } from "@yardstick/engine";
import {
  agg, and, avg, call, caseWhen, col, count, dataset, dim, div, eq, ge, isNull, kpi, kpiRef, le, lit, model, mul, only, share,
  str, sub, sum, table, tables, timeDim, bin,
} from "../../packages/engine/src/eval/test-utils.js";

type Cols = Record<string, "string" | "int" | "number" | "bool" | "date" | "timestamp">;
/** One KPI over one dataset built from rows: its only result row. */
function run(cols: Cols, rows: unknown[][], value: Expr, opts: Parameters<typeof kpi>[2] = {}) {
  const ds = dataset("d", cols, { time: Object.keys(cols).find((c) => cols[c] === "timestamp" || cols[c] === "date") });
  const r = evaluate(model([ds], [kpi("k", value, { from: "d", ...opts })]), tables(table("d", cols, rows as never)));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.results;
}
const one = (...a: Parameters<typeof run>) => only(run(...a), "k");

const recommend = col("recommend");
const nps = mul(lit(100), sub(share(ge(recommend, lit(9))), share(le(recommend, lit(6)))));
const npsOpts = { where: isNull(recommend, true), minSamples: 30, target: [{ cmp: ">=" as const, value: 30 }] };
const npsOf = (scores: Array<number | null>) => one({ recommend: "int" }, scores.map((s) => [s]), nps, npsOpts);

describe("NPS", () => {
  it("[10, 9, 9, 8, 7, 7, 6, 5, 3, 0] → -10", () => {
    expect(npsOf([10, 9, 9, 8, 7, 7, 6, 5, 3, 0]).value).toBeCloseTo(-10, 9);
  });
  it("[10, 10, 0] → 33.33… at full precision", () => {
    expect(npsOf([10, 10, 0]).value).toBe(100 * (2 / 3 - 1 / 3));
  });
  it("all 9–10 → +100, all 0–6 → -100", () => {
    expect(npsOf([9, 10, 10]).value).toBe(100);
    expect(npsOf([0, 6, 3]).value).toBe(-100);
  });
  it("no responses → null, insufficient_data", () => {
    const r = npsOf([null, null]);
    expect(r).toMatchObject({ value: null, status: "insufficient_data", n: 0 });
    expect(r.reason).toBe("no rows");
  });
  it("the draft's test: passives count in the denominator, n = 4 < 30", () => {
    const r = evaluate(
      model([dataset("surveys", { customer_id: "string", answered_at: "date", recommend: "int" }, { time: "answered_at" })],
        [kpi("nps", nps, { from: "surveys", ...npsOpts, by: [timeDim("month", "answered_at", "UTC", "date")] })]),
      tables(table("surveys", { customer_id: "string", answered_at: "date", recommend: "int" },
        [["c1", "2025-01-05", 10], ["c2", "2025-01-06", 9], ["c3", "2025-01-07", 7], ["c4", "2025-01-07", 3]])),
    );
    expect(r.results).toEqual([{ kpi: "nps", group: { month: "2025-01" }, value: 25, n: 4, status: "insufficient_data", target: 30 }]);
  });
  it("standard error: p+ = 0.3, p- = 0.4, n = 10 → variance 0.69, SE ≈ 26.3 points, 95% CI ≈ ±51.5", () => {
    const pp = share(ge(recommend, lit(9))), pm = share(le(recommend, lit(6)));
    const variance = sub(bin("+", pp, pm), call("pow", [sub(pp, pm), lit(2)]));
    const se = mul(lit(100), call("sqrt", [div(variance, count())]));
    const scores = [[10], [9], [9], [8], [7], [7], [6], [5], [3], [0]];
    expect(one({ recommend: "int" }, scores, variance).value).toBeCloseTo(0.69, 12);
    expect(one({ recommend: "int" }, scores, se).value).toBeCloseTo(26.27, 2);
    expect(one({ recommend: "int" }, scores, mul(lit(1.96), se)).value).toBeCloseTo(51.5, 1);
  });
});

describe("CSAT and CES", () => {
  const csat = [...Array(10).fill([5]), ...Array(20).fill([4]), ...Array(10).fill([3]), ...Array(5).fill([2]), ...Array(5).fill([1])];
  const s = col("satisfaction");
  it("top-2-box 60%, mean 3.5, Σ(s-1)/(n·4) = 62.5%, Σs/(5n) = 70%", () => {
    expect(one({ satisfaction: "int" }, csat, share(ge(s, lit(4)))).value).toBe(0.6);
    expect(one({ satisfaction: "int" }, csat, avg(s)).value).toBe(3.5);
    expect(one({ satisfaction: "int" }, csat, div(sum(sub(s, lit(1))), mul(count(), lit(4)))).value).toBe(0.625);
    expect(one({ satisfaction: "int" }, csat, div(sum(s), mul(lit(5), count()))).value).toBe(0.7);
  });
  it("CES [7, 6, 6, 5, 4, 3, 7, 2, 5, 6]: mean 5.1, share ≥ 5 = 70%", () => {
    const ces = [7, 6, 6, 5, 4, 3, 7, 2, 5, 6].map((x) => [x]);
    expect(one({ ease: "int" }, ces, avg(col("ease"))).value).toBeCloseTo(5.1, 12);
    expect(one({ ease: "int" }, ces, share(ge(col("ease"), lit(5)))).value).toBe(0.7);
  });
});

describe("retention and churn", () => {
  const flags = { start: "bool", end: "bool", new: "bool" } as const;
  const c = (n: string) => col(n, "bool");
  const formula = div(sub(count(null, { where: c("end") }), count(null, { where: c("new") })), count(null, { where: c("start") }));
  const cohort = div(count(null, { where: and(c("start"), c("end")) }), count(null, { where: c("start") }));
  const rows = (...groups: Array<[number, boolean, boolean, boolean]>) => groups.flatMap(([n, a, b, d]) => Array(n).fill([a, b, d]));

  it("(E - N) / S with S = 200, N = 40, E = 220 → 90%", () => {
    const data = rows([180, true, true, false], [20, true, false, false], [40, false, true, true]);
    expect(one(flags, data, formula).value).toBe(0.9);
  });

  it("pitfall: S = 100, 90 stay, 20 new of whom 5 churn, E = 105 → formula 85%, cohort 90%", () => {
    const data = rows([90, true, true, false], [10, true, false, false], [15, false, true, true], [5, false, false, true]);
    expect(one(flags, data, formula).value).toBeCloseTo(0.85, 12);
    expect(one(flags, data, cohort).value).toBe(0.9);
  });

  it("pitfall with retention(customer_id) by month → cohort retention 90%", () => {
    const events: unknown[][] = [];
    for (let i = 0; i < 100; i++) events.push([`c${i}`, "2025-01-15T00:00:00Z"]);
    for (let i = 0; i < 90; i++) events.push([`c${i}`, "2025-02-15T00:00:00Z"]);
    for (let i = 0; i < 15; i++) events.push([`n${i}`, "2025-02-20T00:00:00Z"]);
    const r = run({ customer_id: "string", used_at: "timestamp" }, events, agg("retention", str("customer_id")), { by: [timeDim("month", "used_at")] });
    expect(r.map((x) => [x.group.month, x.value])).toEqual([["2025-01", null], ["2025-02", 0.9]]);
  });

  it("churn annualised: 5% a month → 1 - 0.95^12 = 45.96%, not 60%", () => {
    const data = [...Array(5).fill([true]), ...Array(95).fill([false])];
    const annual = sub(lit(1), call("pow", [sub(lit(1), share(eq(col("churned", "bool"), lit(true)))), lit(12)]));
    expect(one({ churned: "bool" }, data, annual).value).toBeCloseTo(0.4596, 4);
    expect(one({ churned: "bool" }, data, annual).value).toBeCloseTo(1 - 0.95 ** 12, 12);
  });
});

describe("support", () => {
  it("first-contact resolution: 150 of 200 resolved tickets had one contact → 75%", () => {
    const data = [...Array(150).fill([1, "2025-01-02T00:00:00Z"]), ...Array(50).fill([2, "2025-01-02T00:00:00Z"]), ...Array(30).fill([1, null])];
    const r = one({ contacts: "int", resolved_at: "timestamp" }, data, share(eq(col("contacts"), lit(1))), { where: isNull(col("resolved_at", "timestamp"), true) });
    expect(r).toMatchObject({ value: 0.75, n: 200 });
  });

  it("net FCR: 200 contacts, 20 not resolvable at first level, 150 resolved first time → 150/180 = 83.3%", () => {
    const data = [...Array(150).fill([true, true]), ...Array(30).fill([true, false]), ...Array(20).fill([false, false])];
    const v = share(col("first_time", "bool"), { where: col("resolvable", "bool") });
    expect(one({ resolvable: "bool", first_time: "bool" }, data, v).value).toBe(150 / 180);
  });

  it("resolution time [2, 3, 4, 5, 30] h → mean 8.8 h, median 4 h", () => {
    const data = [2, 3, 4, 5, 30].map((h) => ["2025-01-01T00:00:00Z", new Date(Date.UTC(2025, 0, 1, h)).toISOString()]);
    const hours = call("hours_between", [col("opened_at", "timestamp"), col("resolved_at", "timestamp")]);
    const cols = { opened_at: "timestamp", resolved_at: "timestamp" } as const;
    expect(one(cols, data, avg(hours)).value).toBeCloseTo(8.8, 12);
    expect(one(cols, data, agg("median", hours)).value).toBe(4);
  });

  it("business-hours duration: the calendar time 66 h (Fri 16:00 → Mon 10:00)", () => {
    const hours = call("hours_between", [col("opened_at", "timestamp"), col("resolved_at", "timestamp")]);
    expect(one({ opened_at: "timestamp", resolved_at: "timestamp" }, [["2025-01-03T16:00:00Z", "2025-01-06T10:00:00Z"]], avg(hours)).value).toBe(66);
  });
});

describe("product", () => {
  const usage = { customer_id: "string", used_at: "timestamp" } as const;
  const days = [["A", "B"], ["A"], ["A", "C"], []];
  const events = days.flatMap((ids, d) => ids.map((id) => [id, `2025-02-0${d + 1}T12:00:00Z`]));
  const dau = agg("count_distinct", str("customer_id"));
  const perDay = [timeDim("day", "used_at")];

  it("stickiness over active days: avg DAU 5/3, MAU 3 → 55.6%", () => {
    expect(one(usage, events, div(avg(dau, { per: perDay }), dau)).value).toBeCloseTo(5 / 9, 12);
  });

  it("stickiness over all 4 calendar days: avg DAU 1.25 → 41.7%", () => {
    expect(one(usage, events, div(div(sum(dau, { per: perDay }), lit(4)), dau)).value).toBeCloseTo(1.25 / 3, 12);
  });

  it("adoption: 420 of 1000 licensed users used the tool → 42%", () => {
    const users = dataset("users", { user_id: "string" }, { key: "user_id" });
    const use = dataset("usage", { user_id: "string" }, { relations: [{ name: "user", column: "user_id", dataset: "users", key: "user_id" }] });
    const exists = agg("exists", null, { source: { dataset: "usage", relation: "user", column: "user_id", key: "user_id" }, type: "bool" });
    const r = evaluate(model([users, use], [kpi("adoption", share(exists), { from: "users" })]), tables(
      table("users", { user_id: "string" }, Array.from({ length: 1000 }, (_, i) => [`u${i}`])),
      table("usage", { user_id: "string" }, Array.from({ length: 1260 }, (_, i) => [`u${i % 420}`])),
    ));
    expect(r.results[0]!.value).toBe(0.42);
  });

  it("time to value [2 h, 5 h, 26 h, never, never]: median among achievers 5 h; never as +∞ 26 h; 60% within 7 days", () => {
    const cols = { signed_up_at: "timestamp", first_value_at: "timestamp" } as const;
    const data = [2, 5, 26, null, null].map((h) => ["2025-01-01T00:00:00Z", h === null ? null : new Date(Date.UTC(2025, 0, 1, h)).toISOString()]);
    const hours = call("hours_between", [col("signed_up_at", "timestamp"), col("first_value_at", "timestamp")]);
    expect(one(cols, data, agg("median", hours)).value).toBe(5);
    expect(one(cols, data, agg("median", call("coalesce", [hours, lit(Number.MAX_VALUE)]))).value).toBe(26);
    expect(one(cols, data, div(count(null, { where: le(hours, lit(7 * 24)) }), count())).value).toBe(0.6);
  });
});

describe("value", () => {
  const customers = dataset("customers", { customer_id: "string" }, { key: "customer_id" });
  const orders = dataset("orders", { customer_id: "string", amount: "number" }, { relations: [{ name: "customer", column: "customer_id", dataset: "customers", key: "customer_id" }] });
  const clv = avg(sum(col("amount"), { source: { dataset: "orders", relation: "customer", column: "customer_id", key: "customer_id" } }));
  const clvOf = (value: Expr, perCustomer: number[]) => evaluate(model([customers, orders], [kpi("clv", value, { from: "customers" })]), tables(
    table("customers", { customer_id: "string" }, [["a"], ["b"]]),
    table("orders", { customer_id: "string", amount: "number" }, ["a", "b"].flatMap((c) => perCustomer.map((x) => [c, x]))),
  )).results[0]!.value;

  it("CLV (brief): average sale $50 × 6 purchases → $300", () => {
    expect(clvOf(clv, Array(6).fill(50))).toBe(300);
  });

  it("CLV (margin): 3 purchases/year × $70 × 3 years × 30% margin → $189", () => {
    expect(clvOf(mul(clv, lit(0.3)), Array(9).fill(70))).toBeCloseTo(189, 9);
  });

  it("value for effort: ratio of sums 11/15 = 0.733 misses ≥ 1; mean of ratios 1.05 meets it", () => {
    const cols = { customer_id: "string", value_points: "number", effort_points: "number" } as const;
    const data = [["X", 10, 5], ["Y", 1, 10]];
    const target = [{ cmp: ">=" as const, value: 1 }];
    const ratio = one(cols, data, div(sum(col("value_points")), sum(col("effort_points"))), { target });
    expect(ratio.value).toBeCloseTo(11 / 15, 12);
    expect(ratio.status).toBe("off_target");
    const mean = one(cols, data, avg(div(col("value_points"), col("effort_points"))), { target });
    expect(mean.value).toBeCloseTo(1.05, 12);
    expect(mean.status).toBe("on_target");
  });

  it("perception over image: quality 4.2 over image 3.5 (both 1–5) → 1.2", () => {
    const s = dataset("surveys", { quality: "int" });
    const b = dataset("brand_study", { image_score: "number" });
    const r = evaluate(model([s, b], [
      kpi("perceived_quality", avg(col("quality")), { from: "surveys", where: isNull(col("quality"), true) }),
      kpi("brand_image", avg(col("image_score")), { from: "brand_study" }),
      kpi("perception_over_image", div(kpiRef("perceived_quality"), kpiRef("brand_image")), { dependsOn: ["perceived_quality", "brand_image"], target: [{ cmp: ">=", value: 1 }] }),
    ]), tables(table("surveys", { quality: "int" }, [[4], [5], [4], [4], [4], [null]]), table("brand_study", { image_score: "number" }, [[3], [4]])));
    expect(only(r.results, "perception_over_image")).toMatchObject({ value: expect.closeTo(1.2, 12), status: "on_target", n: 2 });
  });

  it("SUS: one respondent [4,2,4,2,4,2,4,2,4,2] → 75", () => {
    const item = col("item"), score = col("score");
    const odd = eq(bin("%", item, lit(2)), lit(1));
    const contribution = caseWhen([[odd, sub(score, lit(1))]], sub(lit(5), score));
    const sus = avg(mul(sum(contribution), lit(2.5)), { per: [dim("respondent")] });
    const data = [4, 2, 4, 2, 4, 2, 4, 2, 4, 2].map((s, i) => ["r1", i + 1, s]);
    expect(one({ respondent: "string", item: "int", score: "int" }, data, sus).value).toBe(75);
  });
});

describe("time zones", () => {
  it("an instant late on 10 March (LA) is 11 March in UTC; 10 March 2024 has 23 h in Los Angeles", () => {
    // The vector's instant, 2024-03-11 07:30 UTC, is 00:30 on 11 March in Los Angeles: PDT (UTC-7)
    // began on 10 March. 06:30 UTC is the instant that falls on 10 March there.
    const cols = { at: "timestamp" } as const;
    const byDay = (zone: string) => run(cols, [["2024-03-11T06:30:00Z"]], count(), { by: [timeDim("day", "at", zone)], zone }).map((r) => r.group.day);
    expect(byDay("America/Los_Angeles")).toEqual(["2024-03-10"]);
    expect(byDay("UTC")).toEqual(["2024-03-11"]);
    expect(periodLabel("day", bucketFunction("day", "timestamp", "America/Los_Angeles")(Date.parse("2024-03-11T07:30:00Z")))).toBe("2024-03-11");
    const [a, b] = periodRange("day", daysFromCivil(2024, 3, 10), "timestamp", "America/Los_Angeles");
    expect((b - a) / 3_600_000).toBe(23);
  });
});

describe("not expressible", () => {
  it.skip("business-hours duration (2 h over a Mon–Fri 09–17 calendar): the language has no business calendar", () => {});
});
