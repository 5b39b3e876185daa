import type { Expr, TimeUnit, ValueType } from "@yardstick/model";
import { MS_PER_DAY } from "../time/civil.js";
import { localDays, parsePeriod, periodDays, periodLabel } from "../time/period.js";
import { literalValue } from "../eval/literal.js";
import { BETWEEN_UNITS, SCALARS } from "../eval/scalar.js";
import { aggregateNode } from "./aggregate-node.js";
import { INT, PERCENT, PLAIN, sameDisp, type Disp } from "./display.js";
import { dimIndexOf, previousGroup, timeDim, type Group, type Raw } from "./frame.js";
import { DIV_ZERO, gv, kpiDisp, NO_ROWS, type GV, type Scope } from "./nodes.js";
import { and3, isNull, or3, toNumV, toStrV, type V } from "./rows.js";
import type { ExplainNode } from "./types.js";

const firstReason = (...xs: GV[]): string | null => xs.find((x) => x.reason)?.reason ?? null;
const numOf = (x: GV): number => (x.kind === "num" ? (x.v as number) : toNumV(x.v));
const strOf = (x: GV): string | null => (x.kind === "str" ? (x.v as string | null) : toStrV(x.v));

/**
 * Evaluates an aggregate-level expression (a KPI value, a target, a status condition) for one
 * group, interpreting the expression tree with the evaluator's semantics (eval/group-expr.ts),
 * and explains every step.
 */
export function evalGroup(e: Expr, s: Scope, g: Group): GV {
  const f = s.frame;
  const rec = (x: Expr) => evalGroup(x, s, g);
  switch (e.op) {
    case "lit": {
      const l = literalValue(e, f.zone);
      const v = l.ok ? l.value : NaN;
      return { ...gv("literal", e, s, v, l.ok ? l.vtype : "null", l.unit, PLAIN, null), constant: v };
    }
    case "col": case "lookup": case "bucket": return rowLeaf(e, s, g);
    case "agg": return e.source ? rowLeaf(e, s, g) : aggregateNode(e, s, g);
    case "kpi": return kpiRef(e.name, e, s, g);
    case "field": return field(e, s, g);
    case "group_key": {
      const j = f.names.indexOf(e.name);
      return j >= 0 ? dimValue(j, e, s, g) : gv("expr", e, s, NaN, "null", null, PLAIN, `no dimension "${e.name}"`);
    }
    case "previous": case "change": case "pct_change": return timeCompare(e, s, g);
    case "neg": {
      const a = rec(e.arg);
      return gv("expr", e, s, -numOf(a), "number", null, a.disp, firstReason(a), [a.node]);
    }
    case "not": {
      const a = rec(e.arg);
      return gv("expr", e, s, 1 - numOf(a), "bool", null, PLAIN, firstReason(a), [a.node]);
    }
    case "binary": return binary(e, s, g);
    case "in": {
      const a = rec(e.arg);
      const vals = e.values.map((x) => operand(x, e.arg.type, s, g));
      let acc = 0;
      for (const x of vals) { const r = compareV("=", a, x); if (r === 1) { acc = 1; break; } if (r !== r) acc = NaN; }
      return gv("expr", e, s, e.negated ? 1 - acc : acc, "bool", null, PLAIN, firstReason(a), [a.node]);
    }
    case "between": {
      const a = rec(e.arg), lo = operand(e.low, e.arg.type, s, g), hi = operand(e.high, e.arg.type, s, g);
      const r = and3(compareV(">=", a, lo), () => compareV("<=", a, hi));
      return gv("expr", e, s, e.negated ? 1 - r : r, "bool", null, PLAIN, firstReason(a, lo, hi), [a.node, lo.node, hi.node]);
    }
    case "is_null": {
      const a = rec(e.arg);
      return gv("expr", e, s, isNull(a.v) !== e.negated ? 1 : 0, "bool", null, PLAIN, null, [a.node]);
    }
    case "case": {
      const str = e.type === "string";
      const children: ExplainNode[] = [];
      for (const w of e.whens) {
        const c = rec(w.when);
        children.push(c.node);
        if (numOf(c) === 1) {
          const t = rec(w.then);
          children.push(t.node);
          return gv("expr", e, s, str ? strOf(t) : numOf(t), e.type, t.unit, t.disp, firstReason(t), children);
        }
      }
      if (!e.else) return gv("expr", e, s, str ? null : NaN, e.type, null, PLAIN, "no branch of the case applies", children);
      const x = rec(e.else);
      children.push(x.node);
      return gv("expr", e, s, str ? strOf(x) : numOf(x), e.type, x.unit, x.disp, firstReason(x), children);
    }
    case "call": return call(e.fn, e.args, e, s, g);
  }
}

