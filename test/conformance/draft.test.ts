/**
 * The language draft end to end: its datasets and KPIs, compiled by the front end, evaluated on
 * small tables whose every figure is worked out by hand in the comments.
 */
import { describe, expect, it } from "vitest";
import { compile, compileQuery } from "@yardstick/language";
import { evaluate, type ResultRow } from "@yardstick/engine";
import { table, tables } from "../../packages/engine/src/eval/test-utils.js";

const DRAFT = `dataset customers from "data/customers.csv" {
  customer_id: string key
  segment: string in ("smb", "mid-market", "enterprise")
  signed_up_at: timestamp time          // \`time\` marks the default time column
  first_value_at: timestamp?            // \`?\` = nullable; first time the customer reached its goal
}

dataset tickets from "data/tickets.csv" {
  ticket_id: string key
  customer_id: string -> customers      // many-to-one: \`customer.segment\` is reachable from a ticket
  channel: string in ("phone", "email", "chat", "portal")
  opened_at: timestamp time
  resolved_at: timestamp?
  contacts: int in 1..                  // contacts needed until resolved
}

dataset surveys from "data/surveys.csv" {
  customer_id: string -> customers
  answered_at: timestamp time
  recommend: int? in 0..10 @customer    // likelihood to recommend
  satisfaction: int? in 1..5 @customer
  ease: int? in 1..7 @customer          // CES 2.0: 7 = "very easy"
  quality: int? in 1..5 @customer       // perceived quality of our service
}

dataset brand_study from "data/brand-study.csv" {
  measured_at: date time
  image_score: number in 1..5 @company  // how the company rates its own image, same 1-5 scale
}

dataset usage from "data/usage.csv" {
  customer_id: string -> customers
  used_at: timestamp time
  feature: string
}

dataset orders from "data/orders.csv" {
  order_id: string key
  customer_id: string -> customers
  ordered_at: timestamp time
  amount: number unit USD
}

dataset campaigns from "data/campaigns.csv" {
  customer_id: string -> customers
  sent_at: date time
  spend: number unit USD @company       // what we spent reaching the customer
  effort_points: number @customer       // what the customer put in: clicks, reads, participation
  value_points: number @customer        // value the customer reported getting
}

kpi nps "Net Promoter Score" {
  description "Promoters (9-10) minus detractors (0-6), in points from -100 to 100."
  owner "cx-team"
  from surveys where recommend is not null
  value 100 * (share(recommend >= 9) - share(recommend <= 6))
  unit points
  min samples 30                        // below it the status is \`insufficient_data\`
  target >= 30
}

kpi csat "Customer satisfaction (top-2-box)" {
  from surveys where satisfaction is not null
  value share(satisfaction >= 4)
  format percent
  target >= 0.8
}

kpi ces "Customer effort score" {
  from surveys where ease is not null
  value avg(ease)
  target >= 5.5
}

kpi likely_to_recommend "Likely-to-recommend rate" {
  from surveys where recommend is not null
  value share(recommend >= 9)
  format percent
}

kpi fcr "First-contact resolution" {
  from tickets where resolved_at is not null
  value share(contacts = 1)
  format percent
  target >= 0.7 when channel = "phone" else >= 0.6   // targets may depend on a dimension
}

kpi resolution_time "Customer request resolution time" {
  from tickets where resolved_at is not null
  value median(hours_between(opened_at, resolved_at))
  unit hours
  lower is better
  target <= 24
}

kpi time_to_value "Time to value" {
  from customers
  value median(days_between(signed_up_at, first_value_at))
  unit days
  lower is better
  target <= 14
}

kpi adoption_rate "Product adoption rate" {
  from customers
  value share(exists(usage))
  format percent
}

kpi report_adoption "Reports feature adoption" {
  from customers where exists(usage)
  value share(exists(usage where feature = "reports"))
}

kpi retention "Customer retention rate" {
  from usage
  value retention(customer_id)          // share of last period's active customers active again
  by month
  format percent
  target >= 0.9
}

kpi stickiness "Stickiness (DAU/MAU)" {
  from usage
  value avg(count_distinct(customer_id) per day) / count_distinct(customer_id)
  by month
  format percent
}

kpi clv "Customer lifetime value" {
  from customers
  value avg(sum(orders.amount))         // nested: per customer, then across customers
  unit USD
}

kpi perceived_quality "Perceived quality" {
  from surveys where quality is not null
  value avg(quality)
}

kpi brand_image "Brand image" {
  from brand_study
  value avg(image_score)
}

kpi perception_over_image "Perception over image" {
  description "Customer perception over company image: at 1 or more, customers see us at least as we see ourselves."
  value perceived_quality / brand_image     // customer-over-company
  by quarter
  target >= 1
}

kpi value_for_effort "Perceived value for effort" {
  description "Value customers got from our campaigns per unit of effort they put in."
  from campaigns
  value sum(value_points) / sum(effort_points)
  target >= 1
}
`;

