import type { Expr, TimeUnit } from "@yardstick/model";
import { SCALARS } from "../eval/scalar.js";

/**
 * Evaluates rule conditions and message placeholders for one group at one period. These are
 * "KPI value" level expressions: KPI references, `target`/`n` fields, previous / change /
 * pct_change, group keys, constants, arithmetic, comparisons, and/or/not, case, scalar functions.
 * Null semantics as SQL: arithmetic and comparisons with null are null, `and`/`or` are three-valued,
 * division by zero is null.
 */

export type RuleValue = number | string | boolean | null;

export interface SeriesAccess {
  /** The value of a KPI at a period of the current group (null: no value). */
  value(kpi: string, period: number): number | null;
  field(kpi: string, field: "value" | "target" | "n", period: number): number | null;
  /** A group key (dimension) by name at a period: the group's value or the period label. */
  groupKey(name: string, period: number): RuleValue;
  /** The period `previous(x, step)` compares with; null when there is none (no time axis). */
  shift(period: number, step: TimeUnit | null): number | null;
}

const isNum = (v: RuleValue): v is number => typeof v === "number";
const clean = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function evalRuleExpr(e: Expr, period: number, s: SeriesAccess): RuleValue {
  const rec = (x: Expr, p = period) => evalRuleExpr(x, p, s);
  switch (e.op) {
    case "lit":
      return e.value;
    case "kpi":
      return s.value(e.name, period);
    case "field":
      return s.field(e.kpi, e.field, period);
    case "group_key":
      return s.groupKey(e.name, period);
    case "previous": case "change": case "pct_change": {
      const q = s.shift(period, e.period);
      const prev = q === null ? null : rec(e.arg, q);
      if (e.op === "previous") return isNum(prev) ? prev : null;
      const cur = rec(e.arg);
      if (!isNum(prev) || !isNum(cur)) return null;
      if (e.op === "change") return clean(cur - prev);
      return prev === 0 ? null : clean((cur - prev) / Math.abs(prev));
    }
    case "neg": {
      const a = rec(e.arg);
      return isNum(a) ? -a : null;
    }
    case "not": {
      const a = truth(rec(e.arg));
      return a === null ? null : !a;
    }
    case "binary": {
      const op = e.operator;
      if (op === "and") {
        const a = truth(rec(e.left));
        if (a === false) return false;
        const b = truth(rec(e.right));
        if (b === false) return false;
        return a === true && b === true ? true : null;
      }
      if (op === "or") {
        const a = truth(rec(e.left));
        if (a === true) return true;
        const b = truth(rec(e.right));
        if (b === true) return true;
        return a === false && b === false ? false : null;
      }
      const a = rec(e.left), b = rec(e.right);
      if (a === null || b === null) return null;
      switch (op) {
        case "+": case "-": case "*": case "/": case "%": {
          if (!isNum(a) || !isNum(b)) return null;
          if ((op === "/" || op === "%") && b === 0) return null;
          return clean(op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : op === "/" ? a / b : a % b);
        }
        default:
          return compare(op, a, b);
      }
    }
    case "in": {
      const a = rec(e.arg);
      if (a === null) return null;
      let acc: boolean | null = false;
      for (const v of e.values) {
        const r = compare("=", a, rec(v));
        if (r === true) { acc = true; break; }
        if (r === null) acc = null;
      }
      return acc === null ? null : acc !== e.negated;
    }
    case "between": {
      const a = rec(e.arg), lo = rec(e.low), hi = rec(e.high);
      const x = a === null || lo === null ? null : compare(">=", a, lo);
      const y = a === null || hi === null ? null : compare("<=", a, hi);
      const r = x === false || y === false ? false : x === true && y === true ? true : null;
      return r === null ? null : r !== e.negated;
    }
    case "is_null":
      return (rec(e.arg) === null) !== e.negated;
    case "case": {
      for (const w of e.whens) if (truth(rec(w.when)) === true) return rec(w.then);
      return e.else ? rec(e.else) : null;
    }
    case "call":
      return call(e.fn, e.args, period, s);
    default:
      // Row-level forms (columns, aggregates, buckets) are rejected by the checker in rules.
      return null;
  }
}

function truth(v: RuleValue): boolean | null {
  if (v === null) return null;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  return null;
}

function compare(op: string, a: RuleValue, b: RuleValue): boolean | null {
  if (a === null || b === null) return null;
  const x = typeof a === "boolean" ? +a : a, y = typeof b === "boolean" ? +b : b;
  if (typeof x !== typeof y) {
    // A number against a numeric string (a group key such as a year): compare as numbers.
    const nx = Number(x), ny = Number(y);
    if (!Number.isFinite(nx) || !Number.isFinite(ny)) return op === "!=" ? true : op === "=" ? false : null;
    return compareSame(op, nx, ny);
  }
  return compareSame(op, x, y);
}

function compareSame(op: string, x: number | string, y: number | string): boolean | null {
  switch (op) {
    case "=": return x === y;
    case "!=": return x !== y;
    case "<": return x < y;
    case "<=": return x <= y;
    case ">": return x > y;
    case ">=": return x >= y;
    default: return null;
  }
}

function call(fn: string, args: Expr[], period: number, s: SeriesAccess): RuleValue {
  if (fn === "if") {
    const c = truth(evalRuleExpr(args[0]!, period, s));
    return evalRuleExpr(args[c === true ? 1 : 2]!, period, s);
  }
  const spec = SCALARS[fn];
  if (!spec) return null;
  const vals = args.map((a) => {
    const v = evalRuleExpr(a, period, s);
    return v === null ? null : typeof v === "boolean" ? (v ? 1 : 0) : v;
  });
  const r = spec.impl(...vals);
  if (r === null) return null;
  if (typeof r === "number") return Number.isFinite(r) ? r : null;
  return r;
}

/** The KPI names an expression reads (references, fields, time comparisons of KPIs). */
export function kpisOf(e: Expr, out: Set<string> = new Set()): Set<string> {
  const visit = (x: Expr): void => {
    switch (x.op) {
      case "kpi": out.add(x.name); return;
      case "field": out.add(x.kpi); return;
      case "previous": case "change": case "pct_change": case "neg": case "not": visit(x.arg); return;
      case "binary": visit(x.left); visit(x.right); return;
      case "in": visit(x.arg); x.values.forEach(visit); return;
      case "between": visit(x.arg); visit(x.low); visit(x.high); return;
      case "is_null": visit(x.arg); return;
      case "case": x.whens.forEach((w) => { visit(w.when); visit(w.then); }); if (x.else) visit(x.else); return;
      case "call": x.args.forEach(visit); return;
      default: return;
    }
  };
  visit(e);
  return out;
}
