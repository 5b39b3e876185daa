import { describe, expect, it } from "vitest";
import { compile } from "@yardstick/language";
import type { Model, Test } from "@yardstick/model";
import { runTests, type TestFailure } from "./runner.js";
import { valuesMatch } from "./compare.js";

const SPEC = `
dataset customers {
  customer_id: string key
  segment: string
}
dataset surveys {
  customer_id: string -> customers
  answered_at: timestamp time
  recommend: int? in 0..10
}
dataset tickets {
  ticket_id: string key
  channel: string
  opened_at: date time
  contacts: int
}
kpi nps {
  from surveys where recommend is not null
  value 100 * (share(recommend >= 9) - share(recommend <= 6))
  by month
  unit points
  min samples 3
  target >= 30
}
kpi fcr {
  from tickets
  value share(contacts = 1)
  by channel
  target >= 0.7 when channel = "phone" else >= 0.6
  status {
    good when value >= target
    meh  when value >= target - 0.2
    bad  otherwise
  }
}
kpi age_days { from tickets value max(days_between(opened_at, now())) }
rule fcr_low { when fcr < target for 2 periods recover when fcr >= target by channel, month }
`;

const TICKETS = `
  given tickets
    | ticket_id | channel | opened_at  | contacts |
    | p1        | phone   | 2025-01-06 | 1        |
    | p2        | phone   | 2025-02-03 | 2        |
    | p3        | phone   | 2025-03-03 | 2        |
    | p4        | phone   | 2025-04-07 | 1        |
    | e1        | email   | 2025-02-04 | 2        |
    | e2        | email   | 2025-03-04 | 3        |
    | e3        | email   | 2025-04-08 | 1        |
    | e4        | email   | 2025-04-09 | 1        |`;
// fcr: phone Jan 1, Feb 0, Mar 0, Apr 1 (3/4 months... overall 2/4 = 0.5);
// email Feb 0, Mar 0, Apr 1 (overall 2/4 = 0.5). Overall 4/8 = 0.5.
// fcr_low (phone target 0.7, email 0.6): phone fires Mar (run from Feb), Apr recovers → Mar–Mar;
// email fires Mar, Apr recovers → Mar–Mar.

const SURVEYS = `
  given customers
    | customer_id | segment |
    | c1          | smb     |
    | c2          | ent     |
  given surveys
    | customer_id | answered_at          | recommend |
    | c1          | 2025-01-10T10:00:00Z | 10        |
    | c2          | 2025-01-12T10:00:00Z | 6         |
    | c1          | 2025-02-11T10:00:00Z | 9         |
    | c2          | 2025-02-13T10:00:00Z | 8         |
    | c2          | 2025-02-14T10:00:00Z |           |`;
// nps overall: promoters 10, 9; detractor 6; passive 8 → 100 * (2 - 1) / 4 = 25.
// By month: Jan 10, 6 → 0; Feb 9, 8 → 50. By segment: smb 10, 9 → 100; ent 6, 8 → -50.

function model(tests: string): { model: Model; sources: Map<string, string> } {
  const text = SPEC + tests;
  const r = compile([{ path: "spec.kpi", text }]);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => `${d.code}: ${d.message}`).join("\n"));
  return { model: r.model, sources: new Map([["spec.kpi", text]]) };
}

function run(tests: string) {
  const { model: m, sources } = model(tests);
  return runTests(m, { sources });
}

/** The failures of the only test. */
function failures(body: string): TestFailure[] {
  const r = run(`test "t" {\n${body}\n}`);
  expect(r.tests).toHaveLength(1);
  return r.tests[0]!.failures;
}

const passes = (body: string) => expect(failures(body).map((f) => f.message)).toEqual([]);