/** A row-level value read at group level: a grouping dimension, or a value all rows of the group share. */
function rowLeaf(e: Expr, s: Scope, g: Group): GV {
  const f = s.frame;
  const j = dimIndexOf(e, f);
  if (j >= 0) return dimValue(j, e, s, g);
  if (!f.ds || !f.ctx) return gv("expr", e, s, NaN, e.type, null, PLAIN, NO_ROWS);
  const fn = f.ds.compile(e, f.zone);
  let state = 0;
  let value: V = fn.kind === "num" ? NaN : null;
  for (const r of g.rows) {
    const v = fn.at(r);
    if (state === 0) { state = 1; value = v; }
    else if (state === 1 && v !== value && !(typeof v === "number" && v !== v && typeof value === "number" && value !== value)) { state = 2; break; }
  }
  const v = state === 1 ? value : fn.kind === "num" ? NaN : null;
  const why = state === 2 ? `the rows of the group differ in ${describe(e)}` : NO_ROWS;
  return gv("expr", e, s, v, fn.vtype, fn.unit, PLAIN, why, [], state === 1 ? { detail: `the same in all ${g.n} rows of the group` } : {});
}

function describe(e: Expr): string {
  if (e.op === "col") return `"${e.name}"`;
  if (e.op === "lookup" && e.arg.op === "col") return `"${e.relation}.${e.arg.name}"`;
  return "a value";
}

function dimValue(j: number, e: Expr, s: Scope, g: Group): GV {
  const f = s.frame;
  const raw: Raw = g.tuple[j] ?? null;
  const vtype: ValueType = f.hasMeta[j] ? f.vtypes[j]! : "string";
  if (vtype === "string") return gv("expr", e, s, raw === null ? null : String(raw), "string", null, PLAIN, "no value", [], { role: "group key" });
  const v = raw === null ? NaN : typeof raw === "boolean" ? (raw ? 1 : 0) : (raw as number);
  return gv("expr", e, s, v, vtype, f.units[j] ?? null, PLAIN, "no value", [], { role: "group key" });
}

function kpiRef(name: string, e: Expr, s: Scope, g: Group): GV {
  const ref = s.inst?.ref(name) ?? null;
  const disp = kpiDisp(s.env.kpis.get(name));
  if (!ref || !s.inst) return gv("kpi", e, s, NaN, "number", null, disp, `KPI "${name}" cannot be computed`);
  const rg = s.inst.mapped(ref, g);
  if (!rg) return gv("kpi", e, s, NaN, "number", null, disp, `no value of "${name}" for this group`);
  const r = ref.value(rg);
  const extra: Partial<ExplainNode> = s.detail ? { explain: ref.tree(rg) } : {};
  return gv("kpi", e, s, r.v, "number", null, disp, r.v !== r.v ? `${name}: ${r.reason ?? "no value"}` : null, [], extra);
}

