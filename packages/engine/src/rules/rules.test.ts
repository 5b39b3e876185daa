import { describe, expect, it } from "vitest";
import { compile } from "@yardstick/language";
import type { Model } from "@yardstick/model";
import { tableFromFixture } from "../load/fixture.js";
import type { Table } from "../table/table.js";
import { evaluateRules, type AlertEpisode } from "./rules.js";

/**
 * Rules end to end: a `.kpi` spec, monthly series per team as fixture rows, and episodes checked
 * against timelines computed by hand in the comments. A series is written one month per entry
 * from January 2025; `-` is a month without rows.
 */

const DATASETS = `
dataset scores {
  team: string
  at: date time
  score: number
}
kpi avg_score "Average score" { from scores value avg(score) by team unit pts target >= 50 }
kpi events { from scores value count() by team }
`;

function spec(rules: string, extra = ""): Model {
  const r = compile([{ path: "rules.kpi", text: DATASETS + extra + rules }]);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => d.message).join("\n"));
  return r.model;
}

const month = (i: number) => `2025-${String(i + 1).padStart(2, "0")}`;

/** Rows of `scores`: per team a series like "40 40 - 60"; an entry "40/60" is two rows that month. */
function data(model: Model, series: Record<string, string>): Map<string, Table> {
  const rows: Array<Array<string | null>> = [];
  for (const [team, s] of Object.entries(series)) {
    s.split(/\s+/).forEach((entry, i) => {
      if (entry === "-") return;
      entry.split("/").forEach((v, k) => rows.push([team, `${month(i)}-${String(10 + k).padStart(2, "0")}`, v]));
    });
  }
  const o = { file: "data", start: 0, end: 0 };
  const ds = model.datasets.find((d) => d.name === "scores")!;
  const t = tableFromFixture(ds, { dataset: "scores", columns: ["team", "at", "score"], rows, rowOrigins: rows.map(() => o), origin: o });
  if (!t.table) throw new Error(t.diagnostics.map((d) => d.message).join("\n"));
  return new Map([["scores", t.table]]);
}

function alerts(rules: string, series: Record<string, string>, extra = ""): AlertEpisode[] {
  const m = spec(rules, extra);
  const r = evaluateRules(m, data(m, series));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.alerts;
}

/** Episodes as compact tuples: [rule, team, pendingFrom, from, to]. */
const brief = (as: AlertEpisode[]) => as.map((a) => [a.rule, a.group.team ?? null, a.pendingFrom, a.from, a.to]);

