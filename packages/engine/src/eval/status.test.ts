import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.js";
import { avg, col, count, dataset, dim, div, eq, field, ge, kpi, lit, model, share, str, sub, sum, table, tables, le } from "./test-utils.js";

const cols = { channel: "string", contacts: "int", region: "string" } as const;
const ds = dataset("tickets", cols);
const data = tables(table("tickets", cols, [
  ["phone", 1, "eu"], ["phone", 1, "eu"], ["phone", 2, "eu"], ["phone", 1, "eu"], // 75%
  ["email", 1, "us"], ["email", 3, "eu"], ["email", 1, "us"], // 66.7%
  ["chat", 2, "us"], // 0%
]));
const fcrValue = share(eq(col("contacts"), lit(1)));
const perChannel = [{ when: eq(str("channel"), lit("phone")), cmp: ">=" as const, value: 0.7 }, { cmp: ">=" as const, value: 0.6 }];
const rows = (k: ReturnType<typeof kpi>, request = {}) => evaluate(model([ds], [k]), data, request).results;

describe("targets and statuses", () => {
  it("per-dimension targets: the first arm whose condition holds", () => {
    const r = rows(kpi("fcr", fcrValue, { from: "tickets", by: [dim("channel")], target: perChannel }));
    expect(r.map((x) => [x.group.channel, x.target, x.status])).toEqual([
      ["chat", 0.6, "off_target"], ["email", 0.6, "on_target"], ["phone", 0.7, "on_target"],
    ]);
  });

  it("a target condition on a dimension outside the grouping applies only when every row agrees", () => {
    const byRegion = rows(kpi("fcr", fcrValue, { from: "tickets", by: [dim("region")], target: perChannel }));
    // eu has phone and email rows: the phone arm does not apply; us has email and chat.
    expect(byRegion.map((x) => [x.group.region, x.target])).toEqual([["eu", 0.6], ["us", 0.6]]);
    const phoneOnly = evaluate(model([ds], [kpi("fcr", fcrValue, { from: "tickets", where: eq(str("channel"), lit("phone")), target: perChannel })]), data).results;
    expect(phoneOnly[0]).toMatchObject({ target: 0.7, status: "on_target" });
  });

  it("lower is better is expressed by the comparator", () => {
    const r = rows(kpi("contacts", avg(col("contacts")), { from: "tickets", target: [{ cmp: "<=", value: 1.5 }], direction: "lower" }));
    expect(r[0]).toMatchObject({ value: 1.5, status: "on_target", target: 1.5 });
  });

  it("min samples: insufficient_data below it, and when the value is null", () => {
    const r = rows(kpi("fcr", fcrValue, { from: "tickets", by: [dim("channel")], minSamples: 3, target: perChannel }));
    expect(r.map((x) => [x.group.channel, x.n, x.status])).toEqual([["chat", 1, "insufficient_data"], ["email", 3, "on_target"], ["phone", 4, "on_target"]]);
    const none = rows(kpi("fcr", share(eq(col("contacts"), lit(1)), { where: eq(str("channel"), lit("fax")) }), { from: "tickets", target: perChannel }));
    expect(none[0]).toMatchObject({ value: null, status: "insufficient_data", target: 0.6 });
  });

  it("status blocks: first matching arm; fields value, target and n", () => {
    const status = [
      { label: "on_track", when: ge(field("fcr", "value"), field("fcr", "target")) },
      { label: "at_risk", when: ge(field("fcr", "value"), sub(field("fcr", "target"), lit(0.1))) },
      { label: "off_track" },
    ];
    const r = rows(kpi("fcr", fcrValue, { from: "tickets", by: [dim("channel")], target: [{ cmp: ">=", value: 0.7 }], status }));
    expect(r.map((x) => [x.group.channel, x.status])).toEqual([["chat", "off_track"], ["email", "at_risk"], ["phone", "on_track"]]);
    const small = rows(kpi("fcr", fcrValue, { from: "tickets", by: [dim("channel")], status: [{ label: "tiny", when: le(field("fcr", "n"), lit(1)) }] }));
    expect(small.map((x) => x.status)).toEqual(["tiny", null, null]);
  });

  it("no target and no status: status null unless data is insufficient", () => {
    expect(rows(kpi("k", count(), { from: "tickets" }))[0]).toMatchObject({ status: null, target: null });
  });

  it("ratio KPIs report numerator and denominator", () => {
    const num = sum(col("contacts"), { where: eq(str("region"), lit("eu")) }), den = sum(col("contacts"));
    const r = rows(kpi("share_eu", div(num, den), { from: "tickets", ratio: { numerator: num, denominator: den } }));
    expect(r[0]).toEqual({ kpi: "share_eu", group: {}, value: 8 / 12, n: 8, status: null, target: null, numerator: 8, denominator: 12 });
  });

  it("the result row shape", () => {
    const r = rows(kpi("fcr", fcrValue, { from: "tickets", by: [dim("channel")], minSamples: 30, target: [{ cmp: ">=", value: 0.7 }] }));
    expect(Object.keys(r[0]!)).toEqual(["kpi", "group", "value", "n", "status", "target"]);
    expect(JSON.parse(JSON.stringify(r[0]))).toEqual({ kpi: "fcr", group: { channel: "chat" }, value: 0, n: 1, status: "insufficient_data", target: 0.7 });
  });
});
