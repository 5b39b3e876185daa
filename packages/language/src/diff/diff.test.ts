import { describe, expect, it } from "vitest";
import type { Model } from "@yardstick/model";
import { compile } from "../project.js";
import { diffModels, type EntityChange, type ModelDiff } from "./diff.js";

const DATASETS = `yardstick 1

dataset customers from "data/customers.csv" {
  customer_id: string key
  segment: string in ("smb", "mid-market", "enterprise")
  signed_up_at: timestamp time
}

dataset tickets "Tickets" from "data/tickets.csv" {
  zone "Europe/Berlin"
  ticket_id: string key
  customer_id: string -> customers
  channel: string in ("phone", "email", "portal")
  opened_at: timestamp time
  resolved_at: timestamp?
  contacts: int in 1..
  let resolution_hours = hours_between(opened_at, resolved_at)
}
`;

const KPIS = `yardstick 1
import "datasets.kpi"

kpi fcr "First-contact resolution" {
  owner "service-desk"
  tags "support", "cx"
  from tickets where resolved_at is not null
  value share(contacts = 1)
  by channel, month
  format percent
  target >= 0.7 when channel = "phone" else >= 0.6
  status {
    on_track  when value >= target
    at_risk   when value >= target - 0.05
    off_track otherwise
  }
}

kpi resolution_time "Resolution time" {
  from tickets where resolved_at is not null
  value median(resolution_hours)
  by customer.segment
  unit hours
  lower is better
  target <= 24
}

kpi fcr_gap "FCR gap" {
  value 1 - fcr
  by month
}
`;

const RULES = `yardstick 1
import "kpis.kpi"

rule fcr_below_target "FCR below target" {
  when fcr < target for 2 periods
  recover when fcr >= target
  severity warning
  by channel, month
  message "FCR on {channel} is {fcr}"
}
`;

const TESTS = `yardstick 1
import "rules.kpi"

test "fcr by channel" {
  given tickets
    | ticket_id | customer_id | channel | opened_at  | resolved_at | contacts |
    | t1        | c1          | phone   | 2025-01-06 | 2025-01-06  | 1        |
    | t2        | c1          | email   | 2025-01-07 | 2025-01-08  | 2        |
  expect fcr by channel = { "phone": 1, "email": 0 }
  expect fcr = 0.5
  expect status of fcr by channel = { "phone": on_track, "email": off_track }
}
`;

type Files = { datasets?: string; kpis?: string; rules?: string; tests?: string };

function model(files: Files = {}): Model {
  const r = compile([
    { path: "spec/tests.kpi", text: files.tests ?? TESTS },
    { path: "spec/rules.kpi", text: files.rules ?? RULES },
    { path: "spec/kpis.kpi", text: files.kpis ?? KPIS },
    { path: "spec/datasets.kpi", text: files.datasets ?? DATASETS },
  ]);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => `${d.file}: ${d.message}`).join("\n"));
  return r.model;
}

const BASE = model();
const diff = (files: Files): ModelDiff => diffModels(BASE, model(files));
const edit = (text: string, from: string | RegExp, to: string) => {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`edit did not apply: ${String(from)}`);
  return out;
};
/** Every entity change, compactly: `kpi fcr changed: where`. */
const summary = (d: ModelDiff) =>
  [...d.datasets, ...d.kpis, ...d.rules, ...d.tests].map((c: EntityChange) =>
    `${c.kind} ${c.oldName ? `${c.oldName} → ` : ""}${c.name} ${c.change}${c.changes.length ? `: ${c.changes.map((f) => f.field).join(", ")}` : ""}`);

