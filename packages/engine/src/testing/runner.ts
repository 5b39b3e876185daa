import {
  diagnostic, type Diagnostic, type Dim, type Expectation, type Expr, type Fixture, type Model, type Origin, type Test, type Tolerance,
} from "@yardstick/model";
import type { Table } from "../table/table.js";
import { tableFromFixture } from "../load/fixture.js";
import { checkRelations } from "../load/relations.js";
import { evaluate, type ResultRow } from "../eval/evaluate.js";
import type { EvalRequest } from "../plan/plan.js";
import { exprKey } from "../plan/expr-key.js";
import { evaluateRules, type AlertEpisode } from "../rules/rules.js";
import { groupMatches, groupText, numberText, valuesMatch, type GroupLabel } from "./compare.js";
import { expectationText } from "./describe.js";

/**
 * The test runner: runs the `test` blocks of a model on their fixture rows and checks every
 * expectation. Browser-safe (no file system): the CLI and the playground both call runTests.
 */

export interface RunTestsOptions {
  /** Only the tests with these names (default: all). */
  only?: string[];
  /** Source text per file, to quote each failing expectation as written and give its line. */
  sources?: ReadonlyMap<string, string>;
}

/** One group of a map expectation, side by side. */
export interface GroupDiff {
  group: Record<string, GroupLabel>;
  expected: string | null;
  actual: string | null;
  /** `ok`, `mismatch` (different value), `missing` (expected group absent), `unexpected` (a group not listed). */
  status: "ok" | "mismatch" | "missing" | "unexpected";
}

export interface TestFailure {
  kind: "value" | "status" | "alert" | "fixture" | "evaluation";
  /** The expectation: its source text when sources were given, else rebuilt from the model. */
  expectation: string;
  file: string;
  /** One-based line of the expectation (only when sources were given). */
  line: number | null;
  origin: Origin;
  kpi: string | null;
  rule: string | null;
  /** The (first) failing group; null for an expectation without groups. */
  group: Record<string, GroupLabel> | null;
  expected: string;
  actual: string;
  /** Map expectations: every group expected or present, with its status. */
  diff: GroupDiff[] | null;
  /** One line naming the test, the KPI or rule, the group, expected and actual. */
  message: string;
}

export interface TestResult {
  name: string;
  file: string;
  line: number | null;
  origin: Origin;
  passed: boolean;
  expectations: number;
  failures: TestFailure[];
  /** Fixture and evaluation diagnostics of this test (errors among them fail it). */
  diagnostics: Diagnostic[];
}

export interface TestReport {
  tests: TestResult[];
  passed: number;
  failed: number;
}

const DEFAULT_TOLERANCE: Tolerance = { kind: "relative", amount: 1e-9 };

export function runTests(model: Model, options: RunTestsOptions = {}): TestReport {
  const tests = options.only ? model.tests.filter((t) => options.only!.includes(t.name)) : model.tests;
  const results = tests.map((t) => runTest(model, t, options));
  const passed = results.filter((r) => r.passed).length;
  return { tests: results, passed, failed: results.length - passed };
}

/** Locates an origin in the sources: one-based line and the text it spans on one line. */
function locate(o: Origin, sources: ReadonlyMap<string, string> | undefined): { line: number | null; text: string | null } {
  const src = sources?.get(o.file);
  if (src === undefined || o.end > src.length || o.start < 0) return { line: null, text: null };
  let line = 1;
  for (let i = src.indexOf("\n"); i >= 0 && i < o.start; i = src.indexOf("\n", i + 1)) line++;
  const text = src.slice(o.start, o.end).split("\n").map((l) => l.replace(/\/\/.*$/, "").trim()).filter(Boolean).join(" ");
  return { line, text };
}

