import type {
  AggExpr,
  Column,
  Dim,
  Expectation,
  Expr,
  Format,
  Kpi,
  Literal,
  Relation,
  Rule,
  StatusArm,
  TargetArm,
  TemplatePart,
  Tolerance,
  ValueType,
} from "@yardstick/model";
import { printExpr, printLiteral, printName, quoteString, type TextContext } from "@yardstick/model";

export type { TextContext };

/**
 * Model nodes printed back as spec text, for the semantic diff: `resolved_at is not null and
 * channel != "portal"`, `>= 0.7 when channel = "phone" else >= 0.6`, `contacts: int in 1..`.
 * The text is what a reader would write; it is not guaranteed to re-parse byte for byte.
 */

export function dimsText(dims: readonly Dim[] | null): string {
  return dims ? dims.map((d) => d.name).join(", ") : "";
}

export function targetText(kpi: Pick<Kpi, "name" | "target">): string {
  const ctx: TextContext = { self: kpi.name, bareValue: true };
  return kpi.target.map((a: TargetArm) => `${a.comparator} ${printExpr(a.value, ctx)}${a.when ? ` when ${printExpr(a.when, ctx)}` : ""}`).join(" else ");
}

export function statusText(kpi: Pick<Kpi, "name" | "status">): string {
  const ctx: TextContext = { self: kpi.name, bareValue: true };
  return kpi.status.map((a: StatusArm) => `${a.label} ${a.when ? `when ${printExpr(a.when, ctx)}` : "otherwise"}`).join("; ");
}

export function formatText(f: Format | null): string {
  if (!f) return "";
  return `${f.kind}${f.decimals !== null ? ` decimals ${f.decimals}` : ""}`;
}

export function directionText(d: "higher" | "lower"): string {
  return `${d} is better`;
}

/** A column as declared: `contacts: int in 1..`, `let resolution_hours = hours_between(opened_at, resolved_at)`. */
export function columnText(c: Column): string {
  if (c.derived) return `let ${printName(c.name)}: ${c.type} = ${printExpr(c.derived)}`;
  const parts = [`${printName(c.name)}: ${c.type}${c.nullable ? "?" : ""}`];
  if (c.key) parts.push("key");
  if (c.time) parts.push("time");
  if (c.allowed) parts.push(allowedText(c.allowed, c.type));
  if (c.unit) parts.push(`unit ${c.unit}`);
  if (c.perspective) parts.push(`@${c.perspective}`);
  return parts.join(" ");
}

export function allowedText(a: NonNullable<Column["allowed"]>, type?: ValueType): string {
  if (a.kind === "set") return `in (${a.values.map((v) => printLiteral(v, type)).join(", ")})`;
  const b = (v: Literal) => (v === null ? "" : printLiteral(v, type));
  return `in ${b(a.min)}..${b(a.max)}`;
}

export function relationText(r: Relation): string {
  return `${printName(r.column)} -> ${printName(r.dataset)} as ${printName(r.name)}`;
}

export function ruleWhenText(r: Rule): string {
  const ctx = ruleContext(r);
  return `${printExpr(r.when, ctx)}${r.for > 1 ? ` for ${r.for} periods` : ""}`;
}

export function ruleContext(r: Pick<Rule, "kpis">): TextContext {
  return { self: r.kpis.length === 1 ? r.kpis[0]! : null, bareValue: false };
}

export function messageText(parts: readonly TemplatePart[] | null): string {
  if (!parts) return "";
  // Literal parts keep their text; placeholder parts carry their `{...}` source.
  return quoteString(parts.map((p) => (p.expr ? p.text : p.text.replace(/[{}]/g, (c) => c + c))).join(""));
}

function toleranceText(t: Tolerance | undefined): string {
  if (!t) return "";
  if (t.kind === "relative" && t.amount === 1e-9) return "";
  return t.kind === "absolute" ? ` ± ${t.amount}` : ` ± ${+(t.amount * 100).toPrecision(12)}%`;
}

const bareKey = (v: string) => (/^(\d{4}(-(\d{2}|Q\d|W\d{2})(-\d{2})?)?|-?\d+(\.\d+)?|true|false)$/.test(v) ? v : quoteString(v));

function groupKeyText(g: Record<string, string>): string {
  const vals = Object.values(g).map(bareKey);
  return vals.length === 1 ? vals[0]! : `(${vals.join(", ")})`;
}

/** One expectation as written: `expect fcr by channel = { "phone": 0.75 }`, `expect no alert nps_falling`. */
export function expectationText(x: Expectation): string {
  if (x.kind === "alert") {
    return `expect ${x.negated ? "no " : ""}alert ${printName(x.rule)}${x.firing ? " firing" : ""}${x.from ? ` from ${x.from}` : ""}${x.to ? ` to ${x.to}` : ""}`;
  }
  const head = `expect ${x.kind === "status" ? "status of " : ""}${printName(x.kpi)}${x.by.length ? ` by ${dimsText(x.by)}` : ""}${x.where ? ` where ${printExpr(x.where)}` : ""}`;
  if (x.kind === "value") {
    if (x.groups) {
      const entries = x.groups.map((g) => `${groupKeyText(g.group)}: ${g.value === null ? "null" : g.value}${toleranceText(g.tolerance)}`);
      return `${head} = { ${entries.join(", ")} }${toleranceText(x.tolerance)}`;
    }
    return `${head} = ${x.expected === null ? "null" : x.expected}${toleranceText(x.tolerance)}`;
  }
  if (x.groups) return `${head} = { ${x.groups.map((g) => `${groupKeyText(g.group)}: ${g.value}`).join(", ")} }`;
  return `${head} = ${x.expected ?? "null"}`;
}