describe("diffModels: no change in meaning", () => {
  it("a model against itself", () => {
    const d = diffModels(BASE, model());
    expect(d.identical).toBe(true);
    expect(d.affected).toEqual([]);
  });

  it("ignores formatting, comments, blank lines and declaration order", () => {
    const kpis = `yardstick 1
import "datasets.kpi"

// The fallback of every KPI in this file.
kpi fcr_gap "FCR gap" { value 1 - fcr   by month }

kpi resolution_time "Resolution time" {
  from tickets
    where resolved_at is not null   // open tickets have no resolution time
  value median( resolution_hours )
  by customer.segment
  unit hours
  lower is better
  target <= 24
}

// reflowed:
kpi fcr "First-contact resolution" {
  target >= 0.7 when channel = "phone"
    else >= 0.6
  status {
    on_track when value >= target
    at_risk when value >= (target - 0.05)
    off_track otherwise
  }
  tags "cx", "support"      // tag order carries no meaning
  owner "service-desk"
  from tickets where (resolved_at is not null)
  value share((contacts = 1))
  by channel, month
  format percent
  zone "Europe/Berlin"      // the dataset's zone, now written out
}
`;
    const datasets = edit(edit(DATASETS, `channel: string in ("phone", "email", "portal")`, `channel: string in ("portal", "phone", "email") // reordered`),
      "  contacts: int in 1..\n", "").replace("  ticket_id: string key\n", "  ticket_id: string key\n  contacts: int in 1..\n");
    const tests = edit(TESTS, /\| ticket_id[\s\S]*?\| 2 +\|\n/, [
      "    | channel | ticket_id | customer_id | opened_at  | resolved_at | contacts |",
      "    | email   | t2        | c1          | 2025-01-07 | 2025-01-08  | 2        |",
      "    | phone   | t1        | c1          | 2025-01-06 | 2025-01-06  | 1        |",
      "",
    ].join("\n"));
    const d = diff({ kpis, datasets, tests });
    expect(summary(d)).toEqual([]);
    expect(d.identical).toBe(true);
  });

  it("treats reordered fixture rows and columns and reordered expectations as the same test", () => {
    const tests = `yardstick 1
import "rules.kpi"

test "fcr by channel" {
  given tickets
    | contacts | ticket_id | customer_id | channel | opened_at  | resolved_at |
    | 2        | t2        | c1          | email   | 2025-01-07 | 2025-01-08  |
    | 1        | t1        | c1          | phone   | 2025-01-06 | 2025-01-06  |
  expect status of fcr by channel = { "email": off_track, "phone": on_track }
  expect fcr = 0.5
  expect fcr by channel = { "email": 0, "phone": 1 }
}
`;
    expect(diff({ tests }).identical).toBe(true);
  });

  it("treats 1 and 1.0 as the same literal", () => {
    expect(diff({ kpis: edit(KPIS, "share(contacts = 1)", "share(contacts = 1.0)") }).identical).toBe(true);
  });
});

