import type { Expectation, Expr, Tolerance } from "@yardstick/model";
import { numberText, toleranceText } from "./compare.js";

const DEFAULT_RELATIVE = 1e-9;

/**
 * An expectation as `.kpi` text, rebuilt from the model (used when the source text is not at
 * hand): `expect nps by month = { 2025-01: 25 }`.
 */
export function expectationText(e: Expectation): string {
  if (e.kind === "alert") {
    let s = `expect ${e.negated ? "no " : ""}alert ${e.rule}`;
    if (e.firing) s += " firing";
    if (e.from) s += ` from ${e.from}`;
    if (e.to) s += ` to ${e.to}`;
    return s;
  }
  let s = e.kind === "status" ? `expect status of ${e.kpi}` : `expect ${e.kpi}`;
  if (e.by.length) s += ` by ${e.by.map((d) => d.name).join(", ")}`;
  if (e.where) s += ` where ${exprText(e.where)}`;
  const tol = e.kind === "value" && !(e.tolerance.kind === "relative" && e.tolerance.amount === DEFAULT_RELATIVE) ? ` ${toleranceText(e.tolerance)}` : "";
  if (e.groups) {
    const entries = (e.groups as Array<{ group: Record<string, string>; value: number | string | null; tolerance?: Tolerance }>).map((g) => {
      const keys = Object.values(g.group).map(keyText);
      const key = keys.length === 1 ? keys[0] : `(${keys.join(", ")})`;
      return `${key}: ${typeof g.value === "string" ? g.value : numberText(g.value)}${g.tolerance ? ` ${toleranceText(g.tolerance)}` : ""}`;
    });
    return `${s} = { ${entries.join(", ")} }${tol}`;
  }
  if (e.kind === "status") return `${s} = ${e.expected}`;
  return e.expected === null ? `${s} is null` : `${s} = ${numberText(e.expected)}${tol}`;
}

/** Period-like and numeric keys are written bare, other keys as strings. */
function keyText(k: string): string {
  if (/^-?\d+(\.\d+)?$/.test(k) || /^\d{4}-(\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)?|Q[1-4]|W\d{2})$/.test(k)) return k;
  if (k === "true" || k === "false" || k === "null") return k;
  return JSON.stringify(k);
}

/** Row-level conditions of expectations (`where`) as text; enough for one comparison or test. */
export function exprText(e: Expr): string {
  switch (e.op) {
    case "lit":
      if (e.value === null) return "null";
      if (typeof e.value === "string") return e.type === "string" ? JSON.stringify(e.value) : e.value;
      return String(e.value);
    case "col": return /^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name) ? e.name : `\`${e.name}\``;
    case "lookup": return `${e.relation}.${exprText(e.arg)}`;
    case "bucket": return `${e.unit}(${exprText(e.arg)})`;
    case "kpi": return e.name;
    case "field": return `${e.field}(${e.kpi})`;
    case "group_key": return e.name;
    case "neg": return `-${exprText(e.arg)}`;
    case "not": return `not ${exprText(e.arg)}`;
    case "binary": return `${exprText(e.left)} ${e.operator} ${exprText(e.right)}`;
    case "in": return `${exprText(e.arg)} ${e.negated ? "not in" : "in"} (${e.values.map(exprText).join(", ")})`;
    case "between": return `${exprText(e.arg)} ${e.negated ? "not between" : "between"} ${exprText(e.low)} and ${exprText(e.high)}`;
    case "is_null": return `${exprText(e.arg)} is ${e.negated ? "not " : ""}null`;
    case "call": return `${e.fn}(${e.args.map(exprText).join(", ")})`;
    case "previous": case "change": case "pct_change": return `${e.op}(${exprText(e.arg)}${e.period ? `, ${e.period}` : ""})`;
    default: return "…";
  }
}
