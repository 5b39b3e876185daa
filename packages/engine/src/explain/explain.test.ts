/**
 * Explain on the example data: every node's numbers add up, and the value explain recomputes by
 * interpreting the expressions for one group is exactly the value `evaluate` gives that group.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileProject } from "@yardstick/language";
import type { Model } from "@yardstick/model";
import { loadModelData } from "../node/load-file.js";
import { evaluate, type ResultRow } from "../eval/evaluate.js";
import type { EvalRequest } from "../plan/plan.js";
import type { Table } from "../table/table.js";
import { explain } from "./explain.js";
import type { ExplainNode, ExplainTree } from "./types.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../..");
const EXAMPLE = join(ROOT, "examples/customer-centric-it");

/** KPI shapes the example suite lacks (windows, time comparisons, filtered aggregates, ...), on its data. */
const EXTRA = `yardstick 1
import "kpis.kpi"

kpi nps_change "NPS change" {
  value change(nps)
  by month
  unit points
}

kpi nps_quarter_back { value previous(nps, quarter) by month }

kpi csat_growth {
  from surveys where satisfaction is not null
  value pct_change(share(satisfaction >= 4))
  by month
  format percent
}

kpi active_30d "Active customers, trailing 30 days" {
  from usage
  value count_distinct(customer_id) over last 30 days
  by month
}

kpi active_quarter {
  from usage
  value count_distinct(customer_id) over last 3 months
  by feature, month
}

kpi phone_share "Phone share of tickets" {
  from tickets
  value count(where channel = "phone") / count()
  by month
  format percent
}

kpi email_contacts {
  from tickets where resolved_at is not null
  value sum(contacts where channel = "email")
  by customer.segment
}

kpi contacts_p75 { from tickets value percentile(contacts, 0.75) by channel }
kpi contacts_sd { from tickets value stddev(contacts) by channel }
kpi first_ticket { from tickets value min(opened_at) by channel }
kpi busiest_day { from tickets value max(count() per day) by month }
kpi orders_per_customer { from customers value avg(count(orders)) by segment }

kpi detractor_share {
  from surveys where recommend is not null
  value share(recommend <= 6)
  by customer.segment
  format percent
  lower is better
  min samples 5000
  target <= 0.2
}

kpi nps_trend {
  from surveys where recommend is not null
  value 100 * (share(recommend >= 9) - share(recommend <= 6))
  by month
  unit points
  status {
    improving when value > previous(value) + 2
    falling   when value < previous(value) - 2
    steady    otherwise
  }
}
`;

