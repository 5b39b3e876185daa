import type { Diagnostic, Dim, Expr } from "@yardstick/model";
import { Reporter, type DatasetSymbol } from "./check/context.js";
import { checkCondition, checkDim, type ExprEnv } from "./check/expr.js";
import type { CheckedProgram } from "./check/program.js";
import { parseFragment } from "./syntax/parse.js";

/** A query-time regrouping or refiltering, as given on the command line or in the playground. */
export interface QueryText {
  /** Comma-separated dimensions: `customer.segment, month`. */
  by?: string;
  /** A row condition: `channel = "phone"`. */
  where?: string;
}

export interface CompiledQuery {
  by?: Dim[];
  where?: Expr;
}

/**
 * Compiles `--by` and `--where` to model expressions. Each is checked against the datasets of the
 * requested KPIs, in order, and the first dataset on which it checks clean gives its meaning; the
 * engine then applies it to each KPI whose dataset can evaluate it (a time bucket follows each
 * KPI's own time column). When no dataset fits, the diagnostics of the first one are returned.
 */
export function compileQuery(program: CheckedProgram, kpiNames: string[], query: QueryText, origin = "<query>"): { query: CompiledQuery; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const out: CompiledQuery = {};
  const scopes: DatasetSymbol[] = [];
  for (const k of kpiNames) {
    const from = program.kpis.get(k)?.from;
    const ds = from ? program.datasets.get(from) : undefined;
    if (ds && !scopes.includes(ds)) scopes.push(ds);
  }
  if (scopes.length === 0) scopes.push(...program.datasets.values());
  const kpiSet = new Set(program.kpis.keys());
  const firstFit = <T>(fn: (env: ExprEnv) => T): T | undefined => {
    let firstErrors: Diagnostic[] | undefined;
    for (const scope of scopes) {
      const r = new Reporter();
      r.file = origin;
      const env: ExprEnv = { file: origin, r, datasets: program.datasets, kpiNames: kpiSet, scope, zone: scope.model.zone, place: "a query", kpiRefs: new Map(), usesTime: null };
      const v = fn(env);
      if (r.errorCount === 0) return v;
      firstErrors ??= r.diagnostics;
    }
    diagnostics.push(...(firstErrors ?? []));
    return undefined;
  };
  if (query.by?.trim()) {
    const dims: Dim[] = [];
    for (const part of splitTopLevel(query.by)) {
      const parsed = parseFragment(part.text, part.offset, "additive", origin);
      if (!parsed.ok || !parsed.node) {
        diagnostics.push(...parsed.diagnostics);
        continue;
      }
      const d = firstFit((env) => checkDim(parsed.node!, env));
      if (d) dims.push(d);
    }
    out.by = dims;
  }
  if (query.where?.trim()) {
    const parsed = parseFragment(query.where, 0, "expression", origin);
    if (!parsed.ok || !parsed.node) diagnostics.push(...parsed.diagnostics);
    else {
      const w = firstFit((env) => checkCondition(parsed.node!, { ...env, place: "a `where` filter" }, "row", "`--where`").e);
      if (w) out.where = w;
    }
  }
  return { query: out, diagnostics };
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