describe("runTests", () => {
  it("a passing test and the report counts", () => {
    const r = run(`
      test "ok" { ${SURVEYS}
        expect nps = 25
        expect nps by month = { 2025-01: 0, 2025-02: 50 }
        expect nps by customer.segment = { "smb": 100, "ent": -50 }
        expect nps where customer.segment = "smb" = 100
        expect status of nps = off_target
      }
      test "wrong" { ${SURVEYS}
        expect nps = 30
      }`);
    expect(r.passed).toBe(1);
    expect(r.failed).toBe(1);
    expect(r.tests.map((t) => [t.name, t.passed, t.expectations])).toEqual([["ok", true, 5], ["wrong", false, 1]]);
  });

  it("a wrong value fails with a message naming the test, the KPI, the group, expected and actual", () => {
    const f = run(`test "NPS of January" { ${SURVEYS}
      expect nps = 30
    }`).tests[0]!.failures;
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: "value", kpi: "nps", group: null, expected: "30", actual: "25", expectation: "expect nps = 30", file: "spec.kpi" });
    expect(f[0]!.message).toBe(`Test "NPS of January": KPI "nps", group (all rows): expected 30, actual 25`);
    const text = SPEC + SURVEYS;
    expect(f[0]!.line).toBe(text.split("\n").length + 1);
  });

  it("a wrong group in a map names the group and shows a diff of expected and actual groups", () => {
    const [f, ...rest] = failures(`${SURVEYS}
      expect nps by month = { 2025-01: 0, 2025-02: 40 }`);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kpi: "nps", group: { month: "2025-02" }, expected: "40", actual: "50" });
    expect(f!.message).toBe(`Test "t": KPI "nps", group month=2025-02: expected 40, actual 50`);
    expect(f!.diff).toEqual([
      { group: { month: "2025-01" }, expected: "0", actual: "0", status: "ok" },
      { group: { month: "2025-02" }, expected: "40", actual: "50", status: "mismatch" },
    ]);
  });

  it("`expect K = v` without `by` is the KPI over all rows, whatever the KPI's own grouping", () => {
    // nps is `by month`; the overall value 25 is not the value of any month.
    passes(`${SURVEYS}\n expect nps = 25`);
    // fcr is `by channel`: overall 4 of 8.
    passes(`${TICKETS}\n expect fcr = 0.5`);
  });

  describe("tolerance", () => {
    it("default: relative 1e-9", () => {
      passes(`${SURVEYS}\n expect nps = 25.00000001`);
      expect(failures(`${SURVEYS}\n expect nps = 25.0001`)).toHaveLength(1);
    });
    it("absolute ± and relative ± %", () => {
      // |25 - 24| = 1: within 5% of 24 (1.2), not within 4% (0.96).
      passes(`${SURVEYS}\n expect nps = 25.4 ± 0.5\n expect nps = 24 ± 5%\n expect nps = 25 +- 0`);
      const f = failures(`${SURVEYS}\n expect nps = 25.6 ± 0.5\n expect nps = 24 ± 4%`);
      expect(f.map((x) => [x.expected, x.actual])).toEqual([["25.6 ± 0.5", "25"], ["24 ± 4%", "25"]]);
    });
    it("a tolerance after one map entry applies to the whole map", () => {
      passes(`${SURVEYS}\n expect nps by month = { 2025-01: 0.4, 2025-02: 50.4 ± 0.5 }`);
    });
    it("expected 0 with a relative tolerance needs exactly 0", () => {
      expect(valuesMatch(0, 1e-12, { kind: "relative", amount: 0.5 })).toBe(false);
      expect(valuesMatch(0, 0, { kind: "relative", amount: 1e-9 })).toBe(true);
      expect(valuesMatch(0, 1e-12, { kind: "absolute", amount: 1e-9 })).toBe(true);
      expect(valuesMatch(0.3, 0.1 + 0.2, { kind: "absolute", amount: 0 })).toBe(true);
    });
    it("null: expected null needs no value, and a value does not meet null", () => {
      passes(`${SURVEYS}\n expect nps where customer.segment = "none" is null\n expect nps where customer.segment = "none" = null`);
      expect(failures(`${SURVEYS}\n expect nps is null`).map((f) => [f.expected, f.actual])).toEqual([["null", "25"]]);
      expect(failures(`${SURVEYS}\n expect nps where customer.segment = "none" = 0`).map((f) => [f.expected, f.actual])).toEqual([["0", "null"]]);
    });
  });

  describe("maps are exhaustive", () => {
    it("a group with a value that the map does not list is an unexpected group", () => {
      const [f] = failures(`${TICKETS}\n expect fcr by channel = { "phone": 0.5 }`);
      expect(f).toMatchObject({ group: { channel: "email" }, actual: "0.5" });
      expect(f!.expected).toMatch(/no such group/);
      expect(f!.diff!.map((d) => d.status)).toEqual(["ok", "unexpected"]);
    });
    it("an unlisted group without a value is fine; a listed group that is absent is missing", () => {
      // By month, January has only p1 (phone): email has no January group at all.
      passes(`${TICKETS}\n expect fcr by channel, month = {
        ("phone", 2025-01): 1, ("phone", 2025-02): 0, ("phone", 2025-03): 0, ("phone", 2025-04): 1
        ("email", 2025-02): 0, ("email", 2025-03): 0, ("email", 2025-04): 1, ("email", 2025-01): null }`);
      const [f] = failures(`${TICKETS}\n expect fcr by channel = { "phone": 0.5, "email": 0.5, "chat": 1 }`);
      expect(f).toMatchObject({ group: { channel: "chat" }, expected: "1" });
      expect(f!.actual).toMatch(/^no such group/);
      expect(f!.diff!.find((d) => d.status === "missing")).toEqual({ group: { channel: "chat" }, expected: "1", actual: null, status: "missing" });
    });
    it("where and by together", () => {
      passes(`${TICKETS}\n expect fcr by month where channel = "phone" = { 2025-01: 1, 2025-02: 0, 2025-03: 0, 2025-04: 1 }`);
    });
  });

  describe("statuses", () => {
    it("scalar and map status expectations, with the KPI's own labels", () => {
      // Overall fcr 0.5: the overall target is the else arm 0.6 (the rows disagree on channel); 0.5 >= 0.4: meh.
      passes(`${TICKETS}
        expect status of fcr = meh
        expect status of fcr by channel = { "phone": meh, "email": meh }
        expect status of fcr by channel, month = {
          ("phone", 2025-01): good, ("phone", 2025-02): bad, ("phone", 2025-03): bad, ("phone", 2025-04): good
          ("email", 2025-02): bad, ("email", 2025-03): bad, ("email", 2025-04): good }`);
    });
    it("insufficient_data below min samples and without a value; a wrong status fails", () => {
      // Each month has 2 answers < min samples 3; overall n = 4 and 25 < 30.
      passes(`${SURVEYS}\n expect status of nps by month = { 2025-01: insufficient_data, 2025-02: insufficient_data }\n expect status of nps = off_target`);
      passes(`${SURVEYS}\n expect status of nps where customer.segment = "none" = insufficient_data`);
      const [f] = failures(`${SURVEYS}\n expect status of nps by month = { 2025-01: insufficient_data, 2025-02: on_target }`);
      expect(f!.message).toBe(`Test "t": KPI "nps", group month=2025-02: expected on_target, actual insufficient_data`);
      expect(f!.kind).toBe("status");
    });
    it("status maps are exhaustive too", () => {
      const [f] = failures(`${TICKETS}\n expect status of fcr by channel = { "phone": meh }`);
      expect(f).toMatchObject({ kind: "status", group: { channel: "email" }, actual: "meh" });
    });
  });

  describe("alerts", () => {
    it("firing from, from … to, no alert, at least one", () => {
      passes(`${TICKETS}
        expect alert fcr_low
        expect alert fcr_low from 2025-03 to 2025-03
        expect no alert fcr_low firing from 2025-03`);
    });
    it("a wrong episode lists the episodes there are", () => {
      const f = failures(`${TICKETS}
        expect alert fcr_low firing from 2025-03
        expect alert fcr_low from 2025-02 to 2025-03
        expect no alert fcr_low`);
      expect(f.map((x) => [x.rule, x.expected, x.actual])).toEqual([
        ["fcr_low", "an episode from 2025-03, still firing", "from 2025-03 to 2025-03 (channel=email); from 2025-03 to 2025-03 (channel=phone)"],
        ["fcr_low", "an episode from 2025-02 to 2025-03", "from 2025-03 to 2025-03 (channel=email); from 2025-03 to 2025-03 (channel=phone)"],
        ["fcr_low", "no episode", "from 2025-03 to 2025-03 (channel=email); from 2025-03 to 2025-03 (channel=phone)"],
      ]);
      expect(f[0]!.message).toBe(`Test "t": rule "fcr_low": expected an episode from 2025-03, still firing, actual from 2025-03 to 2025-03 (channel=email); from 2025-03 to 2025-03 (channel=phone)`);
    });
    it("no data: no episode", () => {
      const f = failures(`expect alert fcr_low`);
      expect(f.map((x) => [x.expected, x.actual])).toEqual([["at least one episode", "no episode"]]);
    });
  });

  it("as of sets now()", () => {
    // p1 opened 2025-01-06; as of 2025-01-16 it is 10 days old.
    passes(`as of 2025-01-16\n${TICKETS}\n expect age_days = 10`);
  });

  it("datasets without a fixture are empty; relations to them are not checked", () => {
    // surveys point at customers, which are not given: no dangling-relation error; by segment is null.
    passes(`given surveys
      | customer_id | answered_at          | recommend |
      | c9          | 2025-01-10T10:00:00Z | 10        |
      expect nps = 100
      expect fcr is null
      expect status of fcr = insufficient_data`);
  });

  it("a fixture that does not load fails the test with the diagnostic", () => {
    const r = run(`test "dup" {
      given tickets
        | ticket_id | channel | opened_at  | contacts |
        | p1        | phone   | 2025-01-06 | 1        |
        | p1        | phone   | 2025-01-07 | 1        |
      expect fcr = 1
    }
    test "dangling" {
      given customers
        | customer_id | segment |
        | c1          | smb     |
      given surveys
        | customer_id | answered_at          | recommend |
        | c2          | 2025-01-10T10:00:00Z | 10        |
      expect nps = 100
    }`);
    expect(r.failed).toBe(2);
    const [dup, dangling] = r.tests;
    expect(dup!.failures.map((f) => [f.kind, f.actual.split(":")[0]])).toEqual([["fixture", "duplicate-key"]]);
    expect(dup!.failures[0]!.message).toMatch(/^Test "dup": expected fixture rows that load, actual duplicate-key: /);
    expect(dangling!.failures.map((f) => [f.kind, f.actual.split(":")[0]])).toEqual([["fixture", "dangling-relation"]]);
  });

  it("a fixture for an unknown dataset (a model not from the checker) fails the test", () => {
    const { model: m } = model(`test "x" {\n${TICKETS}\n expect fcr = 0.5 }`);
    const t: Test = structuredClone(m.tests[0]!);
    t.fixtures[0]!.dataset = "nope";
    const r = runTests({ ...m, tests: [t] });
    expect(r.tests[0]!.failures.map((f) => [f.kind, f.actual])).toEqual([["fixture", `unknown-dataset: Unknown dataset "nope".`]]);
  });

  it("a test that expects nothing is an error: rejected by the checker, and failed by the runner", () => {
    const r = compile([{ path: "s.kpi", text: `${SPEC}\ntest "empty" {\n${TICKETS}\n}` }]);
    expect(r.diagnostics.map((d) => d.code)).toContain("test-expects-nothing");
    const { model: m } = model(`test "x" {\n${TICKETS}\n expect fcr = 0.5 }`);
    const empty: Test = { ...m.tests[0]!, name: "empty", expectations: [] };
    const rep = runTests({ ...m, tests: [empty] });
    expect(rep.tests[0]!.passed).toBe(false);
    expect(rep.tests[0]!.diagnostics.map((d) => d.code)).toEqual(["test-expects-nothing"]);
  });

  it("without sources, failures quote the expectation rebuilt from the model", () => {
    const { model: m } = model(`test "x" {\n${TICKETS}\n expect fcr by channel where contacts <= 2 = { "phone": 0.4 ± 0.01, "email": 0.5 }
      expect status of fcr = good
      expect alert fcr_low firing from 2025-04 }`);
    const f = runTests(m).tests[0]!.failures;
    expect(f.map((x) => [x.expectation, x.line])).toEqual([
      [`expect fcr by channel where contacts <= 2 = { "phone": 0.4 ± 0.01, "email": 0.5 }`, null],
      ["expect status of fcr = good", null],
      ["expect alert fcr_low firing from 2025-04", null],
    ]);
  });

  it("only: runs the named tests", () => {
    const { model: m } = model(`test "a" {\n${TICKETS}\n expect fcr = 0.5 }\ntest "b" {\n${TICKETS}\n expect fcr = 0.4 }`);
    expect(runTests(m, { only: ["a"] }).tests.map((t) => t.name)).toEqual(["a"]);
  });
});