function field(e: Extract<Expr, { op: "field" }>, s: Scope, g: Group): GV {
  const inst = s.inst;
  const disp = e.field === "n" ? INT : kpiDisp(s.env.kpis.get(e.kpi));
  if (!inst) return gv("expr", e, s, NaN, "number", null, disp, `no ${e.field} of KPI "${e.kpi}"`);
  if (e.kpi === inst.kpi.name) {
    if (e.field === "n") return gv("expr", e, s, g.n, "int", null, disp, null);
    if (e.field === "target") { const t = inst.target(g); return gv("expr", e, s, t.t, "number", null, disp, "no target"); }
    const r = inst.value(g);
    return gv("expr", e, s, r.v, "number", null, disp, r.reason ?? "no value");
  }
  const ref = inst.ref(e.kpi);
  const rg = ref ? inst.mapped(ref, g) : null;
  if (!ref || !rg) return gv("expr", e, s, NaN, "number", null, disp, `no ${e.field} of "${e.kpi}"`);
  const v = e.field === "n" ? rg.n : e.field === "target" ? ref.target(rg).t : ref.value(rg).v;
  return gv("expr", e, s, v, "number", null, disp, `no ${e.field} of "${e.kpi}"`);
}

function timeCompare(e: Extract<Expr, { op: "previous" | "change" | "pct_change" }>, s: Scope, g: Group): GV {
  const sh = previousGroup(s.frame, g, e.period);
  const cur = evalGroup(e.arg, s, g);
  const disp = e.op === "pct_change" ? PERCENT : cur.disp;
  if (!sh) return gv("time", e, s, NaN, "number", null, disp, `${e.op}() needs a time bucket in the grouping`, [cur.node]);
  cur.node.role = `this period (${sh.current})`;
  let prev: GV;
  if (sh.group) {
    prev = evalGroup(e.arg, s, sh.group);
  } else {
    prev = gv("info", e.arg, s, NaN, "number", null, cur.disp, `no value for the previous period (${sh.label})`, [], { detail: `no group for ${sh.label}` });
  }
  prev.node.role = `previous period (${sh.label})`;
  const c = numOf(cur), p = numOf(prev);
  let v: number, reason = firstReason(cur, prev);
  if (e.op === "previous") { v = p; reason = firstReason(prev); }
  else if (e.op === "change") v = c - p;
  else if (p === 0) { v = NaN; reason = DIV_ZERO; }
  else v = (c - p) / Math.abs(p);
  return gv("time", e, s, v, "number", null, disp, reason, [cur.node, prev.node], { detail: `${sh.current} compared with ${sh.label}` });
}

/** A literal next to a timestamp or date is read as one (the evaluator's operand coercion). */
function operand(x: Expr, other: ValueType, s: Scope, g: Group): GV {
  if (x.op === "lit" && x.value !== null && ((x.type === "date" && other === "timestamp") || (x.type === "string" && (other === "date" || other === "timestamp")))) {
    const l = literalValue(x, s.frame.zone, other);
    return { ...gv("literal", x, s, l.value, other, null, PLAIN, null), constant: l.value };
  }
  return evalGroup(x, s, g);
}

const CMP: Record<string, (a: number | string, b: number | string) => boolean> = {
  "=": (a, b) => a === b, "!=": (a, b) => a !== b, "<": (a, b) => a < b, "<=": (a, b) => a <= b, ">": (a, b) => a > b, ">=": (a, b) => a >= b,
};

/** Three-valued comparison of two group values: 1, 0 or NaN. */
function compareV(op: string, a: GV, b: GV): number {
  const periodConst = (c: GV, unit: TimeUnit): GV => {
    const p = parsePeriod(String(c.constant));
    return { ...c, kind: "num", v: p && p.unit === unit ? p.index : NaN, unit };
  };
  if (a.unit && typeof b.constant === "string") b = periodConst(b, a.unit);
  if (b.unit && typeof a.constant === "string") a = periodConst(a, b.unit);
  const useStr = a.kind === "str" || b.kind === "str";
  const x = useStr ? strOf(a) : (a.v as number), y = useStr ? strOf(b) : (b.v as number);
  if (isNull(x) || isNull(y)) return NaN;
  return CMP[op]!(x as number | string, y as number | string) ? 1 : 0;
}