const { model, diagnostics, program } = compile([{ path: "draft.kpi", text: DRAFT }]);

const data = tables(
  table("customers", { customer_id: "string", segment: "string", signed_up_at: "timestamp", first_value_at: "timestamp" }, [
    ["c1", "smb", "2025-01-01T00:00:00Z", "2025-01-03T00:00:00Z"], // 2 days to value
    ["c2", "smb", "2025-01-02T00:00:00Z", "2025-01-07T00:00:00Z"], // 5 days
    ["c3", "enterprise", "2025-01-05T00:00:00Z", null], // never
    ["c4", "mid-market", "2025-02-01T00:00:00Z", "2025-02-27T00:00:00Z"], // 26 days
  ]),
  table("tickets", { ticket_id: "string", customer_id: "string", channel: "string", opened_at: "timestamp", resolved_at: "timestamp", contacts: "int" }, [
    ["t1", "c1", "phone", "2025-01-01T00:00:00Z", "2025-01-01T02:00:00Z", 1], // 2 h
    ["t2", "c1", "phone", "2025-01-02T00:00:00Z", "2025-01-02T03:00:00Z", 1], // 3 h
    ["t3", "c2", "phone", "2025-01-03T00:00:00Z", "2025-01-03T04:00:00Z", 2], // 4 h
    ["t4", "c2", "email", "2025-01-04T00:00:00Z", "2025-01-04T05:00:00Z", 1], // 5 h
    ["t5", "c3", "email", "2025-01-05T00:00:00Z", "2025-01-06T06:00:00Z", 3], // 30 h
    ["t6", "c4", "chat", "2025-01-06T00:00:00Z", null, 1], // unresolved
  ]),
  table("surveys", { customer_id: "string", answered_at: "timestamp", recommend: "int", satisfaction: "int", ease: "int", quality: "int" }, [
    ["c1", "2025-01-05T10:00:00Z", 10, 5, 7, 4],
    ["c2", "2025-01-06T10:00:00Z", 9, 4, 6, 5],
    ["c3", "2025-01-07T10:00:00Z", 7, 3, 5, null],
    ["c4", "2025-01-07T11:00:00Z", 3, null, 4, 4],
    ["c1", "2025-02-10T10:00:00Z", null, 2, null, 3],
  ]),
  table("brand_study", { measured_at: "date", image_score: "number" }, [["2025-01-15", 3.5], ["2025-04-15", 4.5]]),
  table("usage", { customer_id: "string", used_at: "timestamp", feature: "string" }, [
    ["c1", "2025-01-10T09:00:00Z", "reports"], ["c1", "2025-01-10T15:00:00Z", "chat"], ["c2", "2025-01-11T09:00:00Z", "chat"],
    ["c2", "2025-01-12T09:00:00Z", "chat"], ["c1", "2025-02-10T09:00:00Z", "chat"], ["c4", "2025-02-15T09:00:00Z", "reports"],
  ]),
  table("orders", { order_id: "string", customer_id: "string", ordered_at: "timestamp", amount: "number" }, [
    ["o1", "c1", "2025-01-10T00:00:00Z", 100], ["o2", "c1", "2025-02-10T00:00:00Z", 50], ["o3", "c3", "2025-01-20T00:00:00Z", 400],
  ]),
  table("campaigns", { customer_id: "string", sent_at: "date", spend: "number", effort_points: "number", value_points: "number" }, [
    ["c1", "2025-01-10", 20, 5, 10], // customer X: value 10 / effort 5
    ["c2", "2025-01-11", 30, 10, 1], // customer Y: value 1 / effort 10
  ]),
);

const brief = (r: ResultRow) => [r.kpi, r.group, r.value, r.n, r.status, r.target];

