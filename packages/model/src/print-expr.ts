import type { AggExpr, Expr, Literal, ValueType } from "./model.js";

/**
 * Model expressions printed back as spec text (`100 * (share(recommend >= 9) - share(recommend <= 6))`),
 * with the fewest parentheses the language's precedence allows: for explain, the semantic diff and
 * messages. The text is what a reader would write; it is not guaranteed to re-parse byte for byte.
 */

/** Whose `value`, `target` and `n` print bare: a KPI's own (status arms), or a rule's single KPI. */
export interface TextContext {
  /** The KPI bare `target` / `n` belong to. */
  self: string | null;
  /** In a KPI's status arms, its own value is `value`; in a rule it is the KPI's name. */
  bareValue: boolean;
}

const NONE: TextContext = { self: null, bareValue: false };

/** The language's reserved words: a name spelled like one is written in backticks (checked against the token module in the language package's tests). */
export const RESERVED_WORDS: readonly string[] =
  "and or not in is null true false case when then else end between where per over last by from dataset kpi rule test import let given expect".split(" ");
const RESERVED = new Set(RESERVED_WORDS);

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

/** An expression as spec text, with the fewest parentheses precedence allows. */
export function printExpr(e: Expr | null | undefined, ctx: TextContext = NONE): string {
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
    case "lit": return printLiteral(e.value, e.type);
    case "col": return printName(e.name);
    case "lookup": return `${printName(e.relation)}.${p(e.arg, POSTFIX)}`;
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
    case "kpi": return printName(e.name);
    case "previous": case "change": case "pct_change": return `${e.op}(${p(e.arg, 0)}${e.period ? `, ${e.period}` : ""})`;
    case "field":
      if (e.field === "value") return ctx.bareValue && e.kpi === ctx.self ? "value" : printName(e.kpi);
      return e.kpi === ctx.self ? e.field : `${e.field}(${printName(e.kpi)})`;
    case "group_key": return printName(e.name);
  }
}

function aggregate(e: AggExpr, ctx: TextContext): string {
  let inner: string;
  if (e.source) {
    // Inside a related-row aggregate, names are the related dataset's columns: `sum(orders.amount)`.
    const ds = printName(e.source.dataset);
    inner = e.arg === null ? ds : e.arg.op === "col" ? `${ds}.${printName(e.arg.name)}` : print(e.arg, 0, ctx);
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

export function printLiteral(v: Literal, type?: ValueType): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return String(v);
  if (type === undefined || type === "string") return quoteString(v);
  // Dates, timestamps and periods are written bare.
  return v;
}

/** A string literal with canonical escapes: `\"`, `\\`, `\n`, `\t`, `\r`, `\u{…}` for other controls. */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"': out += '\\"'; break;
      case "\\": out += "\\\\"; break;
      case "\n": out += "\\n"; break;
      case "\t": out += "\\t"; break;
      case "\r": out += "\\r"; break;
      default: {
        const cp = ch.codePointAt(0)!;
        const invisible = cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x2028 || cp === 0x2029 || (cp >= 0xd800 && cp <= 0xdfff);
        out += invisible ? `\\u{${cp.toString(16)}}` : ch;
      }
    }
  }
  return out + '"';
}