describe("diffModels: KPIs", () => {
  it("reports a changed filter as spec text", () => {
    const d = diff({ kpis: edit(KPIS, "from tickets where resolved_at is not null\n  value share", `from tickets where resolved_at is not null and channel != "portal"\n  value share`) });
    expect(summary(d)).toEqual(["kpi fcr changed: where"]);
    expect(d.kpis[0]!.changes[0]).toEqual({ field: "where", old: "resolved_at is not null", new: `resolved_at is not null and channel != "portal"` });
    expect(d.kpis[0]!.affectsValues).toBe(true);
    // fcr_gap reads fcr; the rule watches it.
    expect(d.affected).toEqual([
      { kind: "kpi", name: "fcr_gap", because: ["reads KPI fcr (changed)"] },
      { kind: "rule", name: "fcr_below_target", because: ["reads KPI fcr (changed)"] },
    ]);
  });

  it("reports target, value, by, direction, min samples, format and status changes", () => {
    let kpis = edit(KPIS, `target >= 0.7 when channel = "phone" else >= 0.6`, `target >= 0.75 when channel = "phone" else >= 0.6`);
    kpis = edit(kpis, "value median(resolution_hours)", "value percentile(resolution_hours, 0.9)");
    kpis = edit(kpis, "by customer.segment\n", "by customer.segment, quarter\n  min samples 20\n");
    kpis = edit(kpis, "  format percent\n", "  format percent decimals 1\n");
    kpis = edit(kpis, "at_risk   when value >= target - 0.05", "at_risk   when value >= target - 0.1");
    kpis = edit(kpis, "value 1 - fcr\n", "value 1 - fcr\n  lower is better\n");
    const d = diff({ kpis });
    const byName = Object.fromEntries(d.kpis.map((k) => [k.name, k.changes]));
    expect(byName["fcr"]).toEqual([
      { field: "format", old: "percent", new: "percent decimals 1" },
      { field: "target", old: `>= 0.7 when channel = "phone" else >= 0.6`, new: `>= 0.75 when channel = "phone" else >= 0.6` },
      { field: "status", old: "on_track when value >= target; at_risk when value >= target - 0.05; off_track otherwise", new: "on_track when value >= target; at_risk when value >= target - 0.1; off_track otherwise" },
    ]);
    expect(byName["resolution_time"]).toEqual([
      { field: "value", old: "median(resolution_hours)", new: "percentile(resolution_hours, 0.9)" },
      { field: "by", old: "customer.segment", new: "customer.segment, quarter" },
      { field: "min samples", old: null, new: "20" },
    ]);
    expect(byName["fcr_gap"]).toEqual([{ field: "direction", old: "higher is better", new: "lower is better" }]);
  });

  it("marks label, description, owner, tags, unit and format changes as not moving values", () => {
    const kpis = edit(edit(KPIS, `kpi fcr "First-contact resolution"`, `kpi fcr "First contact resolution"`), `owner "service-desk"`, `owner "cx"`);
    const d = diff({ kpis });
    expect(d.kpis).toHaveLength(1);
    expect(d.kpis[0]!.changes.map((c) => c.field)).toEqual(["label", "owner"]);
    expect(d.kpis[0]!.changes[0]).toEqual({ field: "label", old: `"First-contact resolution"`, new: `"First contact resolution"` });
    expect(d.kpis[0]!.affectsValues).toBe(false);
    expect(d.affected).toEqual([]);
  });

  it("detects a rename and follows it in rules, tests and other KPIs", () => {
    const kpis = edit(edit(KPIS, "kpi fcr ", "kpi first_contact_resolution "), "value 1 - fcr", "value 1 - first_contact_resolution");
    const rules = RULES.replace(/\bfcr\b(?!_)/g, "first_contact_resolution");
    const tests = TESTS.replace(/expect (status of )?fcr\b/g, "expect $1first_contact_resolution");
    const d = diff({ kpis, rules, tests });
    expect(summary(d)).toEqual(["kpi fcr → first_contact_resolution renamed"]);
    expect(d.renames.kpis).toEqual({ fcr: "first_contact_resolution" });
    expect(d.kpis[0]!.affectsValues).toBe(false);
    expect(d.affected).toEqual([]);
  });

  it("detects a rename that also changes the label, and reports the label", () => {
    const kpis = edit(KPIS, `kpi resolution_time "Resolution time"`, `kpi median_resolution_time "Median resolution time"`);
    const d = diff({ kpis });
    expect(d.kpis).toEqual([
      { kind: "kpi", change: "renamed", name: "median_resolution_time", oldName: "resolution_time", label: "Median resolution time", changes: [{ field: "label", old: `"Resolution time"`, new: `"Median resolution time"` }], affectsValues: false },
    ]);
  });

  it("does not take a removed and an added KPI with different formulas for a rename", () => {
    const kpis = edit(KPIS, "kpi resolution_time \"Resolution time\" {\n  from tickets where resolved_at is not null\n  value median(resolution_hours)",
      "kpi resolution_p90 \"Resolution time\" {\n  from tickets where resolved_at is not null\n  value percentile(resolution_hours, 0.9)");
    const d = diff({ kpis });
    expect(summary(d)).toEqual(["kpi resolution_p90 added", "kpi resolution_time removed"]);
    expect(d.kpis[0]!.summary).toBe("from tickets where resolved_at is not null · value percentile(resolution_hours, 0.9) · by customer.segment · target <= 24");
  });

  it("reports added and removed KPIs", () => {
    const kpis = edit(KPIS, /kpi fcr_gap[\s\S]*$/, `kpi open_tickets {\n  from tickets where resolved_at is null\n  value count()\n  lower is better\n}\n`);
    const d = diff({ kpis });
    expect(summary(d)).toEqual(["kpi open_tickets added", "kpi fcr_gap removed"]);
    expect(d.kpis.find((k) => k.name === "fcr_gap")!.summary).toBe("value 1 - fcr · by month");
  });
});