/** Builds the tables of a test: fixtures, relations among them, empty tables for the other datasets. */
export function fixtureTables(model: Model, test: Test): { tables: Map<string, Table>; diagnostics: Diagnostic[]; errors: Array<{ fixture: Fixture | null; diagnostic: Diagnostic }> } {
  const datasets = new Map(model.datasets.map((d) => [d.name, d]));
  const tables = new Map<string, Table>();
  const diagnostics: Diagnostic[] = [];
  const errors: Array<{ fixture: Fixture | null; diagnostic: Diagnostic }> = [];
  for (const f of test.fixtures) {
    const ds = datasets.get(f.dataset);
    if (!ds) {
      const d = diagnostic("unknown-dataset", { name: f.dataset }, { file: f.origin.file, span: { start: f.origin.start, end: f.origin.end } });
      diagnostics.push(d);
      errors.push({ fixture: f, diagnostic: d });
      continue;
    }
    const r = tableFromFixture(ds, f);
    diagnostics.push(...r.diagnostics);
    for (const d of r.diagnostics) if (d.severity === "error") errors.push({ fixture: f, diagnostic: d });
    if (r.table) tables.set(ds.name, r.table);
  }
  // Relations are checked among the given datasets only: a dataset without rows is not a target.
  const rel = checkRelations(model, tables);
  diagnostics.push(...rel.diagnostics);
  for (const d of rel.diagnostics) if (d.severity === "error") errors.push({ fixture: test.fixtures.find((f) => f.dataset === d.data?.dataset) ?? null, diagnostic: d });
  const out = rel.tables;
  for (const ds of model.datasets) {
    if (out.has(ds.name)) continue;
    const empty = tableFromFixture(ds, { dataset: ds.name, columns: [], rows: [], rowOrigins: [], origin: test.origin });
    if (empty.table) out.set(ds.name, empty.table);
  }
  return { tables: out, diagnostics, errors };
}

