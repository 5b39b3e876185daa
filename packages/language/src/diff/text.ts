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

/**
 * Model nodes printed back as spec text, for the semantic diff: `resolved_at is not null and
 * channel != "portal"`, `>= 0.7 when channel = "phone" else >= 0.6`, `contacts: int in 1..`.
 * The text is what a reader would write; it is not guaranteed to re-parse byte for byte.
 */

/** Whose `value`, `target` and `n` print bare: a KPI's own (status arms), or a rule's single KPI. */
export interface TextContext {
  /** The KPI bare `target` / `n` belong to. */
  self: string | null;
  /** In a KPI's status arms, its own value is `value`; in a rule it is the KPI's name. */
  bareValue: boolean;
}

const NONE: TextContext = { self: null, bareValue: false };

const RESERVED = new Set(
  "and or not in is null true false case when then else end between where per over last by from dataset kpi rule test import let given expect".split(" "),
);

/** A name, in backticks when it is not a plain identifier or is a reserved word. */
export function nameText(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `\`${name}\``;
}

// Binding strength, loosest first (docs/language.md, "Precedence").
const OR = 1, AND = 2, NOT = 3, CMP = 4, ADD = 5, MUL = 6, NEG = 7, POSTFIX = 8, ATOM = 9;

function prec(e: Expr): number {
  switch (e.op) {
    case "binary":
      switch (e.operator) {
        case "or": return OR;
        case "and": return AND;
        case "+": case "-": return ADD;
        case "*": case "/": case "%": return MUL;
        default: return CMP;
      }
    case "not": return NOT;
    case "in": case "between": case "is_null": return CMP;
    case "neg": return NEG;
    case "lookup": return POSTFIX;
    case "agg": return e.window ? POSTFIX : ATOM;
    case "lit": return typeof e.value === "number" && e.value < 0 ? NEG : ATOM;
    default: return ATOM;
  }
}

/** An expression as spec text, with the fewest parentheses precedence allows. */
export function exprText(e: Expr | null | undefined, ctx: TextContext = NONE): string {
  if (!e) return "";
  return print(e, 0, ctx);
}

function print(e: Expr, min: number, ctx: TextContext): string {
  const text = bare(e, ctx);
  return prec(e) < min ? `(${text})` : text;
}

function bare(e: Expr, ctx: TextContext): string {
  const p = (x: Expr, min: number) => print(x, min, ctx);
  switch (e.op) {
    case "lit": return literalText(e.value, e.type);
    case "col": return nameText(e.name);
    case "lookup": return `${nameText(e.relation)}.${p(e.arg, POSTFIX)}`;
    case "call": return `${e.fn}(${e.args.map((a) => p(a, 0)).join(", ")})`;
    case "neg": return `-${p(e.arg, NEG)}`;
    case "not": return `not ${p(e.arg, NOT)}`;
    case "binary": {
      const k = prec(e);
      const left = p(e.left, k === CMP ? CMP + 1 : k), right = p(e.right, k + 1);
      return `${left} ${e.operator} ${right}`;
    }
    case "in": return `${p(e.arg, CMP + 1)} ${e.negated ? "not in" : "in"} (${e.values.map((v) => p(v, 0)).join(", ")})`;
    case "between": return `${p(e.arg, CMP + 1)} ${e.negated ? "not between" : "between"} ${p(e.low, ADD)} and ${p(e.high, ADD)}`;
    case "is_null": return `${p(e.arg, CMP + 1)} is ${e.negated ? "not null" : "null"}`;
    case "case": {
      const parts = e.whens.map((w) => `when ${p(w.when, 0)} then ${p(w.then, 0)}`);
      return `case ${parts.join(" ")}${e.else ? ` else ${p(e.else, 0)}` : ""} end`;
    }
    case "bucket": return `${e.unit}(${p(e.arg, 0)})`;
    case "agg": return aggregate(e, ctx);
    case "kpi": return nameText(e.name);
    case "previous": case "change": case "pct_change": return `${e.op}(${p(e.arg, 0)}${e.period ? `, ${e.period}` : ""})`;
    case "field":
      if (e.field === "value") return ctx.bareValue && e.kpi === ctx.self ? "value" : nameText(e.kpi);
      return e.kpi === ctx.self ? e.field : `${e.field}(${nameText(e.kpi)})`;
    case "group_key": return nameText(e.name);
  }
}