describe("rules over monthly history", () => {
  it("for N periods: fires in the N-th consecutive period; a break resets the run", () => {
    const rule = `rule low { when avg_score < 50 for 3 periods }`;
    // Jan 40 p1, Feb 40 p2, Mar 60 reset, Apr 40 p1, May 40 p2, Jun 40 fires (run began in Apr),
    // Jul 40 firing, Aug 60: `when` no longer holds and there is no recover clause: to = Jul.
    expect(brief(alerts(rule, { a: "40 40 60 40 40 40 40 60" }))).toEqual([["low", "a", "2025-04", "2025-06", "2025-07"]]);
  });

  it("recover when: hysteresis keeps the alert firing between the two thresholds", () => {
    const withRecover = `rule low { when avg_score < 50 recover when avg_score >= 70 }`;
    // Jan 60 -, Feb 40 fires, Mar 60 and Apr 69 neither < 50 nor >= 70: still firing, May 70
    // recovers (to = Apr), Jun 45 fires again, Jul 45 still firing at the end.
    const series = { a: "60 40 60 69 70 45 45" };
    expect(brief(alerts(withRecover, series))).toEqual([
      ["low", "a", "2025-02", "2025-02", "2025-04"],
      ["low", "a", "2025-06", "2025-06", null],
    ]);
    // Without `recover when`, March (60) already resolves it.
    expect(brief(alerts(`rule low { when avg_score < 50 }`, series))).toEqual([
      ["low", "a", "2025-02", "2025-02", "2025-02"],
      ["low", "a", "2025-06", "2025-06", null],
    ]);
  });

  describe("on no data: a month without rows is a period without data", () => {
    // Jan 40, Feb 40, Mar —, Apr 40, May 60, Jun —, Jul 40, Aug 60; `when avg_score < 50 for 2 periods`.
    const series = { a: "40 40 - 40 60 - 40 60" };
    const rule = (policy: string) => `rule low { when avg_score < 50 for 2 periods on no data: ${policy} }`;
    it("keep: the gap changes nothing: firing from Feb (run from Jan) through the March gap, to Apr", () => {
      // Jan p1, Feb fires, Mar kept, Apr holds, May resolves (to Apr), Jun kept, Jul p1, Aug resets.
      expect(brief(alerts(rule("keep"), series))).toEqual([["low", "a", "2025-01", "2025-02", "2025-04"]]);
    });
    it("keep is the default", () => {
      expect(brief(alerts(`rule low { when avg_score < 50 for 2 periods }`, series))).toEqual([["low", "a", "2025-01", "2025-02", "2025-04"]]);
    });
    it("resolve: the March gap ends the episode in February; April alone is not two periods", () => {
      // Jan p1, Feb fires, Mar resolves (to Feb), Apr p1, May reset, Jun -, Jul p1, Aug reset.
      expect(brief(alerts(rule("resolve"), series))).toEqual([["low", "a", "2025-01", "2025-02", "2025-02"]]);
    });
    it("fire: gaps count as holding: the June gap and July make a second episode", () => {
      // Jan p1, Feb fires, Mar holds, Apr holds, May resolves (to Apr); Jun p1 (gap), Jul fires, Aug resolves.
      expect(brief(alerts(rule("fire"), series))).toEqual([
        ["low", "a", "2025-01", "2025-02", "2025-04"],
        ["low", "a", "2025-06", "2025-07", "2025-07"],
      ]);
    });
    it("keep: a gap between two bad months neither counts nor breaks the run", () => {
      // Jan 40 p1, Feb gap, Mar 40 p2: fires in March, run from January.
      expect(brief(alerts(`rule low { when avg_score < 50 for 2 periods }`, { a: "40 - 40" }))).toEqual([["low", "a", "2025-01", "2025-03", null]]);
    });
    it("a group's periods run from its own first month to the last month of any group", () => {
      // Team b starts in May: under `fire` its January–April are not periods of b. Team a runs to
      // August, so b's June–August (no rows) are gaps: they fire from July (run from June).
      expect(brief(alerts(rule("fire"), { a: "60 60 60 60 60 60 60 60", b: "- - - - 60" }))).toEqual([
        ["low", "b", "2025-06", "2025-07", null],
      ]);
      // Under `resolve` the same gaps never fire, and under `keep` nothing happens either.
      expect(alerts(rule("resolve"), { a: "60 60 60 60 60 60 60 60", b: "- - - - 60" })).toEqual([]);
      expect(alerts(rule("keep"), { a: "60 60 60 60 60 60 60 60", b: "- - - - 40" })).toEqual([]);
    });
  });

  it("change() compares with the previous calendar month of the same group, never the previous row", () => {
    const rule = `rule falling { when change(avg_score) <= -10 for 2 periods recover when change(avg_score) > -5 }`;
    // Jan 80 (no previous: null, not holding), Feb 70 (-10) p1, Mar 55 (-15) fires, Apr 52 (-3)
    // recovers: to Mar. May has no rows; Jun 30 has no previous month (May) so its change is null:
    // not holding (by rows it would be 30 - 52 = -22). Jul 20 (-10) p1 only.
    expect(brief(alerts(rule, { a: "80 70 55 52 - 30 20" }))).toEqual([["falling", "a", "2025-02", "2025-03", "2025-03"]]);
  });

  it("previous, pct_change, target, n, and/or/not", () => {
    // n is the number of rows in the month. Jan 40/40 (n 2), Feb 45 (n 1), Mar 30/30 (n 2),
    // Apr 70/70 (n 2), May 20/20 (n 2).
    const series = { a: "40/40 45 30/30 70/70 20/20" };
    // Below target on at least 2 rows: Jan, Mar, May (Feb has 1 row).
    expect(brief(alerts(`rule r { when avg_score < target and n >= 2 }`, series))).toEqual([
      ["r", "a", "2025-01", "2025-01", "2025-01"], ["r", "a", "2025-03", "2025-03", "2025-03"], ["r", "a", "2025-05", "2025-05", null],
    ]);
    // pct_change: Feb +12.5%, Mar -33%, Apr +133%, May -71%. `not (x > -0.3)`: Mar and May.
    expect(brief(alerts(`rule r { when not (pct_change(avg_score) > -0.3) }`, series))).toEqual([
      ["r", "a", "2025-03", "2025-03", "2025-03"], ["r", "a", "2025-05", "2025-05", null],
    ]);
    // previous(avg_score) > 60 or avg_score > 60: Apr (70) and May (previous 70).
    expect(brief(alerts(`rule r { when previous(avg_score) > 60 or avg_score > 60 }`, series))).toEqual([["r", "a", "2025-04", "2025-04", null]]);
    // Two KPIs: target(kpi) and n(kpi); events counts rows. Feb and Apr... events >= 2 and avg_score >= target(avg_score): Apr.
    expect(brief(alerts(`rule r { when events >= 2 and avg_score >= target(avg_score) and n(avg_score) = 2 }`, series))).toEqual([["r", "a", "2025-04", "2025-04", "2025-04"]]);
  });

  it("a comparison with a missing value does not hold; a rule without recover then resolves", () => {
    // change() is null in January; with `change(x) < 100 or x > 0` the `or` is true once x > 0.
    expect(brief(alerts(`rule r { when change(avg_score) < 100 }`, { a: "10 20 30" }))).toEqual([["r", "a", "2025-02", "2025-02", null]]);
    expect(brief(alerts(`rule r { when change(avg_score) < 100 or avg_score > 0 }`, { a: "10 20 30" }))).toEqual([["r", "a", "2025-01", "2025-01", null]]);
  });

  it("several groups: each has its own state; episodes sorted by rule, group, from", () => {
    const rules = `
      rule second { when avg_score < 50 severity critical }
      rule first { when avg_score < 30 for 2 periods }`;
    // a: 40 20 20 60 40 → second: Jan–Mar and May–; first: Feb p1, Mar fires, Apr resolves.
    // b: 60 45 60 → second: Feb–Feb.
    const got = alerts(rules, { b: "60 45 60", a: "40 20 20 60 40" });
    expect(brief(got)).toEqual([
      ["second", "a", "2025-01", "2025-01", "2025-03"],
      ["second", "a", "2025-05", "2025-05", null],
      ["second", "b", "2025-02", "2025-02", "2025-02"],
      ["first", "a", "2025-02", "2025-03", "2025-03"],
    ]);
    expect(got.map((a) => a.severity)).toEqual(["critical", "critical", "critical", "warning"]);
  });

  it("messages render KPIs with format and unit, change(), target, n, group keys and the month", () => {
    const rule = `rule low {
      when avg_score < target
      message "Score of {team} ({group.team}) is {avg_score}, {change(avg_score)} from {previous(avg_score)}; target {target}, {n} rows in {month}; {{ok}}"
    }`;
    // Fires in March (45, down 15 from 60), rendered with March's values.
    const [a] = alerts(rule, { a: "70 60 45/45 40" });
    expect(a!.message).toBe("Score of a (a) is 45 pts, -15 pts from 60 pts; target 50 pts, 2 rows in 2025-03; {ok}");
    expect(a!.from).toBe("2025-03");
  });

  it("messages do not repeat a unit the text already names; percent and currency formats", () => {
    const extra = `
      kpi share_high { from scores value share(score >= 50) by team format percent target >= 0.5 }
      kpi total { from scores value sum(score) by team unit USD format currency }
      kpi hours { from scores value avg(score) by team unit hours }`;
    const rules = `
      rule r1 { when share_high < target message "Only {share_high} high (target {target}); total {total}" }
      rule r2 { when hours > 10 message "took {hours} h, {pct_change(hours)} more" }
      rule r3 { when avg_score < 50 message "{avg_score} points short" }`;
    // Jan 20/80 → share 50%, hours 50; Feb 20/30 → share 0%, total $50.00, hours 25 (-50%).
    const got = alerts(rules, { a: "20/80 20/30" }, extra);
    const msg = (r: string) => got.filter((x) => x.rule === r).map((x) => x.message);
    expect(msg("r1")).toEqual(["Only 0.0% high (target 50.0%); total $50.00"]);
    expect(msg("r2")).toEqual(["took 50 h, — more"]);
    expect(msg("r3")).toEqual(["25 points short"]);
  });

  it("two KPIs from different datasets: a KPI that cannot be grouped by a dimension covers all its values", () => {
    const extra = `
      dataset budget { at: date time  amount: number }
      kpi spend { from budget value sum(amount) }`;
    const m = spec(`rule r { when avg_score < 50 and spend > 100 by team, month }`, extra);
    const t = data(m, { a: "40 40 40", b: "40 60 40" });
    const o = { file: "data", start: 0, end: 0 };
    const rows = [["2025-01-05", "150"], ["2025-02-05", "50"], ["2025-03-05", "120"]];
    t.set("budget", tableFromFixture(m.datasets.find((d) => d.name === "budget")!, { dataset: "budget", columns: ["at", "amount"], rows, rowOrigins: rows.map(() => o), origin: o }).table!);
    const r = evaluateRules(m, t);
    // spend (all teams) per month: Jan 150, Feb 50, Mar 120. a: Jan fires, Feb resolves, Mar fires.
    // b: Jan fires, Feb resolves (60 and 50), Mar fires.
    expect(brief(r.alerts)).toEqual([
      ["r", "a", "2025-01", "2025-01", "2025-01"], ["r", "a", "2025-03", "2025-03", null],
      ["r", "b", "2025-01", "2025-01", "2025-01"], ["r", "b", "2025-03", "2025-03", null],
    ]);
    expect(r.diagnostics.map((d) => d.code)).toContain("dimension-dropped");
  });

  it("a rule without a message shows its label, or its name", () => {
    const got = alerts(`rule r1 "Score too low" { when avg_score < 50 } rule r2 { when avg_score < 50 }`, { a: "40" });
    expect(got.map((a) => a.message)).toEqual(["Score too low", "r2"]);
  });

  it("an explicit `by` sets the groups and the time step: by quarter", () => {
    // Quarters: Q1 = Jan–Mar 40, 40, 40 → 40; Q2 = Apr–Jun 60, 60, 20 → 46.67; Q3 = Jul 60.
    const rule = `rule q { when avg_score < 50 for 2 periods by quarter }`;
    expect(brief(alerts(rule, { a: "40 40 40 60 60 20 60", b: "40" }))).toEqual([["q", null, "2025-Q1", "2025-Q2", "2025-Q2"]]);
  });

  it("a grouping without a time bucket is checked once, as of the evaluation date", () => {
    const m = spec(`rule once { when avg_score < 50 by team }`);
    const r = evaluateRules(m, data(m, { a: "40 40", b: "60" }), { asOf: "2025-06-30T12:00:00Z" });
    expect(brief(r.alerts)).toEqual([["once", "a", "2025-06-30", "2025-06-30", null]]);
  });

  it("a KPI built from KPIs steps by month when it has no time bucket", () => {
    const extra = `kpi gap { value avg_score - 50 }`;
    // Overall (all teams) per month: Jan 40 → -10, Feb 70/30 → 0, Mar 45 → -5.
    expect(brief(alerts(`rule g { when gap < 0 }`, { a: "40 70 45", b: "- 30" }, extra))).toEqual([
      ["g", null, "2025-01", "2025-01", "2025-01"], ["g", null, "2025-03", "2025-03", null],
    ]);
  });

  it("request bounds and selection: rules, from/to", () => {
    const m = spec(`rule a1 { when avg_score < 50 } rule a2 { when avg_score > 50 }`);
    const t = data(m, { a: "40 60 40 40" });
    expect(brief(evaluateRules(m, t, { rules: ["a1"] }).alerts)).toEqual([["a1", "a", "2025-01", "2025-01", "2025-01"], ["a1", "a", "2025-03", "2025-03", null]]);
    // Only February to March: February 60 is fine, March fires and is still firing (April is out).
    expect(brief(evaluateRules(m, t, { rules: ["a1"], from: "2025-02-01", to: "2025-04-01" }).alerts)).toEqual([["a1", "a", "2025-03", "2025-03", null]]);
    expect(evaluateRules(m, t, { rules: ["nope"] }).diagnostics.map((d) => d.code)).toEqual(["unknown-rule"]);
  });

  it("no data at all: no episodes", () => {
    const m = spec(`rule r { when avg_score < 50 on no data: fire }`);
    expect(evaluateRules(m, data(m, {})).alerts).toEqual([]);
  });

  it("the examples' nps_falling rule groups by customer.segment and month and renders its message", () => {
    const text = `
      dataset customers { customer_id: string key  segment: string }
      dataset surveys { customer_id: string -> customers  answered_at: date time  recommend: int }
      kpi nps { from surveys where recommend is not null value 100 * (share(recommend >= 9) - share(recommend <= 6)) unit points }
      rule nps_falling {
        when change(nps) <= -10 for 2 periods
        recover when change(nps) > -5
        message "NPS fell {change(nps)} points to {nps} in {customer.segment}"
      }`;
    const r = compile([{ path: "n.kpi", text }]);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const m = r.model;
    const o = { file: "x", start: 0, end: 0 };
    const cust = tableFromFixture(m.datasets[0]!, { dataset: "customers", columns: ["customer_id", "segment"], rows: [["c1", "smb"], ["c2", "smb"], ["e1", "ent"]], rowOrigins: [o, o, o], origin: o }).table!;
    // smb: Jan 10, 10 → 100; Feb 10, 7 → 50 (-50); Mar 7, 3 → -50 (-100); Apr 3, 3 → -100 (-50); May 10, 10 → 100 (+200).
    // ent: Jan 10, Feb 3 (-200), Mar 3 (0) → one drop only.
    const rows: string[][] = [];
    const add = (c: string, m: number, v: number) => rows.push([c, `2025-0${m}-1${rows.length % 9}`, String(v)]);
    [[10, 10], [10, 7], [7, 3], [3, 3], [10, 10]].forEach(([x, y], i) => { add("c1", i + 1, x!); add("c2", i + 1, y!); });
    [10, 3, 3].forEach((v, i) => add("e1", i + 1, v));
    const surv = tableFromFixture(m.datasets[1]!, { dataset: "surveys", columns: ["customer_id", "answered_at", "recommend"], rows, rowOrigins: rows.map(() => o), origin: o }).table!;
    const got = evaluateRules(m, new Map([["customers", cust], ["surveys", surv]]));
    // smb: Feb p1, Mar fires (run from Feb), Apr -50 still firing (recover needs > -5), May +200 recovers: to Apr.
    expect(got.alerts).toEqual([{
      rule: "nps_falling", group: { "customer.segment": "smb" }, from: "2025-03", to: "2025-04", severity: "warning",
      message: "NPS fell -100 points to -50 in smb", pendingFrom: "2025-02",
    }]);
  });
});
