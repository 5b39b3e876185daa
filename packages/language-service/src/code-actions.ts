import type { Expr, KpiDecl } from "@yardstick/language";
import { analyze, projectOf } from "./analysis.js";
import type { CodeAction, Document, LsDiagnostic, TextEdit } from "./types.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$|^`[^`\n\r]*`$/;

/**
 * Quick fixes for the range `start..end` of a document: the "Did you mean" replacements of the
 * diagnostics that touch it, and inverting a KPI whose ratio puts a company-side measure over a
 * customer-side one. `project` gives the other documents, which the ratio's sides may read.
 */
export function codeActions(doc: Document, start: number, end: number, diagnostics: readonly LsDiagnostic[], project?: readonly Document[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.path !== doc.path || d.end < start || d.start > end) continue;
    out.push(...didYouMean(doc, d));
  }
  out.push(...invertRatios(doc, start, end, project));
  return out;
}

/** The names a diagnostic suggests: `data.suggestions`, else the names quoted in a "Did you mean" hint. */
export function suggestionsOf(d: LsDiagnostic): string[] {
  const data = d.data?.["suggestions"];
  if (Array.isArray(data) && data.length > 0) return data.filter((s): s is string => typeof s === "string");
  const hint = d.hints.find((h) => h.startsWith("Did you mean"));
  return hint ? [...hint.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [];
}

function didYouMean(doc: Document, d: LsDiagnostic): CodeAction[] {
  const written = doc.text.slice(d.start, d.end);
  if (!NAME.test(written)) return [];
  return suggestionsOf(d)
    .filter((s) => s !== written)
    .map((s) => ({
      title: `Did you mean "${s}"?`,
      fixes: d.code,
      edits: [{ start: d.start, end: d.end, newText: NAME.test(s) ? s : `\`${s}\`` }],
    }));
}

function invertRatios(doc: Document, start: number, end: number, project?: readonly Document[]): CodeAction[] {
  const a = analyze(projectOf(doc, project));
  const ast = a.ast(doc.path);
  if (!ast) return [];
  const out: CodeAction[] = [];
  for (const item of ast.items) {
    if (item.kind !== "KpiDecl" || !item.name || item.span.end < start || item.span.start > end) continue;
    if (a.program.kpis.get(item.name.name)?.ratio?.orientation !== "company-over-customer") continue;
    const edits = swapRatio(doc.text, item);
    if (edits) out.push({ title: "Invert this company-over-customer ratio", fixes: "company-over-customer", edits });
  }
  return out;
}

/** Edits that turn `value a / b` into `value b / a`, adding brackets where precedence needs them. */
export function swapRatio(text: string, kpi: KpiDecl): TextEdit[] | undefined {
  const clause = kpi.clauses.find((c) => c.kind === "ValueClause");
  if (!clause || clause.kind !== "ValueClause") return undefined;
  let e: Expr = clause.expr;
  while (e.kind === "ParenExpr") e = e.expr;
  if (e.kind !== "BinaryExpr" || e.operator !== "/") return undefined;
  const { left, right } = e;
  const leftText = text.slice(left.span.start, left.span.end);
  const rightText = text.slice(right.span.start, right.span.end);
  // The new denominator binds tighter than `/` only when it is not itself an operation.
  const asDenominator = left.kind === "BinaryExpr" ? `(${leftText})` : leftText;
  const asNumerator = right.kind === "BinaryExpr" && (right.operator === "+" || right.operator === "-") ? `(${rightText})` : rightText;
  return [
    { start: left.span.start, end: left.span.end, newText: asNumerator },
    { start: right.span.start, end: right.span.end, newText: asDenominator },
  ];
}