describe("diffModels: datasets", () => {
  it("reports a column type change, and the KPIs that read the dataset as affected", () => {
    const d = diff({ datasets: edit(DATASETS, "contacts: int in 1..", "contacts: number in 1..") });
    expect(summary(d)).toEqual(["dataset tickets changed: column contacts"]);
    expect(d.datasets[0]!.changes).toEqual([{ field: "column contacts", old: "contacts: int in 1..", new: "contacts: number in 1.." }]);
    expect(d.affected.map((a) => `${a.kind} ${a.name}: ${a.because.join("; ")}`)).toEqual([
      "kpi fcr: reads dataset tickets (changed)",
      "kpi resolution_time: reads dataset tickets (changed)",
      "kpi fcr_gap: reads KPI fcr (affected)",
      "rule fcr_below_target: reads KPI fcr (affected)",
    ]);
  });

  it("reports nullability, allowed values, added and removed columns, derived columns", () => {
    let datasets = edit(DATASETS, "resolved_at: timestamp?", "resolved_at: timestamp");
    datasets = edit(datasets, `channel: string in ("phone", "email", "portal")`, `channel: string in ("phone", "email", "portal", "chat")`);
    datasets = edit(datasets, "let resolution_hours = hours_between(opened_at, resolved_at)", "let resolution_hours = hours_between(opened_at, resolved_at) / 24\n  priority: string?");
    const d = diff({ datasets });
    expect(d.datasets[0]!.changes).toEqual([
      { field: "column channel", old: `channel: string in ("phone", "email", "portal")`, new: `channel: string in ("phone", "email", "portal", "chat")` },
      { field: "column resolved_at", old: "resolved_at: timestamp?", new: "resolved_at: timestamp" },
      { field: "column resolution_hours", old: "let resolution_hours: number = hours_between(opened_at, resolved_at)", new: "let resolution_hours: number = hours_between(opened_at, resolved_at) / 24" },
      { field: "column priority", old: null, new: "priority: string?" },
    ]);
  });

  it("reports relation, zone, source and time column changes", () => {
    let datasets = edit(DATASETS, "customer_id: string -> customers", "customer_id: string -> customers as client");
    datasets = edit(datasets, `zone "Europe/Berlin"`, `zone "Europe/Amsterdam"`);
    datasets = edit(datasets, `from "data/tickets.csv"`, `from "exports/tickets.parquet"`);
    datasets = edit(datasets, "opened_at: timestamp time\n  resolved_at: timestamp?", "opened_at: timestamp\n  resolved_at: timestamp? time");
    const kpis = edit(KPIS, "by customer.segment", "by client.segment");
    const d = diff({ datasets, kpis });
    const tickets = d.datasets.find((x) => x.name === "tickets")!;
    expect(tickets.changes).toEqual([
      { field: "from", old: `"data/tickets.csv" as csv`, new: `"exports/tickets.parquet" as parquet` },
      { field: "zone", old: `"Europe/Berlin"`, new: `"Europe/Amsterdam"` },
      { field: "time column", old: "opened_at", new: "resolved_at" },
      { field: "column opened_at", old: "opened_at: timestamp time", new: "opened_at: timestamp" },
      { field: "column resolved_at", old: "resolved_at: timestamp?", new: "resolved_at: timestamp? time" },
      { field: "relation customer", old: "customer_id -> customers as customer", new: null },
      { field: "relation client", old: null, new: "customer_id -> customers as client" },
    ]);
    // The zone and time column are the dataset's: the KPIs did not change, they are affected.
    expect(d.kpis.map((k) => `${k.name}: ${k.changes.map((c) => `${c.field} ${c.old} → ${c.new}`).join("; ")}`)).toEqual([
      "resolution_time: by customer.segment → client.segment",
    ]);
    expect(d.affected.map((a) => a.name)).toEqual(["fcr", "fcr_gap", "fcr_below_target"]);
  });

  it("detects a renamed dataset and follows it in KPIs and fixtures", () => {
    const datasets = edit(DATASETS, "dataset tickets ", "dataset service_tickets ");
    const kpis = KPIS.replace(/from tickets/g, "from service_tickets");
    const tests = edit(TESTS, "given tickets", "given service_tickets");
    const d = diff({ datasets, kpis, tests });
    expect(summary(d)).toEqual(["dataset tickets → service_tickets renamed"]);
    expect(d.affected).toEqual([]);
  });

  it("reports added and removed datasets", () => {
    const datasets = DATASETS + `\ndataset usage from "data/usage.csv" {\n  customer_id: string -> customers\n  used_at: timestamp time\n}\n`;
    const d = diff({ datasets });
    expect(summary(d)).toEqual(["dataset usage added"]);
    expect(d.datasets[0]!.summary).toBe(`2 columns from "data/usage.csv"`);
    expect(diffModels(model({ datasets }), BASE).datasets.map((x) => `${x.name} ${x.change}`)).toEqual(["usage removed"]);
  });
});

