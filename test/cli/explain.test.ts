/**
 * `yardstick explain`, run as a process on the built binary: the NPS bar of issue 4 (promoters,
 * detractors and responses add up to the value `eval` shows), the JSON form, group selection and
 * usage errors.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { cli, ensureBuilt } from "./cli-helpers.js";

beforeAll(() => ensureBuilt(), 180_000);

const SPEC = "examples/customer-centric-it";
const GROUP = "customer.segment=smb,month=2025-07";

/** The value column of a tree line: the last run of non-space text after two spaces. */
function valueOf(line: string): string {
  return line.trimEnd().split(/\s{2,}/).pop()!;
}

function lineWith(lines: string[], text: string): string {
  const l = lines.find((x) => x.includes(text));
  expect(l, `a line with ${JSON.stringify(text)} in:\n${lines.join("\n")}`).toBeDefined();
  return l!;
}

describe("yardstick explain", () => {
  it("explains NPS for one segment and month: promoters, detractors and responses add up to eval's value", () => {
    const r = cli(["explain", SPEC, "--kpi", "nps", "--group", GROUP]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe('nps "Net Promoter Score" · customer.segment=smb, month=2025-07');
    expect(lines[1]).toBe("value 14.6 points · n 48 · target >= 30.0 points · status off_track");

    const formula = lines.indexOf("formula");
    expect(formula).toBeGreaterThan(0);
    const root = lines[formula + 1]!;
    expect(root.startsWith("100 * (share(recommend >= 9) - share(recommend <= 6))")).toBe(true);
    expect(valueOf(root)).toBe("14.6 points");

    // The tree, in order, with each value right-aligned in one column.
    const tree = lines.slice(formula + 1, lines.indexOf("", formula));
    expect(tree.map((l) => l.replace(/\s{2,}\S+( points|%)?$/, "").trimEnd())).toEqual([
      "100 * (share(recommend >= 9) - share(recommend <= 6))",
      "└─ share(recommend >= 9) - share(recommend <= 6)",
      "   ├─ share(recommend >= 9)  (20 / 48)",
      "   │  ├─ rows of surveys in customer.segment=smb, month=2025-07",
      "   │  ├─ where recommend is not null  (KPI where; kept 48, dropped 2)",
      "   │  ├─ recommend >= 9 is null (left out)",
      "   │  ├─ numerator: rows where recommend >= 9",
      "   │  └─ denominator: rows where recommend >= 9 is true or false",
      "   └─ share(recommend <= 6)  (13 / 48)",
      "      ├─ rows of surveys in customer.segment=smb, month=2025-07",
      "      ├─ where recommend is not null  (KPI where; kept 48, dropped 2)",
      "      ├─ recommend <= 6 is null (left out)",
      "      ├─ numerator: rows where recommend <= 6",
      "      └─ denominator: rows where recommend <= 6 is true or false",
    ]);
    const ends = new Set(tree.map((l) => [...l].length));
    expect(ends.size).toBe(1);

    const promoters = Number(valueOf(lineWith(tree, "numerator: rows where recommend >= 9")));
    const detractors = Number(valueOf(lineWith(tree, "numerator: rows where recommend <= 6")));
    const responses = Number(valueOf(lineWith(tree, "denominator: rows where recommend >= 9")));
    expect([promoters, detractors, responses]).toEqual([20, 13, 48]);
    expect(valueOf(lineWith(tree, "share(recommend >= 9)  (20 / 48)"))).toBe("41.7%");
    expect(valueOf(lineWith(tree, "└─ share(recommend >= 9) - share(recommend <= 6)"))).toBe("14.6%");

    // The same group in `yardstick eval`.
    const ev = cli(["eval", SPEC, "--kpi", "nps", "--format", "json"]);
    expect(ev.code).toBe(0);
    const row = (JSON.parse(ev.stdout) as { results: Array<{ group: Record<string, string>; value: number; n: number; status: string }> }).results
      .find((x) => x.group["customer.segment"] === "smb" && x.group["month"] === "2025-07")!;
    expect(100 * (promoters / responses - detractors / responses)).toBe(row.value);
    expect(row.n).toBe(responses);
    expect(row.status).toBe("off_track");

    // The target and status decisions.
    expect(lineWith(lines, "└─ value >= target  (14.6 points >= 30.0 points)").trimEnd().endsWith("false")).toBe(true);
    const status = lines.findIndex((l) => l.startsWith("status"));
    expect(valueOf(lines[status]!)).toBe("off_track");
    const arms = lines.slice(status + 1, status + 12).map((l) => l.replace(/\s{2,}(true|false|\S+ points)$/, "").trimEnd());
    expect(arms.slice(0, 4)).toEqual([
      "├─ insufficient_data when the value is null or n < min samples  (n = 48, min samples 30)",
      "├─ on_track when value >= target",
      "│  ├─ value",
      "│  └─ target",
    ]);
    expect(valueOf(lines[status + 2]!)).toBe("false");
    expect(lineWith(lines, "off_track otherwise  ← applies")).toMatch(/true$/);

    // The sample: the first five rows, with the columns NPS reads and their lines in the CSV.
    const rows = lines.findIndex((l) => l.startsWith("rows (first 5 of 48, surveys from examples/customer-centric-it/data/surveys.csv)"));
    expect(rows).toBeGreaterThan(status);
    expect(lines[rows + 1]!.trim().split(/\s+/)).toEqual(["line", "answered_at", "recommend"]);
    expect(lines.slice(rows + 2).filter((l) => /^\s+\d+\s+2025-07-/.test(l)).length).toBe(5);
  });

  it("prints the same tree as JSON", () => {
    const r = cli(["explain", SPEC, "--kpi", "nps", "--group", GROUP, "--rows", "2", "--format", "json"]);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t.kpi).toBe("nps");
    expect(t.group).toEqual({ "customer.segment": "smb", month: "2025-07" });
    expect(t.value).toBe(t.evaluated.value);
    expect(t.formula.text).toBe("100 * (share(recommend >= 9) - share(recommend <= 6))");
    expect(t.status.value).toBe("off_track");
    expect(t.sample.rows.length).toBe(2);
    expect(t.groups.length).toBeGreaterThan(1);
    expect(Array.isArray(t.diagnostics)).toBe(true);
  });

  it("without --group explains the first group and lists the others", () => {
    const r = cli(["explain", SPEC, "--kpi", "csat", "--rows", "1"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe('csat "Customer satisfaction (top-2-box)" · month=2025-01');
    expect(lines[2]).toBe('"csat" has 12 groups (by month); explaining the first. Choose one by its dimensions, for example month=2025-01.');
    expect(lines[3]).toMatch(/^groups: month=2025-01 \| month=2025-02 \| .* \| … 2 more$/);
  });

  it("explains the overall value with --by \"\", and regroups by the dimensions of --group", () => {
    const overall = cli(["explain", SPEC, "--kpi", "nps", "--by", ""]);
    expect(overall.code).toBe(0);
    expect(overall.stdout.split("\n")[0]).toBe('nps "Net Promoter Score" · all rows');
    const r = cli(["explain", SPEC, "--kpi", "csat", "--group", "channel=phone"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown column|"channel"/i);
    const seg = cli(["explain", SPEC, "--kpi", "csat", "--group", "customer.segment=smb"]);
    expect(seg.code).toBe(0);
    const lines = seg.stdout.split("\n");
    expect(lines[0]).toBe('csat "Customer satisfaction (top-2-box)" · customer.segment=smb');
    expect(lines).toContain("Regrouped by customer.segment (the dimensions of --group).");
  });

  it("rejects an unknown KPI and a group that matches nothing, listing the choices", () => {
    const unknown = cli(["explain", SPEC, "--kpi", "npz"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^yardstick: Unknown KPI "npz"\. KPIs: nps, csat, /);
    const none = cli(["explain", SPEC, "--kpi", "nps", "--group", "segment=smb,month=2031-01"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("yardstick: No group matches customer.segment=smb, month=2031-01.");
    expect(none.stderr).toContain('  --group "customer.segment=enterprise,month=2025-01"');
    const bad = cli(["explain", SPEC, "--kpi", "nps", "--rows", "many"]);
    expect(bad.code).toBe(2);
  });
});
