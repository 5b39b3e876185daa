import type { Column, Kpi } from "@yardstick/model";
import { BUILTIN_STATUSES } from "@yardstick/model";
import type { Analysis } from "./analysis.js";

/** A column as the editor shows it: from the checked dataset, or from the syntax when it did not check. */
export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  column?: Column;
}

/** Where a name inside a dataset leads: another dataset by a relation, or its related rows. */
export interface MemberInfo {
  name: string;
  dataset: string;
  kind: "relation" | "related-rows";
}

export function datasetNames(a: Analysis): string[] {
  const names = new Set(a.program.datasets.keys());
  for (const f of a.result.files) for (const i of f.ast.items) if (i.kind === "DatasetDecl" && i.name) names.add(i.name.name);
  return [...names];
}

export function kpiNames(a: Analysis): string[] {
  const names = new Set(a.program.kpis.keys());
  for (const f of a.result.files) for (const i of f.ast.items) if (i.kind === "KpiDecl" && i.name) names.add(i.name.name);
  return [...names];
}

export function ruleNames(a: Analysis): string[] {
  const names = new Set<string>();
  for (const f of a.result.files) for (const i of f.ast.items) if (i.kind === "RuleDecl" && i.name) names.add(i.name.name);
  return [...names];
}

export function columnsOf(a: Analysis, dataset: string): ColumnInfo[] {
  const sym = a.program.datasets.get(dataset);
  if (sym) return sym.model.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, column: c }));
  const found = a.datasetDecl(dataset);
  if (!found) return [];
  const out: ColumnInfo[] = [];
  for (const m of found.decl.members) {
    if (m.kind === "ColumnDecl" && m.name && m.type?.name) out.push({ name: m.name.name, type: m.type.name.name, nullable: m.type.nullable });
    else if (m.kind === "DerivedDecl" && m.name) out.push({ name: m.name.name, type: m.type?.name.name ?? "derived", nullable: m.type?.nullable ?? true });
  }
  return out;
}

/** Relations (many-to-one) and related-row collections (one-to-many) reachable from a dataset. */
export function membersOf(a: Analysis, dataset: string): MemberInfo[] {
  const sym = a.program.datasets.get(dataset);
  if (!sym) return [];
  const out: MemberInfo[] = [];
  for (const [name, r] of sym.relations) out.push({ name, dataset: r.dataset, kind: "relation" });
  for (const name of sym.incoming.keys()) out.push({ name, dataset: name, kind: "related-rows" });
  return out;
}

/** The dataset a path of relation names leads to from `dataset`, if every step is known. */
export function followPath(a: Analysis, dataset: string, path: readonly string[]): string | undefined {
  let at: string | undefined = dataset;
  for (const step of path) {
    if (!at) return undefined;
    at = membersOf(a, at).find((m) => m.name === step)?.dataset;
  }
  return at;
}

/** The statuses a KPI can take: its own labels first, then the built-in ones every KPI has. */
export function statusesOf(a: Analysis, kpi: string): string[] {
  const k: Kpi | undefined = a.program.kpis.get(kpi);
  let labels = k?.status.map((s) => s.label);
  if (!labels) {
    const decl = a.kpiDecl(kpi)?.decl;
    const clause = decl?.clauses.find((c) => c.kind === "StatusClause");
    labels = clause && clause.kind === "StatusClause" ? clause.arms.map((arm) => arm.label.name) : [];
  }
  return [...new Set([...labels, ...BUILTIN_STATUSES])];
}

/** Every status label written anywhere in the project, for a new status block. */
export function projectStatuses(a: Analysis): string[] {
  const labels = new Set<string>();
  for (const f of a.result.files) {
    for (const i of f.ast.items) {
      if (i.kind !== "KpiDecl") continue;
      for (const c of i.clauses) if (c.kind === "StatusClause") for (const arm of c.arms) if (arm.label) labels.add(arm.label.name);
    }
  }
  return [...labels];
}

/** Units written in the project (KPI units and column units). */
export function projectUnits(a: Analysis): string[] {
  const units = new Set<string>();
  for (const k of a.program.kpis.values()) if (k.unit) units.add(k.unit);
  for (const d of a.program.datasets.values()) for (const c of d.model.columns) if (c.unit) units.add(c.unit);
  return [...units];
}
