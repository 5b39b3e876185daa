import type { Diagnostic, Kpi, Rule, Test } from "@yardstick/model";
import { firstOfKind, Reporter } from "./context.js";
import { addDerivedColumns } from "./derived.js";
import { buildDatasets } from "./datasets.js";
import { findKpiCycles } from "./cycles.js";
import { checkKpi, type CheckedKpi } from "./kpis.js";
import { ratioOf } from "./perspective.js";
import { checkRule } from "./rules.js";
import { checkTest } from "./tests.js";
import { collectDeclarations, type ParsedFile } from "./symbols.js";
import type { DatasetSymbol } from "./context.js";

export interface CheckOptions {
  /** Opt-in lints: `perspective` warns on company-over-customer ratios. */
  lint?: { perspective?: boolean };
  /**
   * Validate the lowered model with its zod schemas. Off by default: the checker's output has the
   * schema's shape by construction, the test suite validates every corpus and example model, and
   * validation costs about twice as much as parsing and checking together.
   */
  validate?: boolean;
}

export interface CheckedProgram {
  files: ParsedFile[];
  datasets: Map<string, DatasetSymbol>;
  kpis: Map<string, Kpi>;
  rules: Map<string, Rule>;
  tests: Test[];
  diagnostics: Diagnostic[];
}

/**
 * Checks a whole project (every file, imports already loaded): names, types, aggregates, cycles,
 * relations, rules and tests. Definitions with errors are left out of the result; the AST is
 * not changed.
 */
export function check(files: ParsedFile[], options: CheckOptions = {}): CheckedProgram {
  const r = new Reporter();
  const decls = collectDeclarations(files, r);
  const datasets = buildDatasets(decls, r);
  const kpiNames = new Set(decls.kpis.keys());
  addDerivedColumns(datasets, kpiNames, r);
  const kpisWithTarget = new Set<string>();
  for (const [name, d] of decls.kpis) if (firstOfKind(d.decl.clauses, "TargetClause")) kpisWithTarget.add(name);

  const checked = new Map<string, CheckedKpi>();
  for (const [name, { decl, file }] of decls.kpis) checked.set(name, checkKpi(decl, file, r, datasets, kpiNames, kpisWithTarget));
  const onCycle = findKpiCycles(checked, r);

  // A KPI is usable when it checked clean, is not on a cycle, and every KPI it reads is usable.
  const usable = new Map<string, boolean>();
  const visiting = new Set<string>();
  const isUsable = (name: string): boolean => {
    const known = usable.get(name);
    if (known !== undefined) return known;
    const k = checked.get(name);
    if (!k || !k.ok || onCycle.has(name) || visiting.has(name)) return false;
    visiting.add(name);
    const ok = k.kpi.dependsOn.every(isUsable);
    visiting.delete(name);
    usable.set(name, ok);
    return ok;
  };
  const kpis = new Map<string, Kpi>();
  for (const [name, k] of checked) if (isUsable(name)) kpis.set(name, k.kpi);
  for (const [name, k] of checked) {
    if (!kpis.has(name)) continue;
    k.kpi.ratio = ratioOf(k.kpi, datasets, kpis);
    if (options.lint?.perspective && k.kpi.ratio?.orientation === "company-over-customer") {
      r.file = k.file;
      r.report("company-over-customer", { kpi: name }, k.kpi.origin);
    }
  }

  const rules = new Map<string, Rule>();
  for (const [name, { decl, file }] of decls.rules) {
    const rule = checkRule(decl, file, r, datasets, kpis, kpiNames, kpisWithTarget);
    if (rule && rule.kpis.every((k) => kpis.has(k))) rules.set(name, rule);
  }
  const tests: Test[] = [];
  const ctx = { datasets, kpis, kpiNames, ruleNames: new Set(decls.rules.keys()), rules };
  for (const { decl, file } of decls.tests.values()) {
    const t = checkTest(decl, file, r, ctx);
    if (t) tests.push(t);
  }
  return { files, datasets, kpis, rules, tests, diagnostics: withoutFollowOns(files, r.diagnostics) };
}

/**
 * One mistake, one diagnostic: inside a definition that a syntax error cut short, the parser has
 * already reported the problem, so what the checker finds there (a clause "missing" after the
 * error, a name the broken part would have declared) is left out.
 */
function withoutFollowOns(files: ParsedFile[], diagnostics: Diagnostic[]): Diagnostic[] {
  const damaged = new Map<string, Array<{ start: number; end: number }>>();
  for (const f of files) {
    for (const item of f.ast.items) {
      if ("recovered" in item && item.recovered) {
        const list = damaged.get(f.path) ?? [];
        list.push(item.span);
        damaged.set(f.path, list);
      }
    }
  }
  if (damaged.size === 0) return diagnostics;
  return diagnostics.filter((d) => {
    const spans = d.file ? damaged.get(d.file) : undefined;
    if (!spans || !d.span) return true;
    return !spans.some((s) => d.span!.start >= s.start && d.span!.start <= s.end);
  });
}