function binary(e: Extract<Expr, { op: "binary" }>, s: Scope, g: Group): GV {
  const op = e.operator;
  if (op === "and" || op === "or") {
    const a = evalGroup(e.left, s, g);
    let b: GV | null = null;
    const right = () => { b = evalGroup(e.right, s, g); return numOf(b); };
    const v = op === "and" ? and3(numOf(a), right) : or3(numOf(a), right);
    const children = [a.node, ...(b ? [(b as GV).node] : [])];
    return gv("expr", e, s, v, "bool", null, PLAIN, null, children);
  }
  if (op === "+" || op === "-" || op === "*" || op === "/" || op === "%") {
    const a = evalGroup(e.left, s, g), b = evalGroup(e.right, s, g);
    const x = numOf(a), y = numOf(b);
    let v: number, reason = firstReason(a, b);
    switch (op) {
      case "+": v = x + y; break;
      case "-": v = x - y; break;
      case "*": v = x * y; break;
      default:
        if (y === 0) { v = NaN; if (x === x) reason = DIV_ZERO; }
        else v = op === "/" ? x / y : x % y;
    }
    let disp: Disp = PLAIN;
    const aLit = e.left.op === "lit", bLit = e.right.op === "lit";
    if (op === "+" || op === "-") disp = aLit ? b.disp : bLit || sameDisp(a.disp, b.disp) ? a.disp : PLAIN;
    if (op === "/") { a.node.role = "numerator"; b.node.role = "denominator"; }
    return gv("expr", e, s, v, e.type, null, disp, reason, [a.node, b.node]);
  }
  const a = operand(e.left, e.right.type, s, g), b = operand(e.right, e.left.type, s, g);
  return gv("expr", e, s, compareV(op, a, b), "bool", null, PLAIN, firstReason(a, b), [a.node, b.node]);
}

function call(fn: string, args: Expr[], e: Expr, s: Scope, g: Group): GV {
  const rec = (x: Expr) => evalGroup(x, s, g);
  const f = s.frame;
  const between = BETWEEN_UNITS[fn];
  if (between !== undefined) {
    const a = rec(args[0]!), b = rec(args[1]!);
    return gv("expr", e, s, (numOf(b) - numOf(a)) / between, "number", null, PLAIN, firstReason(a, b), [a.node, b.node]);
  }
  switch (fn) {
    case "period_days": {
      const td = timeDim(f);
      if (td < 0) return gv("expr", e, s, NaN, "int", null, INT, "period_days() needs a time bucket in the grouping");
      const p = g.tuple[td];
      const unit = f.units[td]!;
      return gv("expr", e, s, typeof p === "number" ? periodDays(unit, p) : NaN, "int", null, INT, "no period", [], typeof p === "number" ? { detail: `calendar days in ${periodLabel(unit, p)}` } : {});
    }
    case "now": return gv("expr", e, s, s.env.asOfMs, "timestamp", null, PLAIN, null);
    case "today": return gv("expr", e, s, localDays(s.env.asOfMs, f.zone) * MS_PER_DAY, "date", null, PLAIN, null);
    case "date": {
      const a = rec(args[0]!);
      if (a.vtype === "date") return a;
      const v = numOf(a);
      return gv("expr", e, s, v === v ? localDays(v, f.zone) * MS_PER_DAY : NaN, "date", null, PLAIN, firstReason(a), [a.node]);
    }
    case "if": {
      const c = rec(args[0]!);
      const pick = rec(numOf(c) === 1 ? args[1]! : args[2]!);
      const str = e.type === "string";
      return gv("expr", e, s, str ? strOf(pick) : numOf(pick), e.type, pick.unit, pick.disp, firstReason(pick), [c.node, pick.node]);
    }
  }
  const spec = SCALARS[fn];
  const parts = args.map(rec);
  if (!spec) return gv("expr", e, s, NaN, "null", null, PLAIN, `unknown function "${fn}"`, parts.map((p) => p.node));
  const kind = spec.kind === "arg" ? (e.type === "string" ? "str" : "num") : spec.kind;
  let v = spec.impl(...parts.map((p) => p.v));
  if (kind === "num" && v === null) v = NaN;
  const disp = spec.kind === "arg" ? parts[0]?.disp ?? PLAIN : PLAIN;
  return gv("expr", e, s, v, e.type, null, disp, firstReason(...parts), parts.map((p) => p.node));
}

