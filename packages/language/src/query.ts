import { diagnostic, type Diagnostic, type Dim, type Expr } from "@yardstick/model";
import { Reporter } from "./check/context.js";
import { checkCondition, checkDim, type ExprEnv } from "./check/expr.js";
import type { CheckedProgram } from "./check/program.js";
import { parseFragment } from "./syntax/parse.js";

/** A query-time regrouping or refiltering of KPIs, as given on the command line or in the playground. */
export interface QueryText {
  /** Comma-separated dimensions: `customer.segment, month`. */
  by?: string;
  /** A row condition: `channel = "phone"`. */
  where?: string;
}

export interface KpiQuery {
  by?: Dim[];
  where?: Expr;
}

/**
 * Compiles `--by` and `--where` for each KPI that reads a dataset. Dimensions and filters are
 * checked against that KPI's dataset; a KPI where they do not apply is reported and left out.
 * KPIs built from other KPIs follow the KPIs they read (time buckets only in `by`).
 */
export function compileQuery(program: CheckedProgram, kpiNames: string[], query: QueryText, origin = "<query>"): { perKpi: Map<string, KpiQuery>; diagnostics: Diagnostic[] } {
  const perKpi = new Map<string, KpiQuery>();
  const diagnostics: Diagnostic[] = [];
  const byList = query.by?.trim() ? splitTopLevel(query.by) : [];
  const where = query.where?.trim() ? parseFragment(query.where, 0, "expression", origin) : undefined;
  if (where && !where.ok) diagnostics.push(...where.diagnostics);
  if (diagnostics.length) return { perKpi, diagnostics };
  const dimNodes = byList.map((part) => parseFragment(part.text, part.offset, "additive", origin));
  for (const d of dimNodes) if (!d.ok) diagnostics.push(...d.diagnostics);
  if (diagnostics.length) return { perKpi, diagnostics };

  const kpiSet = new Set(program.kpis.keys());
  for (const name of kpiNames) {
    const kpi = program.kpis.get(name);
    if (!kpi) continue;
    const q: KpiQuery = {};
    const scope = kpi.from ? program.datasets.get(kpi.from) ?? null : null;
    const r = new Reporter();
    r.file = origin;
    const env: ExprEnv = { file: origin, r, datasets: program.datasets, kpiNames: kpiSet, scope, zone: kpi.zone, place: "a query", kpiRefs: new Map(), usesTime: null };
    if (dimNodes.length) {
      if (scope) q.by = dimNodes.map((d) => checkDim(d.node!, env));
      else {
        const units = dimNodes.map((d) => (d.node!.kind === "NameRef" && ["day", "week", "month", "quarter", "year"].includes(d.node!.name) ? d.node!.name : null));
        if (units.some((u) => u === null)) r.report("invalid-per", { text: `KPI "${name}" is built from other KPIs; group it by time buckets only.` }, undefined);
        else q.by = units.map((u, i) => ({ name: u!, expr: { op: "bucket", unit: u as "day", arg: { op: "lit", type: "timestamp", value: null, origin: { file: origin, start: byList[i]!.offset, end: byList[i]!.offset + u!.length } }, zone: kpi.zone, type: "period", origin: { file: origin, start: 0, end: 0 } }, origin: { file: origin, start: byList[i]!.offset, end: byList[i]!.offset + u!.length } }));
      }
    }
    if (where?.node) {
      if (scope) q.where = checkCondition(where.node, { ...env, place: "a `where` filter" }, "row", "`--where`").e;
      else r.report("invalid-argument", { text: `KPI "${name}" has no dataset to filter.`, hint: "Filter the KPIs it is built from." }, undefined);
    }
    if (r.errorCount > 0) {
      diagnostics.push(diagnostic("no-data", { text: `KPI "${name}" is left out: ${r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message).join(" ")}` }, { severity: "warning" }));
      continue;
    }
    perKpi.set(name, q);
  }
  return { perKpi, diagnostics };
}

/** Splits `a, month(b), c` on top-level commas, keeping offsets. */
function splitTopLevel(text: string): Array<{ text: string; offset: number }> {
  const parts: Array<{ text: string; offset: number }> = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === '"' && text[i - 1] !== "\\") inString = !inString;
    if (inString) continue;
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    if ((ch === "," && depth === 0) || i === text.length) {
      const raw = text.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      if (raw.trim()) parts.push({ text: raw.trim(), offset: start + lead });
      start = i + 1;
    }
  }
  return parts;
}
