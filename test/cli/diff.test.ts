/**
 * `yardstick diff`, run as a process on the built binary. The bar scenario: two versions of the
 * customer-centric example, one KPI's filter changed, one KPI renamed, comments reflowed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, cli, ensureBuilt } from "./cli-helpers.js";

const EXAMPLE = join(ROOT, "examples/customer-centric-it");
let dir = "";
const OLD = () => join(dir, "old");
const NEW = () => join(dir, "new");

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, "utf8");
  const out = text.replace(from, to);
  if (out === text) throw new Error(`edit did not apply to ${file}: ${String(from)}`);
  writeFileSync(file, out);
}

/** Runs the binary with text on stdin. */
function cliStdin(args: string[], input: string, cwd = dir) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Row { kpi: string; group: Record<string, unknown>; value: number | null; status: string | null; n: number }
const evalJson = (spec: string, kpi: string): Row[] => {
  const r = cli(["eval", spec, "--kpi", kpi, "--format", "json"], dir);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { results: Row[] }).results;
};

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "yardstick-diff-"));
  cpSync(EXAMPLE, OLD(), { recursive: true });
  cpSync(EXAMPLE, NEW(), { recursive: true });
  const kpis = join(NEW(), "kpis.kpi");
  // 1. fcr's filter: tickets that needed more than three contacts are left out.
  edit(kpis, "  from tickets where resolved_at is not null\n  value share(contacts = 1)", "  from tickets where resolved_at is not null and contacts <= 3\n  value share(contacts = 1)");
  // 2. csat is renamed (the tests follow the new name).
  edit(kpis, "kpi csat ", "kpi csat_top2 ");
  edit(join(NEW(), "customer-centric-it.test.kpi"), /expect (status of )?csat\b/g, "expect $1csat_top2");
  // 3. Comments reflowed, in the KPIs and the datasets.
  edit(kpis,
    "// The customer-centric KPI suite of Nordwind IT Services: every KPI of the language draft, plus\n// three service-desk extras (resolution_time_p90, tickets_per_customer, calendar_stickiness).\n",
    "// The customer-centric KPI suite of Nordwind IT Services:\n// every KPI of the language draft,\n// plus three service-desk extras\n// (resolution_time_p90, tickets_per_customer, calendar_stickiness).\n");
  edit(kpis, "  min samples 30 // below it the status is `insufficient_data`\n", "  // below it the status is `insufficient_data`\n  min samples 30\n");
  edit(join(NEW(), "datasets.kpi"),
    "// Nordwind IT Services: a managed-IT provider for small and mid-sized companies in the DACH region\n// and the Netherlands.",
    "// Nordwind IT Services:\n// a managed-IT provider for small and mid-sized companies\n// in the DACH region and the Netherlands.");
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("yardstick diff: the example suite, one filter changed, one KPI renamed, comments reflowed", () => {
  it("reports exactly the meaningful changes (json)", () => {
    const r = cli(["diff", "old", "new", "--format", "json"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.diff.kpis).toEqual([
      { kind: "kpi", change: "renamed", name: "csat_top2", oldName: "csat", label: "Customer satisfaction (top-2-box)", changes: [], affectsValues: false },
      {
        kind: "kpi", change: "changed", name: "fcr", label: "First-contact resolution",
        changes: [{ field: "where", old: "resolved_at is not null", new: "resolved_at is not null and contacts <= 3" }],
        affectsValues: true,
      },
    ]);
    // Comments, the renamed KPI's tests and the rule that watches fcr did not change in meaning.
    expect(j.diff.datasets).toEqual([]);
    expect(j.diff.rules).toEqual([]);
    expect(j.diff.tests).toEqual([]);
    expect(j.diff.affected).toEqual([{ kind: "rule", name: "fcr_below_target", because: ["reads KPI fcr (changed)"] }]);
    expect(j.diff.renames.kpis).toEqual({ csat: "csat_top2" });
  });

  it("reports the value deltas: every group of fcr, old and new as eval computes them", () => {
    const j = JSON.parse(cli(["diff", "old", "new", "--format", "json"], dir).stdout);
    expect(j.values.map((v: { kpi: string; oldName: string; reason: string }) => [v.kpi, v.oldName, v.reason])).toEqual([
      ["csat_top2", "csat", "renamed"],
      ["fcr", "fcr", "changed"],
    ]);
    const key = (g: Record<string, unknown>) => JSON.stringify(g);
    const oldRows = new Map(evalJson("old", "fcr").map((r) => [key(r.group), r]));
    const newRows = new Map(evalJson("new", "fcr").map((r) => [key(r.group), r]));
    const fcr = j.values[1].groups as Array<{ group: Record<string, unknown>; old: number; new: number; delta: number; oldStatus: string; newStatus: string; oldN: number; newN: number; change: string }>;
    expect(fcr.length).toBe(newRows.size);
    let moved = 0;
    for (const g of fcr) {
      const o = oldRows.get(key(g.group))!, n = newRows.get(key(g.group))!;
      expect(g.old).toBe(o.value);
      expect(g.new).toBe(n.value);
      expect(g.delta).toBeCloseTo(n.value! - o.value!, 12);
      expect([g.oldStatus, g.newStatus, g.oldN, g.newN]).toEqual([o.status, n.status, o.n, n.n]);
      // Leaving out tickets with 4+ contacts (never first-contact) can only raise the share.
      expect(g.delta).toBeGreaterThanOrEqual(0);
      expect(g.change).toBe(g.delta > 0 || g.oldStatus !== g.newStatus ? "improved" : "unchanged");
      if (g.change !== "unchanged") moved++;
    }
    expect(moved).toBeGreaterThan(30);
    // The rename moved no value.
    const csat = j.values[0].groups as Array<{ delta: number; change: string }>;
    expect(csat.length).toBeGreaterThan(0);
    expect(csat.every((g) => g.delta === 0 && g.change === "unchanged")).toBe(true);
    expect(j.notes[0]).toMatch(/^Both versions evaluated on the same data: .*tickets\.csv/);
  });

  it("prints the changes and the deltas as text", () => {
    const r = cli(["diff", "old", "new"], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("yardstick diff old → new");
    expect(lines).toContain("  → csat → csat_top2  Customer satisfaction (top-2-box)  renamed");
    expect(lines).toContain("  ~ fcr  First-contact resolution  changed");
    expect(lines).toContain("      where: `resolved_at is not null` → `resolved_at is not null and contacts <= 3`");
    expect(lines).toContain("  rule fcr_below_target: reads KPI fcr (changed)");
    expect(lines.some((l) => /^ {2}csat → csat_top2 {2}Customer satisfaction \(top-2-box\): values unchanged in all \d+ groups$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}fcr {2}First-contact resolution: \d+ of \d+ groups moved: \d+ improved$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {4}channel +month +old +new +delta +n +status +change$/.test(l))).toBe(true);
    // One group row: phone, January: old → new, a delta in percentage points, n old → new.
    expect(lines.some((l) => /^ {4}phone +2025-01 +\d+\.\d% +\d+\.\d% +\+\d+\.\d pp +\d+ → \d+ +on_track +improved$/.test(l))).toBe(true);
    expect(lines[lines.length - 2]).toBe("1 KPI changed, 1 KPI renamed.");
    // No mention of datasets, tests or comments.
    expect(r.stdout).not.toMatch(/^(Datasets|Tests|Rules)$/m);
  });

  it("gives a Markdown block for a pull request", () => {
    const r = cli(["diff", "old", "new", "--format", "markdown"], dir);
    expect(r.code).toBe(0);
    const md = r.stdout;
    expect(md.startsWith("<!-- yardstick-diff -->\n### KPI spec changes\n\n**1 KPI changed, 1 KPI renamed.**\n")).toBe(true);
    expect(md).toContain("- **renamed** `csat` → `csat_top2` Customer satisfaction (top-2-box)\n");
    expect(md).toContain("- **changed** `fcr` First-contact resolution\n  - where: `resolved_at is not null` → `resolved_at is not null and contacts <= 3`\n");
    expect(md).toContain("| channel | month | old | new | delta | n | status | change |\n| --- | --- | ---: | ---: | ---: | ---: | --- | --- |\n");
    expect(md).toMatch(/<details><summary><code>fcr<\/code> First-contact resolution: \d+ of \d+ groups moved: \d+ improved<\/summary>/);
  });

  it("reads the old version from stdin, resolving its imports beside the new file", () => {
    const old = readFileSync(join(OLD(), "kpis.kpi"), "utf8");
    const r = cliStdin(["diff", "-", "new/kpis.kpi", "--format", "json"], old);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.old).toBe("- (stdin, as new/kpis.kpi)");
    expect(j.diff.kpis.map((k: { change: string; name: string }) => `${k.change} ${k.name}`)).toEqual(["renamed csat_top2", "changed fcr"]);
    expect(j.diff.datasets).toEqual([]);
    expect(j.values.map((v: { kpi: string }) => v.kpi)).toEqual(["csat_top2", "fcr"]);
  });

  it("finds no change between a spec and its reformatted copy", () => {
    cpSync(OLD(), join(dir, "reformatted"), { recursive: true });
    expect(cli(["fmt", "--line-width", "50", "reformatted"], dir).code).toBe(0);
    expect(readFileSync(join(dir, "reformatted/kpis.kpi"), "utf8")).not.toBe(readFileSync(join(OLD(), "kpis.kpi"), "utf8"));
    const r = cli(["diff", "old", "reformatted"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("yardstick diff old → reformatted\n\nNo change in meaning: formatting, comments and order only (or nothing at all).\n");
    const md = cli(["diff", "old", "reformatted", "--format", "markdown"], dir);
    expect(md.stdout).toContain("No change in meaning");
  });
});

describe("yardstick diff: data and exit codes", () => {
  it("--no-values compares definitions only", () => {
    const j = JSON.parse(cli(["diff", "old", "new", "--no-values", "--format", "json"], dir).stdout);
    expect(j.values).toBeNull();
    expect(j.diff.kpis).toHaveLength(2);
  });

  it("--data reads a dataset from another file on both sides", () => {
    // Only phone tickets: fcr has phone groups only, on both sides.
    const csv = readFileSync(join(EXAMPLE, "data/tickets.csv"), "utf8").split(/\r?\n/);
    writeFileSync(join(dir, "phone.csv"), [csv[0], ...csv.slice(1).filter((l) => l.split(",")[2] === "phone")].join("\n") + "\n");
    const r = cli(["diff", "old", "new", "--data", "tickets=phone.csv", "--format", "json"], dir);
    expect(r.code).toBe(0);
    const fcr = JSON.parse(r.stdout).values.find((v: { kpi: string }) => v.kpi === "fcr");
    expect(fcr.groups.length).toBeGreaterThan(0);
    expect(fcr.groups.every((g: { group: { channel: string } }) => g.group.channel === "phone")).toBe(true);
  });

  it("skips values it has no data for, with a note, and still exits 0", () => {
    const bare = join(dir, "bare");
    cpSync(NEW(), bare, { recursive: true });
    rmSync(join(bare, "data"), { recursive: true });
    const r = cli(["diff", "old", "bare"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fcr {2}First-contact resolution: not computed: bare\/data\/tickets\.csv not found \(give --data tickets=PATH\)/);
  });

  it("exits 1 when either version has errors, naming the side", () => {
    const broken = "yardstick 1\nimport \"datasets.kpi\"\nkpi fcr {\n  from tickets\n  value share(contacts = )\n}\n";
    const r = cliStdin(["diff", "-", "new/kpis.kpi"], broken);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("old (- (stdin, as new/kpis.kpi)): 1 error");
    expect(r.stderr).toContain("<stdin as new/kpis.kpi>:5:");
    expect(r.stdout).toBe("");
    const j = cliStdin(["diff", "-", "new/kpis.kpi", "--format", "json"], broken);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).diagnostics.old).toHaveLength(1);
  });

  it("exits 2 on usage and I/O errors", () => {
    const cases: Array<[string[], RegExp]> = [
      [["diff", "old", "missing"], /No such file or folder: missing/],
      [["diff", "-", "-"], /Only one side can be `-`/],
      [["diff", "-", "new"], /With `-`, the other side must be the \.kpi file/],
      [["diff", "old", "new", "--data", "tickets=nope.csv"], /--data tickets=nope\.csv: no such file/],
      [["diff", "old", "new", "--data", "nope=phone.csv"], /neither version has a dataset "nope"/],
      [["diff", "old", "new", "--data", "tickets"], /--data takes dataset=path/],
      [["diff", "old"], /missing required argument 'new'/],
      [["diff", "old", "new", "--format", "yaml"], /Allowed choices are text, json, markdown/],
      [["diff", ROOT + "/examples", "new"], /holds 3 projects/],
    ];
    for (const [args, message] of cases) {
      const r = cliStdin(args, "");
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it("has help with examples and exit codes", () => {
    const r = cli(["diff", "--help"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("git show main:specs/kpis.kpi | yardstick diff - specs/kpis.kpi");
    expect(r.stdout).toContain("Exit codes: 0 compared");
  });
});