describe("statuses as issue 4 describes them (checked end to end through the runner)", () => {
  const STATUS_SPEC = `
dataset t { id: string key  ch: string  at: date time  hours: number }
kpi resolution { from t value median(hours) by ch lower is better target 24 }
kpi nps_like {
  from t value avg(hours) by month min samples 2 target >= 30
  status {
    on_track  when value >= target
    at_risk   when value >= target - 10 or value > previous(value)
    off_track otherwise
  }
}
kpi per_dim { from t value avg(hours) by ch target >= 10 when ch = "a" else >= 20 }
kpi ratio_of_kpis { value resolution / nps_like min samples 3 }
kpi no_target { from t value count() }
`;
  const ROWS = `
  given t
    | id | ch | at         | hours |
    | 1  | a  | 2025-01-10 | 18    |
    | 2  | a  | 2025-01-11 | 18    |
    | 3  | b  | 2025-02-10 | 30    |
    | 4  | b  | 2025-02-11 | 14    |
    | 5  | b  | 2025-03-10 | 21    |`;
  // Months: Jan 18, 18 → 18 (n 2); Feb 30, 14 → 22 (n 2); Mar 21 (n 1 < 2).
  const check = (body: string) => {
    const r = compile([{ path: "s.kpi", text: `${STATUS_SPEC}\ntest "s" {${ROWS}\n${body}\n}` }]);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const rep = runTests(r.model);
    expect(rep.tests[0]!.failures.map((f) => f.message)).toEqual([]);
  };

  it("target without comparator takes <= from `lower is better`", () => {
    // a: 18 <= 24 on target; b: median(30, 14, 21) = 21 on target; overall median 18.
    check(`expect status of resolution by ch = { "a": on_target, "b": on_target }\n expect resolution where hours > 20 = 25.5\n expect status of resolution where hours > 20 = off_target`);
  });

  it("a status block: first match wins, `otherwise` as default, previous(value) in a condition; insufficient_data first", () => {
    // Jan 18: < 20 and no previous → off_track. Feb 22: >= 20 → at_risk. Mar: n 1 < 2 → insufficient_data.
    check(`expect status of nps_like by month = { 2025-01: off_track, 2025-02: at_risk, 2025-03: insufficient_data }`);
  });

  it("per-dimension targets", () => {
    // a: 18 >= 10; b: 65 / 3 = 21.67 >= 20.
    check(`expect status of per_dim by ch = { "a": on_target, "b": on_target }\n expect status of per_dim where hours < 20 = off_target`);
  });

  it("a KPI built from KPIs takes the smallest n; below min samples it is insufficient_data", () => {
    check(`expect status of ratio_of_kpis by month = { 2025-01: insufficient_data, 2025-02: insufficient_data, 2025-03: insufficient_data }`);
  });

  it("no target and no status block: no status unless the value is missing", () => {
    const r = compile([{ path: "s.kpi", text: `${STATUS_SPEC}\ntest "s" {${ROWS}\n expect no_target = 5 }` }]);
    const rep = runTests(r.model);
    expect(rep.failed).toBe(0);
  });
});
