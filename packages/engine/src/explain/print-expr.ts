import type { AggExpr, Expr, Literal, ValueType } from "@yardstick/model";

/**
 * Prints a model expression back as spec text (`100 * (share(recommend >= 9) - share(recommend <= 6))`),
 * with the fewest parentheses the language's precedence allows. `kpi` is the KPI the expression
 * belongs to: its own `value`, `target` and `n` print bare, other KPIs' as `target(other)`.
 */
export function printExpr(e: Expr, kpi: string | null = null): string {
  return print(e, 0, kpi);
}

const RESERVED = new Set(
  "and or not in is null true false case when then else end between where per over last by from dataset kpi rule test import let given expect".split(" "),
);

/** A name, in backticks when it is not a plain identifier or is a reserved word. */
export function printName(name: string): string {
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

function print(e: Expr, min: number, kpi: string | null): string {
  const text = bare(e, kpi);
  return prec(e) < min ? `(${text})` : text;
}

function bare(e: Expr, kpi: string | null): string {
  const p = (x: Expr, min: number) => print(x, min, kpi);
  switch (e.op) {
    case "lit": return literal(e.value, e.type);
    case "col": return printName(e.name);
    case "lookup": return `${printName(e.relation)}.${p(e.arg, POSTFIX)}`;
    case "call": return `${e.fn}(${e.args.map((a) => p(a, 0)).join(", ")})`;
    case "neg": return `-${p(e.arg, NEG)}`;
    case "not": return `not ${p(e.arg, NOT)}`;
    case "binary": {
      const k = prec(e);
      // Comparisons do not chain; arithmetic and logic associate to the left.
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
    case "agg": return aggregate(e, kpi);
    case "kpi": return printName(e.name);
    case "previous": case "change": case "pct_change": return `${e.op}(${p(e.arg, 0)}${e.period ? `, ${e.period}` : ""})`;
    case "field":
      if (e.kpi === kpi) return e.field;
      return e.field === "value" ? printName(e.kpi) : `${e.field}(${printName(e.kpi)})`;
    case "group_key": return printName(e.name);
  }
}

function aggregate(e: AggExpr, kpi: string | null): string {
  let inner: string;
  if (e.source) {
    // Inside a related-row aggregate, names are the related dataset's columns: `sum(orders.amount)`.
    const ds = printName(e.source.dataset);
    inner = e.arg === null ? ds : e.arg.op === "col" ? `${ds}.${printName(e.arg.name)}` : print(e.arg, 0, kpi);
    if (e.filter) inner += ` where ${print(e.filter, 0, kpi)}`;
  } else {
    inner = e.arg ? print(e.arg, 0, kpi) : "";
    if (e.per && e.per.length > 0) inner += ` per ${e.per.map((d) => d.name).join(", ")}`;
    if (e.fn === "percentile" && e.p !== undefined) inner += `, ${e.p}`;
    if (e.filter) inner += `${inner ? " " : ""}where ${print(e.filter, 0, kpi)}`;
  }
  let text = `${e.fn}(${inner})`;
  if (e.window) text += ` over last ${e.window.count} ${e.window.unit}${e.window.count === 1 ? "" : "s"}`;
  return text;
}

function literal(v: Literal, type: ValueType): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return String(v);
  if (type === "string") return quote(v);
  // Dates, timestamps and periods are written bare.
  return v;
}

function quote(s: string): string {
  return `"${s.replace(/[\\"\n\t\r]/g, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : `\\${c}`))}"`;
}