describe("diffModels: rules", () => {
  it("reports when, for, recover, severity, on no data, by and message changes", () => {
    let rules = edit(RULES, "when fcr < target for 2 periods", "when fcr < target for 3 periods");
    rules = edit(rules, "recover when fcr >= target", "recover when fcr >= target + 0.02");
    rules = edit(rules, "severity warning", "severity critical\n  on no data: resolve");
    rules = edit(rules, "by channel, month", "by channel, quarter");
    rules = edit(rules, `message "FCR on {channel} is {fcr}"`, `message "FCR on {channel}: {fcr} (target {target})"`);
    const d = diff({ rules });
    expect(d.rules[0]!.changes).toEqual([
      { field: "when", old: "fcr < target for 2 periods", new: "fcr < target for 3 periods" },
      { field: "recover", old: "fcr >= target", new: "fcr >= target + 0.02" },
      { field: "severity", old: "warning", new: "critical" },
      { field: "on no data", old: "keep", new: "resolve" },
      { field: "by", old: "channel, month", new: "channel, quarter" },
      { field: "message", old: `"FCR on {channel} is {fcr}"`, new: `"FCR on {channel}: {fcr} (target {target})"` },
    ]);
  });

  it("reports a description change as not moving values", () => {
    const d = diff({ rules: edit(RULES, "  severity warning", `  description "Two periods under target"\n  severity warning`) });
    expect(d.rules[0]!.changes).toEqual([{ field: "description", old: null, new: `"Two periods under target"` }]);
    expect(d.rules[0]!.affectsValues).toBe(false);
  });

  it("detects a renamed rule, added and removed rules", () => {
    const renamed = diff({ rules: edit(RULES, "rule fcr_below_target ", "rule fcr_low "), tests: TESTS });
    expect(summary(renamed)).toEqual(["rule fcr_below_target → fcr_low renamed"]);
    const other = diff({ rules: edit(RULES, "rule fcr_below_target ", "rule fcr_low ").replace("for 2 periods", "for 4 periods") });
    expect(summary(other)).toEqual(["rule fcr_low added", "rule fcr_below_target removed"]);
    expect(other.rules[0]!.summary).toBe("when fcr < target for 4 periods");
  });
});

describe("diffModels: tests", () => {
  it("reports a changed expectation, an added one, changed fixture rows and as of", () => {
    let tests = edit(TESTS, "expect fcr = 0.5", "expect fcr = 0.6 ± 0.1");
    tests = edit(tests, `test "fcr by channel" {`, `test "fcr by channel" {\n  as of 2025-02-01`);
    tests = edit(tests, "    | t2        | c1          | email   | 2025-01-07 | 2025-01-08  | 2        |\n",
      "    | t2        | c1          | email   | 2025-01-07 | 2025-01-08  | 3        |\n    | t3        | c1          | email   | 2025-01-09 | 2025-01-09  | 1        |\n");
    tests = edit(tests, "expect status of fcr", "expect alert fcr_below_target\n  expect status of fcr");
    const d = diff({ tests });
    expect(d.tests).toHaveLength(1);
    expect(d.tests[0]!.changes).toEqual([
      { field: "as of", old: null, new: "2025-02-01" },
      { field: "given tickets", old: "2 rows", new: "3 rows", note: "2 rows added, 1 row removed" },
      { field: "expect", old: "expect fcr = 0.5", new: "expect fcr = 0.6 ± 0.1" },
      { field: "expect", old: null, new: "expect alert fcr_below_target" },
    ]);
    expect(d.tests[0]!.affectsValues).toBe(false);
  });

  it("detects a renamed test, added and removed tests", () => {
    expect(summary(diff({ tests: edit(TESTS, `test "fcr by channel"`, `test "FCR per channel"`) }))).toEqual([`test fcr by channel → FCR per channel renamed`]);
    const more = TESTS + `\ntest "nothing fires" {\n  expect no alert fcr_below_target\n}\n`;
    const d = diff({ tests: more });
    expect(summary(d)).toEqual(["test nothing fires added"]);
    expect(d.tests[0]!.summary).toBe("1 expectation");
  });
});