function runTest(model: Model, test: Test, options: RunTestsOptions): TestResult {
  const where = locate(test.origin, options.sources);
  const result: TestResult = {
    name: test.name, file: test.origin.file, line: where.line, origin: test.origin, passed: true,
    expectations: test.expectations.length, failures: [], diagnostics: [],
  };
  const seen = new Set<string>();
  const addDiagnostics = (ds: Diagnostic[]) => {
    for (const d of ds) {
      const key = `${d.code}|${d.message}|${d.file ?? ""}|${d.span?.start ?? ""}`;
      if (!seen.has(key)) { seen.add(key); result.diagnostics.push(d); }
    }
  };
  const fail = (f: Omit<TestFailure, "message" | "line" | "expectation" | "file"> & { expectationOrigin: Origin; expectation?: string }) => {
    const loc = locate(f.expectationOrigin, options.sources);
    const expectation = f.expectation ?? loc.text ?? "";
    const subject = f.kpi ? `KPI "${f.kpi}"` : f.rule ? `rule "${f.rule}"` : "";
    const group = f.kind === "value" || f.kind === "status" ? `, group ${groupText(f.group)}` : "";
    const message = `Test "${test.name}": ${subject ? subject + group + ": " : ""}expected ${f.expected}, actual ${f.actual}`;
    const { expectationOrigin, ...rest } = f;
    result.failures.push({ ...rest, expectation, file: expectationOrigin.file, line: loc.line, origin: expectationOrigin, message });
  };

  const fx = fixtureTables(model, test);
  addDiagnostics(fx.diagnostics);
  if (fx.errors.length > 0) {
    for (const e of fx.errors) {
      const o = e.fixture?.origin ?? test.origin;
      const at = e.diagnostic.span ? { file: e.diagnostic.file ?? o.file, start: e.diagnostic.span.start, end: e.diagnostic.span.end } : o;
      fail({
        kind: "fixture", expectationOrigin: at, expectation: locate(at, options.sources).text ?? `given ${e.fixture?.dataset ?? "?"}`,
        kpi: null, rule: null, group: null, diff: null, origin: at,
        expected: "fixture rows that load", actual: `${e.diagnostic.code}: ${e.diagnostic.message}`,
      });
    }
    result.passed = false;
    return result;
  }

  if (test.expectations.length === 0) {
    // The front end rejects such a test (test-expects-nothing); a model built another way may not.
    const d = diagnostic("test-expects-nothing", { name: test.name }, { file: test.origin.file, span: { start: test.origin.start, end: test.origin.end } });
    addDiagnostics([d]);
    fail({ kind: "evaluation", expectationOrigin: test.origin, expectation: `test "${test.name}"`, kpi: null, rule: null, group: null, diff: null, origin: test.origin, expected: "at least one expectation", actual: "none" });
    result.passed = false;
    return result;
  }

  const evaluations = new Map<string, { rows: ResultRow[]; errors: Diagnostic[] }>();
  const evalFor = (kpi: string, by: Dim[], where: Expr | null) => {
    const key = exprKey([kpi, by.map((d) => [d.name, d.expr]), where]);
    let ev = evaluations.get(key);
    if (!ev) {
      const request: EvalRequest = { kpis: [kpi], by };
      if (where) request.where = where;
      if (test.asOf) request.asOf = test.asOf;
      const r = evaluate(model, fx.tables, request);
      addDiagnostics(r.diagnostics);
      ev = { rows: r.results.filter((x) => x.kpi === kpi), errors: r.diagnostics.filter((d) => d.severity === "error") };
      evaluations.set(key, ev);
    }
    return ev;
  };
  let alerts: AlertEpisode[] | null = null;
  const alertsFor = (rule: string): AlertEpisode[] => {
    if (!alerts) {
      const rules = [...new Set(test.expectations.filter((e) => e.kind === "alert").map((e) => (e as { rule: string }).rule))];
      const r = evaluateRules(model, fx.tables, { rules, ...(test.asOf ? { asOf: test.asOf } : {}) });
      addDiagnostics(r.diagnostics);
      alerts = r.alerts;
    }
    return alerts.filter((a) => a.rule === rule);
  };

  for (const e of test.expectations) {
    const text = () => locate(e.origin, options.sources).text ?? expectationText(e);
    if (e.kind === "alert") checkAlert(e, alertsFor(e.rule), (f) => fail({ ...f, expectation: text() }));
    else {
      const ev = evalFor(e.kpi, e.by, e.where);
      if (ev.errors.length > 0) {
        fail({
          kind: "evaluation", expectationOrigin: e.origin, expectation: text(),
          kpi: e.kpi, rule: null, group: null, diff: null, origin: e.origin,
          expected: "a value", actual: `no result: ${ev.errors.map((d) => d.message).join(" ")}`,
        });
        continue;
      }
      checkKpi(e, ev.rows, (f) => fail({ ...f, expectation: text() }));
    }
  }
  result.passed = result.failures.length === 0 && !result.diagnostics.some((d) => d.severity === "error");
  return result;
}

type Fail = (f: Omit<TestFailure, "message" | "line" | "expectation" | "file"> & { expectationOrigin: Origin; expectation?: string }) => void;

