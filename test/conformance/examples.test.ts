/**
 * Every example suite, end to end on its own data: compiled by the front end, loaded by the
 * loaders, every KPI evaluated. No error diagnostics, no value that is NaN or infinite, and a
 * value or a reason on every row. Then every value and status expectation of the suites' `test`
 * blocks, on their fixtures (alert expectations belong to rules).
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { compileProject } from "@yardstick/language";
import type { Dim, Expectation, Model, Test } from "@yardstick/model";
import { evaluate, tableFromFixture, type ResultRow, type Table } from "@yardstick/engine";
import { loadModelData } from "@yardstick/engine/node";

const root = resolve(import.meta.dirname, "../../examples");
const suites = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe("example suites", () => {
  for (const suite of suites) {
    it(`${suite} evaluates every KPI`, async () => {
      const dir = join(root, suite);
      const entries = readdirSync(dir).filter((f) => f.endsWith(".kpi")).map((f) => join(dir, f));
      const { model, diagnostics } = compileProject(entries, { readFile: (p) => { try { return readFileSync(p, "utf8"); } catch { return undefined; } } });
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const loaded = await loadModelData(model);
      expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const r = evaluate(model, loaded.tables, { asOf: "2026-01-01T00:00:00Z" });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(r.results.length).toBeGreaterThan(0);
      const names = new Set(r.results.map((x) => x.kpi));
      for (const k of model.kpis) expect(names.has(k.name), `results for ${k.name}`).toBe(true);
      for (const row of r.results) {
        if (row.value === null) expect(row.reason, `${row.kpi} ${JSON.stringify(row.group)}`).toBeTruthy();
        else expect(Number.isFinite(row.value)).toBe(true);
      }
    });
  }
});

type ValueOrStatus = Extract<Expectation, { kind: "value" | "status" }>;

/** Failures of one test's value and status expectations, as readable lines. */
function checkTest(model: Model, test: Test): string[] {
  const tables = new Map<string, Table>();
  for (const ds of model.datasets) {
    const fixture = test.fixtures.find((f) => f.dataset === ds.name)
      ?? { dataset: ds.name, columns: ds.columns.filter((c) => !c.derived).map((c) => c.name), rows: [], rowOrigins: [], origin: test.origin };
    const t = tableFromFixture(ds, fixture);
    if (t.table) tables.set(ds.name, t.table);
  }
  const failures: string[] = [];
  for (const e of test.expectations) {
    if (e.kind === "alert") continue;
    const x = e as ValueOrStatus;
    const by: Dim[] | undefined = x.by.length > 0 ? x.by : x.groups ? undefined : [];
    const r = evaluate(model, tables, { kpis: [x.kpi], ...(by ? { by } : {}), ...(x.where ? { where: x.where } : {}), ...(test.asOf ? { asOf: test.asOf } : {}) });
    const rows = r.results;
    const label = `${test.name}: ${x.kpi}`;
    const check = (row: ResultRow | undefined, want: number | string | null, where: string) => {
      if (!row) return failures.push(`${label}${where}: no result row`);
      if (x.kind === "status") { if (row.status !== want) failures.push(`${label}${where}: status ${row.status}, expected ${want}`); return; }
      const got = row.value;
      if (want === null || got === null) { if (got !== want) failures.push(`${label}${where}: ${got} (${row.reason ?? ""}), expected ${want}`); return; }
      const tol = x.tolerance;
      const ok = tol.kind === "absolute" ? Math.abs(got - (want as number)) <= tol.amount : Math.abs(got - (want as number)) <= tol.amount * Math.max(Math.abs(got), Math.abs(want as number));
      if (!ok) failures.push(`${label}${where}: ${got}, expected ${want}`);
    };
    if (x.groups) {
      for (const g of x.groups) {
        const row = rows.find((rr) => Object.entries(g.group).every(([k, v]) => String(rr.group[k] ?? "") === v) || (Object.keys(g.group).length === 1 && Object.values(rr.group).map(String).includes(Object.values(g.group)[0]!)));
        check(row, g.value, ` ${JSON.stringify(g.group)}`);
      }
    } else {
      if (rows.length !== 1) failures.push(`${label}: ${rows.length} result rows`);
      check(rows[0], x.expected, "");
    }
  }
  return failures;
}

describe("example suites' expectations", () => {
  for (const suite of suites) {
    it(`${suite}`, () => {
      const dir = join(root, suite);
      const entries = readdirSync(dir).filter((f) => f.endsWith(".kpi")).map((f) => join(dir, f));
      const { model } = compileProject(entries, { readFile: (p) => { try { return readFileSync(p, "utf8"); } catch { return undefined; } } });
      expect(model.tests.length).toBeGreaterThan(0);
      expect(model.tests.flatMap((t) => checkTest(model, t))).toEqual([]);
    });
  }
});