function aggregate(e: AggExpr, ctx: TextContext): string {
  let inner: string;
  if (e.source) {
    // Inside a related-row aggregate, names are the related dataset's columns: `sum(orders.amount)`.
    const ds = nameText(e.source.dataset);
    inner = e.arg === null ? ds : e.arg.op === "col" ? `${ds}.${nameText(e.arg.name)}` : print(e.arg, 0, ctx);
    if (e.filter) inner += ` where ${print(e.filter, 0, ctx)}`;
  } else {
    inner = e.arg ? print(e.arg, 0, ctx) : "";
    if (e.per && e.per.length > 0) inner += ` per ${e.per.map((d) => d.name).join(", ")}`;
    if (e.fn === "percentile" && e.p !== undefined) inner += `, ${e.p}`;
    if (e.filter) inner += `${inner ? " " : ""}where ${print(e.filter, 0, ctx)}`;
  }
  let text = `${e.fn}(${inner})`;
  if (e.window) text += ` over last ${e.window.count} ${e.window.unit}${e.window.count === 1 ? "" : "s"}`;
  return text;
}

export function literalText(v: Literal, type?: ValueType): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return String(v);
  if (type === undefined || type === "string") return quote(v);
  // Dates, timestamps and periods are written bare.
  return v;
}

export function quote(s: string): string {
  return `"${s.replace(/[\\"\n\t\r]/g, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : `\\${c}`))}"`;
}

export function dimsText(dims: readonly Dim[] | null): string {
  return dims ? dims.map((d) => d.name).join(", ") : "";
}

export function targetText(kpi: Pick<Kpi, "name" | "target">): string {
  const ctx: TextContext = { self: kpi.name, bareValue: true };
  return kpi.target.map((a: TargetArm) => `${a.comparator} ${exprText(a.value, ctx)}${a.when ? ` when ${exprText(a.when, ctx)}` : ""}`).join(" else ");
}

export function statusText(kpi: Pick<Kpi, "name" | "status">): string {
  const ctx: TextContext = { self: kpi.name, bareValue: true };
  return kpi.status.map((a: StatusArm) => `${a.label} ${a.when ? `when ${exprText(a.when, ctx)}` : "otherwise"}`).join("; ");
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
  if (c.derived) return `let ${nameText(c.name)}: ${c.type} = ${exprText(c.derived)}`;
  const parts = [`${nameText(c.name)}: ${c.type}${c.nullable ? "?" : ""}`];
  if (c.key) parts.push("key");
  if (c.time) parts.push("time");
  if (c.allowed) parts.push(allowedText(c.allowed, c.type));
  if (c.unit) parts.push(`unit ${c.unit}`);
  if (c.perspective) parts.push(`@${c.perspective}`);
  return parts.join(" ");
}

export function allowedText(a: NonNullable<Column["allowed"]>, type?: ValueType): string {
  if (a.kind === "set") return `in (${a.values.map((v) => literalText(v, type)).join(", ")})`;
  const b = (v: Literal) => (v === null ? "" : literalText(v, type));
  return `in ${b(a.min)}..${b(a.max)}`;
}

export function relationText(r: Relation): string {
  return `${nameText(r.column)} -> ${nameText(r.dataset)} as ${nameText(r.name)}`;
}

export function ruleWhenText(r: Rule): string {
  const ctx = ruleContext(r);
  return `${exprText(r.when, ctx)}${r.for > 1 ? ` for ${r.for} periods` : ""}`;
}

export function ruleContext(r: Pick<Rule, "kpis">): TextContext {
  return { self: r.kpis.length === 1 ? r.kpis[0]! : null, bareValue: false };
}

export function messageText(parts: readonly TemplatePart[] | null): string {
  if (!parts) return "";
  // Literal parts keep their text; placeholder parts carry their `{...}` source.
  return quote(parts.map((p) => (p.expr ? p.text : p.text.replace(/[{}]/g, (c) => c + c))).join(""));
}

function toleranceText(t: Tolerance | undefined): string {
  if (!t) return "";
  if (t.kind === "relative" && t.amount === 1e-9) return "";
  return t.kind === "absolute" ? ` ± ${t.amount}` : ` ± ${+(t.amount * 100).toPrecision(12)}%`;
}

const bareKey = (v: string) => (/^(\d{4}(-(\d{2}|Q\d|W\d{2})(-\d{2})?)?|-?\d+(\.\d+)?|true|false)$/.test(v) ? v : quote(v));

function groupKeyText(g: Record<string, string>): string {
  const vals = Object.values(g).map(bareKey);
  return vals.length === 1 ? vals[0]! : `(${vals.join(", ")})`;
}

/** One expectation as written: `expect fcr by channel = { "phone": 0.75 }`, `expect no alert nps_falling`. */
export function expectationText(x: Expectation): string {
  if (x.kind === "alert") {
    return `expect ${x.negated ? "no " : ""}alert ${nameText(x.rule)}${x.firing ? " firing" : ""}${x.from ? ` from ${x.from}` : ""}${x.to ? ` to ${x.to}` : ""}`;
  }
  const head = `expect ${x.kind === "status" ? "status of " : ""}${nameText(x.kpi)}${x.by.length ? ` by ${dimsText(x.by)}` : ""}${x.where ? ` where ${exprText(x.where)}` : ""}`;
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