function checkKpi(e: Exclude<Expectation, { kind: "alert" }>, rows: ResultRow[], fail: Fail): void {
  const isStatus = e.kind === "status";
  const actualOf = (r: ResultRow | undefined): string => {
    if (isStatus) return r?.status ?? (r ? "null" : "insufficient_data");
    return numberText(r?.value ?? null);
  };
  const base = { kind: e.kind, expectationOrigin: e.origin, origin: e.origin, kpi: e.kpi, rule: null } as const;
  if (!e.groups) {
    const row = rows.find((r) => Object.keys(r.group).length === 0) ?? rows[0];
    const ok = e.kind === "status" ? actualOf(row) === e.expected : valuesMatch(e.expected, row?.value ?? null, e.tolerance);
    if (!ok) {
      const expected = e.kind === "status" ? String(e.expected) : numberText(e.expected) + tolSuffix(e.tolerance);
      fail({ ...base, group: null, diff: null, expected, actual: actualOf(row) });
    }
    return;
  }
  const groups = e.groups as Array<{ group: Record<string, string>; value: number | string | null; tolerance?: Tolerance }>;
  // A tolerance written after one entry applies to the whole map.
  const mapTolerance = groups.find((g) => g.tolerance)?.tolerance ?? (e.kind === "value" ? e.tolerance : DEFAULT_TOLERANCE);
  const used = new Set<ResultRow>();
  const diff: GroupDiff[] = [];
  for (const g of groups) {
    const row = rows.find((r) => groupMatches(g.group, r.group));
    if (row) used.add(row);
    const expectedText = typeof g.value === "string" ? g.value : numberText(g.value);
    let ok: boolean;
    if (isStatus) ok = actualOf(row) === g.value;
    else ok = valuesMatch(g.value as number | null, row?.value ?? null, g.tolerance ?? mapTolerance);
    const group: Record<string, GroupLabel> = row ? pick(row.group, Object.keys(g.group)) : { ...g.group };
    diff.push({ group, expected: expectedText, actual: row ? actualOf(row) : null, status: ok ? "ok" : row ? "mismatch" : "missing" });
  }
  for (const r of rows) {
    if (used.has(r) || r.value === null) continue;
    diff.push({ group: { ...r.group }, expected: null, actual: actualOf(r), status: "unexpected" });
  }
  const bad = diff.filter((d) => d.status !== "ok");
  if (bad.length === 0) return;
  const first = bad[0]!;
  fail({
    ...base, group: first.group, diff,
    expected: first.status === "unexpected" ? "no such group (maps list every group with a value)" : first.expected! + (isStatus ? "" : tolSuffix(mapTolerance)),
    actual: first.status === "missing" ? `no such group${isStatus ? "" : " (no value)"}` : first.actual!,
  });
}

function pick(g: Record<string, GroupLabel>, keys: string[]): Record<string, GroupLabel> {
  const out: Record<string, GroupLabel> = {};
  for (const k of keys) out[k] = g[k] ?? null;
  return out;
}

function tolSuffix(t: Tolerance): string {
  if (t.kind === "relative" && t.amount === DEFAULT_TOLERANCE.amount) return "";
  return t.kind === "absolute" ? ` ± ${numberText(t.amount)}` : ` ± ${numberText(+(t.amount * 100).toPrecision(12))}%`;
}

function episodeText(a: AlertEpisode): string {
  const g = Object.keys(a.group).length ? ` (${groupText(a.group)})` : "";
  return `${a.to === null ? `from ${a.from}, still firing` : `from ${a.from} to ${a.to}`}${g}`;
}

function checkAlert(e: Extract<Expectation, { kind: "alert" }>, episodes: AlertEpisode[], fail: Fail): void {
  const matches = episodes.filter((a) => {
    if (e.from !== null && a.from !== e.from) return false;
    if (e.to !== null && a.to !== e.to) return false;
    if (e.firing && a.to !== null) return false;
    return true;
  });
  let ok: boolean;
  let expected: string;
  if (e.negated) {
    ok = matches.length === 0;
    expected = e.from || e.to || e.firing ? `no such episode` : "no episode";
  } else {
    ok = matches.length > 0;
    if (e.firing) expected = `an episode from ${e.from ?? "any period"}, still firing`;
    else if (e.from && e.to) expected = `an episode from ${e.from} to ${e.to}`;
    else if (e.from) expected = `an episode from ${e.from}`;
    else if (e.to) expected = `an episode ending in ${e.to}`;
    else expected = "at least one episode";
  }
  if (ok) return;
  const shown = e.negated ? matches : episodes;
  const actual = shown.length === 0 ? "no episode" : shown.map(episodeText).join("; ");
  fail({ kind: "alert", expectationOrigin: e.origin, origin: e.origin, kpi: null, rule: e.rule, group: null, diff: null, expected, actual });
}