function compileWith(entry: string, extra: Map<string, string> = new Map()): Model {
  const r = compileProject([entry], {
    readFile: (p) => {
      if (extra.has(p)) return extra.get(p);
      try {
        return readFileSync(p, "utf8");
      } catch {
        return undefined;
      }
    },
  });
  expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}: ${d.message}`)).toEqual([]);
  return r.model;
}

let model: Model;
let tables: Map<string, Table>;

beforeAll(async () => {
  const extra = join(EXAMPLE, "explain-extra.kpi");
  model = compileWith(extra, new Map([[extra, EXTRA]]));
  const loaded = await loadModelData(model, { progress: false });
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  tables = loaded.tables;
});

/** The result row `evaluate` gives for a KPI and group. */
function evaluated(kpi: string, group: Record<string, string>, request: EvalRequest = {}): ResultRow {
  const rows = evaluate(model, tables, { ...request, kpis: [kpi] }).results;
  const row = rows.find((r) => Object.entries(group).every(([k, v]) => String(r.group[k]) === v) && Object.keys(r.group).length === Object.keys(group).length);
  expect(row, `${kpi} ${JSON.stringify(group)}`).toBeDefined();
  return row!;
}

function explained(kpi: string, group?: Record<string, string>, request?: EvalRequest, rows?: number): ExplainTree {
  const t = explain(model, tables, { kpi, ...(group ? { group } : {}), ...(request ? { request } : {}), ...(rows !== undefined ? { rows } : {}) });
  expect(t.error).toBeUndefined();
  expect(t.notes.filter((n) => n.includes("bug"))).toEqual([]);
  return t;
}

/** The first node (depth first) whose text is `text`, optionally under a KPI reference's tree. */
function find(n: ExplainNode | null, pred: (n: ExplainNode) => boolean): ExplainNode | undefined {
  if (!n) return undefined;
  if (pred(n)) return n;
  for (const c of n.children) {
    const hit = find(c, pred);
    if (hit) return hit;
  }
  return n.explain ? find(n.explain.formula, pred) : undefined;
}
const byText = (root: ExplainNode | null, text: string) => find(root, (n) => n.text === text);
const child = (n: ExplainNode | undefined, pred: (c: ExplainNode) => boolean) => n?.children.find(pred);
const count = (n: number) => n.toLocaleString("en-US");
const role = (n: ExplainNode | undefined, r: string) => child(n, (c) => c.role === r)?.value as number;

describe("NPS (the bar): promoters, detractors and responses add up to the value evaluate gives", () => {
  const check = (t: ExplainTree, row: ResultRow) => {
    const promoters = byText(t.formula, "share(recommend >= 9)");
    const detractors = byText(t.formula, "share(recommend <= 6)");
    const p = role(promoters, "numerator"), d = role(detractors, "numerator");
    const responses = role(promoters, "denominator");
    expect(role(detractors, "denominator")).toBe(responses);
    expect(responses).toBe(row.n);
    expect(p + d).toBeLessThanOrEqual(responses);
    // The evaluator's arithmetic, step by step: exactly its value.
    expect(100 * (p / responses - d / responses)).toBe(row.value);
    expect(t.value).toBe(row.value);
    expect(t.n).toBe(row.n);
    expect(t.status?.value).toBe(row.status);
    // The KPI's filter: rows without an answer are dropped before the shares.
    const rowsNode = child(promoters, (c) => c.kind === "rows")!;
    const filter = child(promoters, (c) => c.kind === "filter")!;
    expect(filter.text).toBe("where recommend is not null");
    expect(filter.role).toBe("KPI where");
    expect(filter.value).toBe(responses);
    expect(filter.detail).toBe(`kept ${count(responses)}, dropped ${count((rowsNode.value as number) - responses)}`);
    return { p, d, responses };
  };

  it("overall", () => {
    const row = evaluated("nps", {}, { by: [] });
    const t = explained("nps", undefined, { by: [] });
    expect(t.group).toEqual({});
    expect(t.notes).toEqual([]);
    check(t, row);
    expect(t.formula!.text).toBe("100 * (share(recommend >= 9) - share(recommend <= 6))");
  });

  it("for one segment and month", () => {
    const group = { "customer.segment": "smb", month: "2025-07" };
    const row = evaluated("nps", group);
    const t = explained("nps", group);
    expect(t.group).toEqual(group);
    expect(t.evaluated).toEqual(row);
    const { p, d, responses } = check(t, row);
    expect([p, d, responses]).toEqual([20, 13, 48]);
    expect(t.display).toBe("14.6 points");
    expect(byText(t.formula, "share(recommend >= 9)")!.detail).toBe("20 / 48");
  });
});

describe("every KPI of the example suites", () => {
  const suites = ["examples/customer-centric-it/kpis.kpi", "examples/airline/kpis.kpi", "examples/kpi-vectors/vectors.kpi"];
  for (const file of suites) {
    it(`explains each group of ${file} to the value and status evaluate gives`, async () => {
      const m = compileWith(join(ROOT, file));
      const { tables: ts } = await loadModelData(m, { progress: false });
      let groups = 0;
      for (const k of m.kpis) {
        for (const row of evaluate(m, ts, { kpis: [k.name] }).results) {
          const group = Object.fromEntries(Object.entries(row.group).map(([d, v]) => [d, v === null ? "null" : String(v)]));
          const t = explain(m, ts, { kpi: k.name, group });
          expect(t.error, `${k.name} ${JSON.stringify(group)}`).toBeUndefined();
          expect([k.name, group, t.value, t.status?.value ?? null, t.n]).toEqual([k.name, group, row.value, row.status, row.n]);
          groups++;
        }
      }
      expect(groups).toBeGreaterThan(30);
    }, 120_000);
  }

  it("explains each group of the KPI shapes the suites lack to the value and status evaluate gives", () => {
    const asOf = "2025-06-15T00:00:00Z";
    const names = model.kpis.filter((k) => k.origin.file.endsWith("explain-extra.kpi")).map((k) => k.name);
    expect(names.length).toBe(14);
    for (const name of names) {
      const rows = evaluate(model, tables, { kpis: [name], asOf }).results;
      expect(rows.length, name).toBeGreaterThan(0);
      for (const row of rows) {
        const group = Object.fromEntries(Object.entries(row.group).map(([d, v]) => [d, String(v)]));
        const t = explain(model, tables, { kpi: name, group, request: { asOf } });
        expect([name, group, t.value, t.status?.value ?? null]).toEqual([name, group, row.value, row.status]);
      }
    }
  }, 120_000);
});

describe("KPI shapes", () => {
  it("a plain aggregate: avg = sum / count of the non-null values", () => {
    const t = explained("ces", { "customer.segment": "enterprise" });
    const sum = role(t.formula!, "numerator"), count = role(t.formula!, "denominator");
    expect(sum / count).toBe(t.value);
    const rows = child(t.formula!, (c) => c.kind === "rows")!.value as number;
    const kept = child(t.formula!, (c) => c.kind === "filter")!.value as number;
    expect(child(t.formula!, (c) => c.kind === "nulls")!.value).toBe(0);
    expect(count).toBe(kept);
    expect(kept).toBeLessThan(rows);
  });

  it("a filtered aggregate: the aggregate's where, with the rows it kept and dropped", () => {
    const t = explained("phone_share", { month: "2025-03" });
    const num = child(t.formula!, (c) => c.role === "numerator")!;
    const den = child(t.formula!, (c) => c.role === "denominator")!;
    expect(num.text).toBe('count(where channel = "phone")');
    const f = child(num, (c) => c.kind === "filter")!;
    expect(f.role).toBe("aggregate where");
    expect(f.value).toBe(num.value);
    expect(f.detail).toBe(`kept ${count(num.value as number)}, dropped ${count((den.value as number) - (num.value as number))}`);
    expect((num.value as number) / (den.value as number)).toBe(t.value);
  });

  it("a ratio: numerator and denominator are the result's", () => {
    const row = evaluated("value_for_effort", { kind: "webinar" });
    const t = explained("value_for_effort", { kind: "webinar" });
    expect(t.formula!.text).toBe("sum(value_points) / sum(effort_points)");
    expect(role(t.formula!, "numerator")).toBe(row.numerator);
    expect(role(t.formula!, "denominator")).toBe(row.denominator);
    expect(t.value).toBe(row.value);
  });

  it("per nesting: the inner groups, a few inner values, and the outer aggregate over them", () => {
    const t = explained("stickiness", { month: "2025-07" });
    const avg = child(t.formula!, (c) => c.role === "numerator")!;
    expect(avg.text).toBe("avg(count_distinct(customer_id) per day)");
    const inner = child(avg, (c) => c.text === "inner groups (per day)")!;
    expect(inner.children.filter((c) => c.kind === "inner").length).toBe(5);
    expect(inner.children[0]!.text).toMatch(/^day=2025-07-\d\d$/);
    expect(inner.children[0]!.role).toBe("count_distinct(customer_id)");
    const sum = role(avg, "numerator"), count = role(avg, "denominator");
    expect(count).toBe(inner.value);
    expect(sum / count).toBe(avg.value);
    const mau = child(t.formula!, (c) => c.role === "denominator")!;
    expect((avg.value as number) / (mau.value as number)).toBe(t.value);
  });

  it("related-row aggregates: the source dataset and the related rows matched", () => {
    const clv = explained("clv", { segment: "smb" });
    const rel = child(clv.formula!, (c) => c.kind === "related")!;
    expect(rel.text).toBe("sum(orders.amount)");
    expect(rel.children[0]!.text).toMatch(/^orders rows related to these \d+ customers rows \(via customer\)$/);
    expect(role(clv.formula!, "numerator") / role(clv.formula!, "denominator")).toBe(clv.value);
    expect(clv.sample!.columns).toEqual(["sum(orders.amount)"]);

    const adoption = explained("adoption_rate", { segment: "smb" });
    const used = child(adoption.formula!, (c) => c.kind === "related")!;
    expect(used.text).toBe("exists(usage)");
    const withAny = child(used, (c) => c.text === "customers rows with at least one related row")!;
    expect(withAny.value).toBe(role(adoption.formula!, "numerator"));
    expect(role(adoption.formula!, "numerator") / role(adoption.formula!, "denominator")).toBe(adoption.value);

    const reports = explained("report_adoption", { segment: "smb" });
    const where = child(reports.formula!, (c) => c.kind === "filter")!;
    expect(where.text).toBe("where exists(usage)");
    expect(where.children[0]!.kind).toBe("related");
    expect(where.value).toBe(reports.n);
  });

  it("KPI references: each referenced KPI's own tree, for the same group", () => {
    const t = explained("perception_over_image", { quarter: "2025-Q1" });
    const pq = child(t.formula!, (c) => c.role === "numerator")!;
    const bi = child(t.formula!, (c) => c.role === "denominator")!;
    expect([pq.kind, pq.text, bi.kind, bi.text]).toEqual(["kpi", "perceived_quality", "kpi", "brand_image"]);
    expect(pq.value).toBe(evaluated("perceived_quality", { quarter: "2025-Q1" }).value);
    expect(bi.value).toBe(evaluated("brand_image", { quarter: "2025-Q1" }).value);
    expect(pq.explain!.formula!.text).toBe("avg(quality)");
    expect(pq.explain!.group).toEqual({ quarter: "2025-Q1" });
    expect(pq.explain!.sample!.dataset).toBe("surveys");
    expect((pq.value as number) / (bi.value as number)).toBe(t.value);
    expect(t.sample).toBeNull();
    expect(t.n).toBe(Math.min(pq.explain!.n, bi.explain!.n));
  });

  it("time comparisons: the periods compared and both values", () => {
    const t = explained("nps_change", { month: "2025-07" });
    const [cur, prev] = t.formula!.children;
    expect(cur!.role).toBe("this period (2025-07)");
    expect(prev!.role).toBe("previous period (2025-06)");
    expect(cur!.value).toBe(evaluated("nps", { month: "2025-07" }, { by: model.kpis.find((k) => k.name === "nps_change")!.by }).value);
    expect(prev!.value).toBe(evaluated("nps", { month: "2025-06" }, { by: model.kpis.find((k) => k.name === "nps_change")!.by }).value);
    expect((cur!.value as number) - (prev!.value as number)).toBe(t.value);
    expect(t.formula!.detail).toBe("2025-07 compared with 2025-06");

    const back = explained("nps_quarter_back", { month: "2025-07" });
    expect(back.formula!.children[1]!.role).toBe("previous period (2025-04)");

    const first = explained("csat_growth", { month: "2025-01" });
    expect(first.value).toBeNull();
    expect(first.reason).toBe("no value for the previous period (2024-12)");
    const growth = explained("csat_growth", { month: "2025-03" });
    const [now, before] = growth.formula!.children.map((c) => c.value as number);
    expect((now! - before!) / Math.abs(before!)).toBe(growth.value);
  });

  it("windows: the window's start and end, the rows in it", () => {
    const t = explained("active_30d", { month: "2025-07" });
    const start = child(t.formula!, (c) => c.text === "window start (included)")!;
    const end = child(t.formula!, (c) => c.text === "window end (excluded)")!;
    expect([start.value, end.value]).toEqual(["2025-07-02", "2025-08-01"]);
    expect(t.value).toBe(child(t.formula!, (c) => c.text === "distinct values")!.value);
    const sample = t.formula!.sample!;
    expect(sample.total).toBe(child(t.formula!, (c) => c.text === "rows of usage in the window")!.value);
    for (const r of sample.rows) expect(String(r.values[0]) >= "2025-07-01T22:00:00Z").toBe(true);
    const byFeature = explained("active_quarter", { feature: "reports", month: "2025-03" });
    expect(child(byFeature.formula!, (c) => c.kind === "rows")!.text).toBe("rows of usage in the window with feature=reports");
  });

  it("retention: previous-period entities and the retained ones", () => {
    const t = explained("retention", { month: "2025-07" });
    const retained = role(t.formula!, "numerator"), before = role(t.formula!, "denominator");
    expect(t.formula!.children.find((c) => c.role === "numerator")!.text).toBe("retained: active in both 2025-06 and 2025-07");
    expect(retained / before).toBe(t.value);
    expect(retained).toBeLessThanOrEqual(before);
  });

  it("other aggregates say what they were computed from", () => {
    const p75 = explained("contacts_p75", { channel: "email" });
    expect(child(p75.formula!, (c) => c.text.startsWith("rank 0.75"))).toBeDefined();
    const busiest = explained("busiest_day", { month: "2025-03" });
    expect(child(busiest.formula!, (c) => c.text === "inner groups (per day)")!.value).toBeGreaterThan(10);
    const first = explained("first_ticket", { channel: "chat" });
    expect(typeof first.formula!.value).toBe("number");
  });
});

describe("targets and statuses", () => {
  it("the status block: each arm in order with its condition, the first that held", () => {
    const group = { channel: "phone", month: "2025-03" };
    const t = explained("fcr", group);
    const arms = t.status!.children;
    expect(arms.map((a) => a.text)).toEqual([
      "insufficient_data when the value is null",
      "on_track when value >= target",
      "at_risk when value >= target - 0.05",
      "off_track otherwise",
    ]);
    expect(arms[0]!.value).toBe(false);
    const chosen = arms.filter((a) => a.chosen);
    expect(chosen.length).toBe(1);
    expect(t.status!.value).toBe(evaluated("fcr", group).status);
    const at = arms.indexOf(chosen[0]!);
    for (const a of arms.slice(1, at)) expect(a.value).toBe(false);
    for (const a of arms.slice(at + 1)) expect(a.detail).toBe("not reached");
  });

  it("the target arm that applied and the comparison", () => {
    const phone = explained("fcr", { channel: "phone", month: "2025-03" });
    expect(phone.target!.children.map((a) => [a.text, a.value, a.chosen ?? false])).toEqual([
      ['>= 0.7 when channel = "phone"', true, true],
      [">= 0.6 otherwise", null, false],
      ["value >= target", phone.value! >= 0.7, false],
    ]);
    expect(phone.target!.value).toBe(0.7);
    const email = explained("fcr", { channel: "email", month: "2025-03" });
    expect(email.target!.children.map((a) => [a.value, a.chosen ?? false]).slice(0, 2)).toEqual([[false, false], [true, true]]);
    expect(email.target!.value).toBe(0.6);
    expect(email.target!.value).toBe(evaluated("fcr", { channel: "email", month: "2025-03" }).target);
  });

  it("insufficient data: n against min samples", () => {
    const t = explained("detractor_share", { "customer.segment": "smb" });
    expect(t.status!.value).toBe("insufficient_data");
    const first = t.status!.children[0]!;
    expect(first.chosen).toBe(true);
    expect(first.detail).toBe(`n = ${count(t.n)}, min samples 5,000`);
    expect(t.status!.children.slice(1).map((a) => a.detail)).toEqual(["not reached", "not reached"]);
    const nps = explained("nps", { "customer.segment": "smb", month: "2025-07" });
    expect(nps.status!.children[0]!.detail).toBe("n = 48, min samples 30");
  });

  it("status conditions on the previous period's value", () => {
    const t = explained("nps_trend", { month: "2025-07" });
    const improving = t.status!.children[1]!;
    expect(improving.text).toBe("improving when value > previous(value) + 2");
    const prev = find(improving, (n) => n.text === "previous(value)")!;
    expect(prev.value).toBe(evaluated("nps_trend", { month: "2025-06" }).value);
    expect(t.status!.value).toBe(evaluated("nps_trend", { month: "2025-07" }).status);
    // The first month has no previous value: both conditions are null, neither holds.
    const first = explained("nps_trend", { month: "2025-01" });
    expect(first.status!.children.map((a) => [a.text.split(" ")[0], a.value, a.chosen ?? false])).toEqual([
      ["insufficient_data", false, false], ["improving", null, false], ["falling", null, false], ["steady", true, true],
    ]);
    expect(first.status!.value).toBe(evaluated("nps_trend", { month: "2025-01" }).status);
  });
});

describe("choosing the group", () => {
  it("a grouped KPI without a group: the first group, and the list of groups", () => {
    const t = explained("nps");
    const all = evaluate(model, tables, { kpis: ["nps"] }).results;
    expect(t.groups!.length).toBe(all.length);
    expect(t.group).toEqual(all[0]!.group);
    expect(t.notes[0]).toMatch(/^"nps" has \d+ groups \(by customer\.segment, month\); explaining the first/);
  });

  it("a dimension by its last part, and a partial group", () => {
    expect(explained("nps", { segment: "smb", month: "2025-07" }).value).toBe(evaluated("nps", { "customer.segment": "smb", month: "2025-07" }).value);
    const t = explained("nps", { segment: "smb" });
    expect(t.group).toEqual({ "customer.segment": "smb", month: "2025-01" });
    expect(t.notes[0]).toBe("12 groups match segment=smb; explaining the first.");
  });

  it("errors name the choices instead of throwing", () => {
    expect(explain(model, tables, { kpi: "npx" }).error).toMatch(/^Unknown KPI "npx"\. KPIs: .*\bnps, csat, /);
    const noDim = explain(model, tables, { kpi: "nps", group: { channel: "phone" } });
    expect(noDim.error).toBe('Unknown dimension "channel": the groups are by customer.segment, month.');
    const noGroup = explain(model, tables, { kpi: "nps", group: { month: "2031-01" } });
    expect(noGroup.error).toBe("No group matches month=2031-01.");
    expect(noGroup.groups!.length).toBeGreaterThan(0);
  });

  it("regrouping and filtering through the request", () => {
    const request: EvalRequest = { where: { op: "binary", operator: "=", left: { op: "col", name: "channel", type: "string", origin: { file: "q", start: 0, end: 0 } }, right: { op: "lit", type: "string", value: "chat", origin: { file: "q", start: 0, end: 0 } }, type: "bool", origin: { file: "q", start: 0, end: 0 } } };
    const t = explained("fcr", { channel: "chat", month: "2025-05" }, request);
    const filters = t.formula!.children.filter((c) => c.kind === "filter");
    expect(filters.map((f) => [f.text, f.role])).toEqual([["where resolved_at is not null", "KPI where"], ['where channel = "chat"', "query where"]]);
    expect(t.value).toBe(evaluated("fcr", { channel: "chat", month: "2025-05" }, request).value);
  });
});

describe("row samples", () => {
  it("the first rows of the group with the columns the KPI reads and their lines", () => {
    const t = explained("nps", { "customer.segment": "smb", month: "2025-07" }, undefined, 3);
    const s = t.sample!;
    expect(s.dataset).toBe("surveys");
    expect(s.file).toMatch(/surveys\.csv$/);
    expect(s.unit).toBe("line");
    expect(s.columns).toEqual(["answered_at", "recommend"]);
    expect(s.rows.length).toBe(3);
    expect(s.total).toBe(48);
    const lines = readFileSync(s.file!, "utf8").split("\n");
    for (const r of s.rows) {
      const cells = lines[r.line! - 1]!.split(",");
      expect(cells[1]).toBe(r.values[0]);
      expect(Number(cells[2])).toBe(r.values[1]);
    }
    expect(explained("nps", { "customer.segment": "smb", month: "2025-07" }, undefined, 0).sample!.rows).toEqual([]);
  });
});