describe("the language draft, end to end", () => {
  it("compiles without diagnostics", () => {
    expect(diagnostics).toEqual([]);
  });

  it("evaluates every KPI", () => {
    const r = evaluate(model, data);
    expect(r.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    const rows = r.results.map(brief);
    const close = (x: number) => expect.closeTo(x, 12);
    expect(rows).toEqual([
      // recommend 10, 9, 7, 3: (2 - 1) / 4 promoters minus detractors; n = 4 < min samples 30.
      ["nps", {}, 25, 4, "insufficient_data", 30],
      // satisfaction 5, 4, 3, 2 → 2 of 4 in the top two boxes.
      ["csat", {}, 0.5, 4, "off_target", 0.8],
      // ease 7, 6, 5, 4 → 5.5.
      ["ces", {}, 5.5, 4, "on_target", 5.5],
      ["likely_to_recommend", {}, 0.5, 4, null, null],
      // Resolved: t1..t5; one contact: t1, t2, t4. Phone and email rows: the phone arm does not apply.
      ["fcr", {}, 0.6, 5, "on_target", 0.6],
      // 2, 3, 4, 5, 30 h.
      ["resolution_time", {}, 4, 5, "on_target", 24],
      // 2, 5, 26 days (c3 never reached value).
      ["time_to_value", {}, 5, 4, "on_target", 14],
      // c1, c2, c4 used the product.
      ["adoption_rate", {}, 0.75, 4, null, null],
      // Of c1, c2, c4: c1 and c4 used reports.
      ["report_adoption", {}, close(2 / 3), 3, null, null],
      // January {c1, c2}; February {c1, c4}.
      ["retention", { month: "2025-01" }, null, 4, "insufficient_data", 0.9],
      ["retention", { month: "2025-02" }, 0.5, 2, "off_target", 0.9],
      // Daily actives: Jan 10 {c1}, Jan 11 {c2}, Jan 12 {c2} → 1 a day over 2 monthly; February alike.
      ["stickiness", { month: "2025-01" }, 0.5, 4, null, null],
      ["stickiness", { month: "2025-02" }, 0.5, 2, null, null],
      // Sums per customer: c1 150, c3 400 (customers without orders have no sum).
      ["clv", {}, 275, 4, null, null],
      // quality 4, 5, 4, 3.
      ["perceived_quality", {}, 4, 4, null, null],
      ["brand_image", {}, 4, 2, null, null],
      // Q1: quality 4 over image 3.5; Q2: an image score but no survey.
      ["perception_over_image", { quarter: "2025-Q1" }, close(4 / 3.5), 1, "on_target", 1],
      ["perception_over_image", { quarter: "2025-Q2" }, null, 0, "insufficient_data", 1],
      // Ratio of sums: (10 + 1) / (5 + 10).
      ["value_for_effort", {}, close(11 / 15), 2, "off_target", 1],
    ]);
    const byName = (k: string) => r.results.filter((x) => x.kpi === k);
    expect(byName("value_for_effort")[0]).toMatchObject({ numerator: 11, denominator: 15 });
    expect(byName("perception_over_image")[0]).toMatchObject({ numerator: 4, denominator: 3.5 });
    expect(byName("perception_over_image")[1]!.reason).toBe('no value of "perceived_quality" for this group');
    expect(byName("retention")[0]!.reason).toBe("no previous period (2024-12) to retain from");
  });

  it("regroups and refilters at query time, as the CLI compiles it", () => {
    const { query, diagnostics: qd } = compileQuery(program, ["fcr"], { by: "channel", where: "customer.segment = \"smb\"" });
    expect(qd).toEqual([]);
    const r = evaluate(model, data, { kpis: ["fcr"], ...query });
    // smb customers c1, c2: phone t1, t2, t3 (2 of 3 first contact, target 0.7); email t4 (1 of 1).
    expect(r.results.map(brief)).toEqual([
      ["fcr", { channel: "email" }, 1, 1, "on_target", 0.6],
      ["fcr", { channel: "phone" }, expect.closeTo(2 / 3, 12), 3, "off_target", 0.7],
    ]);
  });

  it("a query-time month follows each KPI's time column", () => {
    const { query } = compileQuery(program, ["nps", "ces", "resolution_time"], { by: "month" });
    const r = evaluate(model, data, { kpis: ["nps", "resolution_time"], ...query });
    expect(r.results.map((x) => [x.kpi, x.group.month, x.value])).toEqual([["nps", "2025-01", 25], ["resolution_time", "2025-01", 4]]);
  });
});
