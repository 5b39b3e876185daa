/**
 * `yardstick init`, run as a process on the built binary: the starter project checks, tests,
 * formats and evaluates clean at once, and init never overwrites a file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanup, cli, ensureBuilt, workspace } from "./cli-helpers.js";

beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => cleanup());

const FILES = ["README.md", "data/tickets.csv", "kpis.kpi", "kpis.test.kpi"];

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)]).sort();
}

describe("yardstick init", () => {
  it("writes a starter project that passes check and test at once", () => {
    const dir = workspace({});
    const r = cli(["init", "starter"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      "Created a KPI spec in starter:",
      "  starter/kpis.kpi",
      "  starter/kpis.test.kpi",
      "  starter/data/tickets.csv",
      "  starter/README.md",
      "",
      "Next:",
      "  yardstick check starter",
      "  yardstick test starter",
      "  yardstick eval starter",
      "",
    ].join("\n"));
    expect(listFiles(join(dir, "starter"))).toEqual(FILES);

    const check = cli(["check", "starter"], dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toBe("Checked 2 files, 2 KPIs: 0 errors, 0 warnings.\n");
    expect(check.stderr).toBe("");

    const test = cli(["test", "starter"], dir);
    expect(test.code).toBe(0);
    expect(test.stdout.trimEnd().split("\n").pop()).toBe("2 passed, 0 failed");

    expect(cli(["fmt", "--check", "starter"], dir).code).toBe(0);
  });

  it("has sample data that evaluates without errors and tells a story: the rule fires once", () => {
    const dir = workspace({});
    expect(cli(["init", "."], dir).code).toBe(0);
    const r = cli(["eval", ".", "--format", "json"], dir);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { results: Array<{ kpi: string; status: string }>; alerts: Array<{ rule: string; group: Record<string, string>; from: string; to: string | null }>; diagnostics: unknown[] };
    expect(j.diagnostics).toEqual([]);
    expect(j.results.filter((x) => x.kpi === "fcr")).toHaveLength(18); // 3 channels × 6 months
    expect(j.results.filter((x) => x.kpi === "resolution_time")).toHaveLength(18);
    expect(j.alerts.map((a) => [a.rule, a.group["channel"], a.from, a.to])).toEqual([["fcr_below_target", "email", "2025-05", "2025-05"]]);
    // The sample data is the same on every run.
    const again = workspace({});
    cli(["init", "."], again);
    expect(readFileSync(join(again, "data/tickets.csv"), "utf8")).toBe(readFileSync(join(dir, "data/tickets.csv"), "utf8"));
  });

  it("defaults to the current folder", () => {
    const dir = workspace({});
    const r = cli(["init"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created a KPI spec in .:\n  kpis.kpi\n");
    expect(listFiles(dir)).toEqual(FILES);
    expect(cli(["test", "."], dir).code).toBe(0);
  });

  it("refuses to overwrite, writes nothing, and exits 2", () => {
    const dir = workspace({ "starter/README.md": "my notes\n" });
    const r = cli(["init", "starter"], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("yardstick: init writes nothing over existing files, and this one exists: starter/README.md. Choose an empty folder: yardstick init my-kpis\n");
    expect(readFileSync(join(dir, "starter/README.md"), "utf8")).toBe("my notes\n");
    expect(existsSync(join(dir, "starter/kpis.kpi"))).toBe(false);

    // A second init over a complete project lists every file.
    const full = workspace({});
    expect(cli(["init", "p"], full).code).toBe(0);
    writeFileSync(join(full, "p/kpis.kpi"), "yardstick 1\n// mine\n");
    const again = cli(["init", "p"], full);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("these exist: p/kpis.kpi, p/kpis.test.kpi, p/data/tickets.csv, p/README.md.");
    expect(readFileSync(join(full, "p/kpis.kpi"), "utf8")).toBe("yardstick 1\n// mine\n");
  });

  it("exits 2 when the target is a file, and writes into an existing empty folder", () => {
    const dir = workspace({ "taken.txt": "x" });
    const r = cli(["init", "taken.txt"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("yardstick: taken.txt is a file, not a folder.\n");
    mkdirSync(join(dir, "empty"));
    expect(cli(["init", "empty"], dir).code).toBe(0);
  });

  it("is listed in the help", () => {
    const r = cli(["--help"]);
    expect(r.stdout).toMatch(/^ {2}init \[dir\] +Write a starter project/m);
    expect(r.stdout).toMatch(/^ {2}diff \[options\] <old> <new> +Compare two versions of a spec/m);
    const h = cli(["init", "--help"]);
    expect(h.stdout).toContain("Nothing is overwritten");
  });
});
