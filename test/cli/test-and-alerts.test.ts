/**
 * `yardstick test`, `yardstick alerts` and the alerts of `yardstick eval`, run as processes on the
 * built binary.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { cleanup, cli, ensureBuilt, workspace } from "./cli-helpers.js";

beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => cleanup());

const SPEC = `yardstick 1

dataset scores from "scores.csv" {
  team: string
  at: date time
  score: number
}

kpi avg_score "Average score" {
  from scores
  value avg(score)
  by team
  unit pts
  target >= 50
}

rule low "Score below target" {
  when avg_score < target for 2 periods
  recover when avg_score >= target
  severity critical
  message "{team} scored {avg_score} in {month}"
}
`;

// a: Jan 40, Feb 40 (fires Feb, run from Jan), Mar 60 (recovers) → 2025-02 to 2025-02.
//    Apr 40, May 40 (fires May), Jun 45 → still firing from 2025-05.
// b: Jan 60 … Jun 60 except Mar 30, Apr 30 → fires Apr, May recovers → 2025-04 to 2025-04.
const CSV = `team,at,score
a,2025-01-10,40
a,2025-02-10,40
a,2025-03-10,60
a,2025-04-10,40
a,2025-05-10,40
a,2025-06-10,45
b,2025-01-10,60
b,2025-02-10,60
b,2025-03-10,30
b,2025-04-10,30
b,2025-05-10,60
b,2025-06-10,60
`;

const TESTS = `yardstick 1
import "spec.kpi"

test "averages by team" {
  given scores
    | team | at         | score |
    | a    | 2025-01-10 | 40    |
    | a    | 2025-01-11 | 60    |
    | b    | 2025-01-10 | 70    |
  expect avg_score = 56.66666666667
  expect avg_score by team = { "a": 50, "b": 70 }
}

test "wrong on purpose" {
  given scores
    | team | at         | score |
    | a    | 2025-01-10 | 40    |
    | b    | 2025-01-10 | 70    |
  expect avg_score by team = { "a": 45, "b": 70, "c": 10 }
  expect status of avg_score = off_target
  expect alert low firing from 2025-01
}
`;

describe("yardstick test", () => {
  it("the examples pass: every test ✓ and the closing line, exit 0", () => {
    const r = cli(["test", "examples"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("✗");
    expect(r.stdout).toMatch(/✓ NPS counts passives in the denominator/);
    const last = r.stdout.trimEnd().split("\n").pop()!;
    expect(last).toMatch(/^\d+ passed, 0 failed$/);
    expect(Number(last.split(" ")[0])).toBeGreaterThanOrEqual(40);
  });

  it("failures: the expectation line, KPI, group, expected, actual and a diff of groups; exit 1", () => {
    const dir = workspace({ "spec.kpi": SPEC, "scores.csv": CSV, "spec.test.kpi": TESTS });
    const r = cli(["test", "spec.test.kpi"], dir);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toContain("✓ averages by team");
    expect(out).toContain("✗ wrong on purpose");
    expect(out).toContain(`spec.test.kpi:19  expect avg_score by team = { "a": 45, "b": 70, "c": 10 }`);
    expect(out).toContain("KPI avg_score, group team=a");
    expect(out).toMatch(/expected: 45\n\s+actual: {3}40\n/);
    // The diff of groups: a differs, b matches, c is missing.
    expect(out).toMatch(/✗ a\s+45\s+40\s+mismatch/);
    expect(out).toMatch(/✓ b\s+70\s+70/);
    expect(out).toMatch(/✗ c\s+10\s+—\s+missing/);
    // Status: overall (40 + 70) / 2 = 55 >= 50: on target.
    expect(out).toContain("spec.test.kpi:20  expect status of avg_score = off_target");
    expect(out).toMatch(/KPI avg_score, group \(all rows\)\n\s+expected: off_target\n\s+actual: {3}on_target/);
    // Alert: one month of data cannot fire a `for 2 periods` rule.
    expect(out).toContain("spec.test.kpi:21  expect alert low firing from 2025-01");
    expect(out).toMatch(/rule low\n\s+expected: an episode from 2025-01, still firing\n\s+actual: {3}no episode/);
    expect(out.trimEnd().split("\n").pop()).toBe("1 passed, 1 failed");
  });

  it("a folder is one project (its .kpi files compiled together); a test beside the definitions runs too", () => {
    const dir = workspace({
      "suite/spec.kpi": SPEC + `\ntest "in the spec" {\n  given scores\n    | team | at | score |\n    | a | 2025-01-10 | 40 |\n  expect avg_score = 40\n}\n`,
      "suite/scores.csv": CSV,
      "suite/more.test.kpi": `import "spec.kpi"\ntest "in a test file" {\n  given scores\n    | team | at | score |\n    | a | 2025-01-10 | 30 |\n  expect status of avg_score = off_target\n}\n`,
    });
    const r = cli(["test", "suite"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("✓ in the spec");
    expect(r.stdout).toContain("✓ in a test file");
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("2 passed, 0 failed");
  });

  it("--format json", () => {
    const dir = workspace({ "spec.kpi": SPEC, "scores.csv": CSV, "spec.test.kpi": TESTS });
    const r = cli(["test", "spec.test.kpi", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect([j.passed, j.failed, j.specErrors]).toEqual([1, 1, 0]);
    const t = j.projects[0].tests.find((x: { name: string }) => x.name === "wrong on purpose");
    expect(t.passed).toBe(false);
    expect(t.failures.map((f: { kind: string; kpi: string | null; rule: string | null; expected: string; actual: string; line: number }) => [f.kind, f.kpi ?? f.rule, f.expected, f.actual, f.line])).toEqual([
      ["value", "avg_score", "45", "40", 19],
      ["status", "avg_score", "off_target", "on_target", 20],
      ["alert", "low", "an episode from 2025-01, still firing", "no episode", 21],
    ]);
    expect(t.failures[0].message).toBe(`Test "wrong on purpose": KPI "avg_score", group team=a: expected 45, actual 40`);
    expect(t.failures[0].diff.map((d: { status: string }) => d.status)).toEqual(["mismatch", "ok", "missing"]);
  });

  it("a spec with errors: diagnostics on stderr, exit 1", () => {
    const dir = workspace({ "bad.kpi": `kpi k { value nope }\ntest "t" { expect k = 1 }\n` });
    const r = cli(["test", "bad.kpi"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[unknown-/);
    expect(r.stdout).toContain("its tests did not run");
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("0 passed, 0 failed");
  });

  it("usage errors exit 2", () => {
    expect(cli(["test", "does-not-exist"]).code).toBe(2);
    expect(cli(["test"]).code).toBe(2);
  });
});

describe("yardstick alerts", () => {
  const dir = () => workspace({ "spec.kpi": SPEC, "scores.csv": CSV });

  it("lists the episodes newest first", () => {
    const r = cli(["alerts", "spec.kpi"], dir());
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^rule\s+group\s+from\s+to\s+severity\s+message$/);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/))).toEqual([
      ["low", "team=a", "2025-05", "firing", "critical", "a scored 40 pts in 2025-05"],
      ["low", "team=b", "2025-04", "2025-04", "critical", "b scored 30 pts in 2025-04"],
      ["low", "team=a", "2025-02", "2025-02", "critical", "a scored 40 pts in 2025-02"],
    ]);
  });

  it("--since keeps episodes still firing or active on or after the date; --format json", () => {
    const r = cli(["alerts", "spec.kpi", "--since", "2025-03-01", "--format", "json"], dir());
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.alerts).toEqual([
      { rule: "low", group: { team: "a" }, from: "2025-05", to: null, severity: "critical", message: "a scored 40 pts in 2025-05", pendingFrom: "2025-04" },
      { rule: "low", group: { team: "b" }, from: "2025-04", to: "2025-04", severity: "critical", message: "b scored 30 pts in 2025-04", pendingFrom: "2025-03" },
    ]);
    expect(JSON.parse(cli(["alerts", "spec.kpi", "--since", "2025-05", "--format", "json"], dir()).stdout).alerts.map((a: { from: string }) => a.from)).toEqual(["2025-05"]);
    expect(cli(["alerts", "spec.kpi", "--since", "March"], dir()).code).toBe(2);
  });

  it("a spec without rules: no episodes", () => {
    const d = workspace({ "spec.kpi": SPEC.replace(/rule low[\s\S]*$/, ""), "scores.csv": CSV });
    const r = cli(["alerts", "spec.kpi"], d);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No alert episodes.");
  });
});

describe("yardstick eval includes alerts", () => {
  it("an Alerts section in the table, in rule and group order", () => {
    const r = cli(["eval", "spec.kpi"], workspace({ "spec.kpi": SPEC, "scores.csv": CSV }));
    expect(r.code).toBe(0);
    const [, alerts] = r.stdout.split("\nAlerts\n");
    expect(alerts).toBeDefined();
    expect(alerts!.trimEnd().split("\n").slice(2).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ["low", "team=a", "2025-02", "2025-02"], ["low", "team=a", "2025-05", "firing"], ["low", "team=b", "2025-04", "2025-04"],
    ]);
  });

  it("alerts in JSON", () => {
    const r = cli(["eval", "spec.kpi", "--format", "json"], workspace({ "spec.kpi": SPEC, "scores.csv": CSV }));
    const j = JSON.parse(r.stdout);
    expect(j.alerts.map((a: { group: { team: string }; from: string; to: string | null }) => [a.group.team, a.from, a.to])).toEqual([["a", "2025-02", "2025-02"], ["a", "2025-05", null], ["b", "2025-04", "2025-04"]]);
    expect(j.results.length).toBe(2);
  });

  it("the example suite's eval has alerts", () => {
    const r = cli(["eval", join("examples", "customer-centric-it"), "--format", "json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.alerts.length).toBeGreaterThan(0);
    for (const a of j.alerts) expect(Object.keys(a)).toEqual(["rule", "group", "from", "to", "severity", "message", "pendingFrom"]);
  });
});
