import type { AggExpr, DiagnosticCode, Expr, Origin, TimeUnit, ValueType } from "@yardstick/model";
import { MS_PER_DAY } from "../time/civil.js";
import { localDays, parsePeriod } from "../time/period.js";
import { intersectionSize, type AggOut } from "./aggregate.js";
import type { DimMeta, RawValue } from "./grouping.js";
import { literalValue } from "./literal.js";
import { BETWEEN_UNITS, SCALARS } from "./scalar.js";
import { AGG_REASONS, REASONS, kindOfType, type V } from "./values.js";

/** A compiled aggregate-level expression: a closure over the group index. */
export type GroupFn = (g: number) => V;
export interface GroupCompiled { fn: GroupFn; kind: "num" | "str"; vtype: ValueType; unit: TimeUnit | null; constant?: V }

/** A per-group view of another KPI (or of a field of one) mapped onto the current groups. */
export interface GroupView { value: Float64Array; reason: (g: number) => string }

/** What aggregate-level expressions read: the groups, their aggregates, other KPIs, neighbouring periods. */
export interface GroupEnv {
  kpi: string;
  zone: string;
  asOfMs: number;
  /** The first reason a null came from while evaluating one group (reset per group by the caller). */
  reason: { text: string | null };
  dimOf(e: Expr): number;
  dimByName(name: string): number;
  dim(j: number): { values: RawValue[]; meta: DimMeta | null };
  agg(e: AggExpr): AggOut | null;
  uniform(e: Expr): AggOut | null;
  ref(name: string): GroupView | null;
  field(kpi: string, field: "value" | "target" | "n"): GroupView | null;
  /** The group of the period before each group (-1 if absent), or null when the grouping has no time bucket. */
  shift(step: TimeUnit | null): { index: Int32Array; label: (g: number) => string } | null;
  periodDays(): Float64Array | null;
  report(code: DiagnosticCode, args: Record<string, string | number>, origin: Origin): void;
}

const NULL_NUM: GroupCompiled = { fn: () => NaN, kind: "num", vtype: "null", unit: null, constant: NaN };
const isNull = (v: V) => v === null || v !== v;

/** Compiles an aggregate-level expression into a closure tree evaluated once per group. */
export function compileGroup(e: Expr, env: GroupEnv): GroupCompiled {
  const setReason = (text: string) => { if (env.reason.text === null) env.reason.text = text; };
  const numOf = (c: GroupCompiled): GroupFn => (c.kind === "num" ? c.fn : (g) => { const v = c.fn(g); return v === null ? NaN : Number(v); });
  const strOf = (c: GroupCompiled): GroupFn => (c.kind === "str" ? c.fn : (g) => { const v = c.fn(g); return isNull(v) ? null : String(v); });
  const num = (fn: GroupFn, vtype: ValueType = "number", unit: TimeUnit | null = null): GroupCompiled => ({ fn, kind: "num", vtype, unit });
  const rec = (x: Expr) => compileGroup(x, env);

  const fromOut = (out: AggOut | null, nullReason?: string): GroupCompiled => {
    if (!out) return { ...NULL_NUM, fn: () => { setReason(REASONS.noRows); return NaN; } };
    const why = (g: number) => nullReason ?? (AGG_REASONS[out.reason?.[g] ?? 1] || REASONS.noRows);
    if (out.kind === "num") {
      const a = out.num!;
      return num((g) => { const v = a[g]!; if (v !== v) setReason(why(g)); return v; });
    }
    const a = out.str!;
    return { fn: (g) => { const v = a[g]!; if (v === null) setReason(why(g)); return v; }, kind: "str", vtype: "string", unit: null };
  };

  const rowLeaf = (x: Expr): GroupCompiled => {
    const j = env.dimOf(x);
    if (j >= 0) return dimValue(j);
    return fromOut(env.uniform(x), `the rows of the group differ in ${describe(x)}`);
  };

  const dimValue = (j: number): GroupCompiled => {
    const { values, meta } = env.dim(j);
    const vtype = meta?.vtype ?? "string";
    if (kindOfType(vtype) === "str") return { fn: (g) => (values[g] as string | null) ?? null, kind: "str", vtype, unit: null };
    return num((g) => { const v = values[g]; return v === null || v === undefined ? NaN : typeof v === "boolean" ? (v ? 1 : 0) : (v as number); }, vtype, meta?.unit ?? null);
  };

  const operand = (x: Expr, other: ValueType): GroupCompiled => {
    if (x.op === "lit" && x.value !== null && ((x.type === "date" && other === "timestamp") || (x.type === "string" && (other === "date" || other === "timestamp")))) {
      const l = literalValue(x, env.zone, other);
      return { ...num(() => l.value as number, other), constant: l.value };
    }
    return rec(x);
  };

  switch (e.op) {
    case "lit": {
      const l = literalValue(e, env.zone);
      if (!l.ok) { env.report("invalid-literal", { text: String(e.value), kind: e.type, hint: "" }, e.origin); return NULL_NUM; }
      const v = l.value;
      return { fn: () => v, kind: l.kind, vtype: l.vtype, unit: l.unit, constant: v };
    }
    case "col": case "lookup": case "bucket": return rowLeaf(e);
    case "agg": {
      if (e.source) return rowLeaf(e);
      if (e.fn === "retention") return retention(e, env, setReason);
      return fromOut(env.agg(e));
    }
    case "kpi": {
      const r = env.ref(e.name);
      if (!r) return { ...NULL_NUM, fn: () => { setReason(`KPI "${e.name}" cannot be computed`); return NaN; } };
      return num((g) => { const v = r.value[g]!; if (v !== v) setReason(r.reason(g)); return v; });
    }
    case "field": {
      const r = env.field(e.kpi, e.field);
      if (!r) return { ...NULL_NUM, fn: () => { setReason(`no ${e.field} of KPI "${e.kpi}"`); return NaN; } };
      return num((g) => { const v = r.value[g]!; if (v !== v) setReason(r.reason(g)); return v; });
    }
    case "group_key": {
      const j = env.dimByName(e.name);
      return j >= 0 ? dimValue(j) : NULL_NUM;
    }
    case "previous": case "change": case "pct_change": {
      const sh = env.shift(e.period);
      if (!sh) {
        env.report("needs-time-grouping", { what: `${e.op}()`, kpi: env.kpi }, e.origin);
        return { ...NULL_NUM, fn: () => { setReason(`${e.op}() needs a time bucket in the grouping`); return NaN; } };
      }
      const a = numOf(rec(e.arg));
      const prev = (g: number) => {
        const j = sh.index[g]!;
        if (j < 0) { setReason(`no value for the previous period (${sh.label(g)})`); return NaN; }
        return a(j) as number;
      };
      if (e.op === "previous") return num(prev);
      if (e.op === "change") return num((g) => (a(g) as number) - prev(g));
      return num((g) => {
        const p = prev(g);
        if (p === 0) { setReason(REASONS.divisionByZero); return NaN; }
        return ((a(g) as number) - p) / Math.abs(p);
      });
    }
    case "neg": { const a = numOf(rec(e.arg)); return num((g) => -(a(g) as number)); }
    case "not": { const a = numOf(rec(e.arg)); return num((g) => 1 - (a(g) as number), "bool"); }
    case "binary": {
      const op = e.operator;
      if (op === "and" || op === "or") {
        const a = numOf(rec(e.left)), b = numOf(rec(e.right));
        return num(op === "and" ? (g) => and3(a(g) as number, () => b(g) as number) : (g) => or3(a(g) as number, () => b(g) as number), "bool");
      }
      if (op === "+" || op === "-" || op === "*" || op === "/" || op === "%") {
        const a = numOf(rec(e.left)), b = numOf(rec(e.right));
        switch (op) {
          case "+": return num((g) => (a(g) as number) + (b(g) as number), e.type);
          case "-": return num((g) => (a(g) as number) - (b(g) as number), e.type);
          case "*": return num((g) => (a(g) as number) * (b(g) as number), e.type);
          default: return num((g) => {
            const y = b(g) as number, x = a(g) as number;
            if (y === 0) { if (x === x) setReason(REASONS.divisionByZero); return NaN; }
            return op === "/" ? x / y : x % y;
          }, e.type);
        }
      }
      return compare(op, operand(e.left, e.right.type), operand(e.right, e.left.type));
    }
    case "in": {
      const a = rec(e.arg);
      const vals = e.values.map((v) => operand(v, e.arg.type));
      const eqs = vals.map((v) => compare("=", a, v).fn);
      return num((g) => {
        let acc = 0;
        for (const eq of eqs) { const r = eq(g) as number; if (r === 1) { acc = 1; break; } if (r !== r) acc = NaN; }
        return e.negated ? 1 - acc : acc;
      }, "bool");
    }
    case "between": {
      const a = rec(e.arg);
      const lo = compare(">=", a, operand(e.low, e.arg.type)).fn, hi = compare("<=", a, operand(e.high, e.arg.type)).fn;
      return num((g) => { const r = and3(lo(g) as number, () => hi(g) as number); return e.negated ? 1 - r : r; }, "bool");
    }
    case "is_null": {
      const a = rec(e.arg).fn;
      return num((g) => (isNull(a(g)) !== e.negated ? 1 : 0), "bool");
    }
    case "case": {
      const kind = kindOfType(e.type);
      const conv = (c: GroupCompiled) => (kind === "num" ? numOf(c) : strOf(c));
      const whens = e.whens.map((w) => ({ when: numOf(rec(w.when)), then: conv(rec(w.then)) }));
      const other = e.else ? conv(rec(e.else)) : null;
      const none = kind === "num" ? NaN : null;
      return { fn: (g) => { for (const w of whens) if (w.when(g) === 1) return w.then(g); return other ? other(g) : none; }, kind, vtype: e.type, unit: null };
    }
    case "call": return call(e.fn, e.args, e.type, e.origin);
  }

  function compare(op: string, a: GroupCompiled, b: GroupCompiled): GroupCompiled {
    if (a.unit && typeof b.constant === "string") b = periodConst(b, a.unit);
    if (b.unit && typeof a.constant === "string") a = periodConst(a, b.unit);
    const useStr = a.kind === "str" || b.kind === "str";
    const fa = useStr ? strOf(a) : a.fn, fb = useStr ? strOf(b) : b.fn;
    const test = CMP[op]!;
    return num((g) => {
      const x = fa(g), y = fb(g);
      if (isNull(x) || isNull(y)) return NaN;
      return test(x as number | string, y as number | string) ? 1 : 0;
    }, "bool");
  }

  function periodConst(c: GroupCompiled, unit: TimeUnit): GroupCompiled {
    const p = parsePeriod(String(c.constant));
    const v = p && p.unit === unit ? p.index : NaN;
    return { ...num(() => v, "period", unit), constant: v };
  }

  function call(fn: string, args: Expr[], type: ValueType, origin: Origin): GroupCompiled {
    const between = BETWEEN_UNITS[fn];
    if (between !== undefined) {
      const a = numOf(rec(args[0]!)), b = numOf(rec(args[1]!));
      return num((g) => ((b(g) as number) - (a(g) as number)) / between);
    }
    switch (fn) {
      case "period_days": {
        const days = env.periodDays();
        if (!days) {
          env.report("needs-time-grouping", { what: "period_days()", kpi: env.kpi }, origin);
          return { ...NULL_NUM, fn: () => { setReason("period_days() needs a time bucket in the grouping"); return NaN; } };
        }
        return num((g) => days[g]!, "int");
      }
      case "now": return num(() => env.asOfMs, "timestamp");
      case "today": { const d = localDays(env.asOfMs, env.zone) * MS_PER_DAY; return num(() => d, "date"); }
      case "date": {
        const a = rec(args[0]!);
        if (a.vtype === "date") return a;
        const f = numOf(a);
        return num((g) => { const v = f(g) as number; return v === v ? localDays(v, env.zone) * MS_PER_DAY : NaN; }, "date");
      }
      case "if": {
        const kind = kindOfType(type);
        const c = numOf(rec(args[0]!));
        const conv = (x: GroupCompiled) => (kind === "num" ? numOf(x) : strOf(x));
        const a = conv(rec(args[1]!)), b = conv(rec(args[2]!));
        return { fn: (g) => (c(g) === 1 ? a(g) : b(g)), kind, vtype: type, unit: null };
      }
    }
    const spec = SCALARS[fn];
    if (!spec) {
      env.report("unknown-function", { name: fn }, origin);
      return NULL_NUM;
    }
    const kind = spec.kind === "arg" ? kindOfType(type) : spec.kind;
    const fs = args.map((a) => rec(a).fn);
    const impl = spec.impl;
    const out: GroupFn = (g) => impl(...fs.map((f) => f(g)));
    return { fn: kind === "num" ? (g) => { const v = out(g); return v === null ? NaN : (v as number); } : out, kind, vtype: type, unit: null };
  }
}

const CMP: Record<string, (a: number | string, b: number | string) => boolean> = {
  "=": (a, b) => a === b, "!=": (a, b) => a !== b, "<": (a, b) => a < b, "<=": (a, b) => a <= b, ">": (a, b) => a > b, ">=": (a, b) => a >= b,
};

function and3(a: number, b: () => number): number {
  if (a === 0) return 0;
  const y = b();
  if (y === 0) return 0;
  return a === 1 && y === 1 ? 1 : NaN;
}

function or3(a: number, b: () => number): number {
  if (a === 1) return 1;
  const y = b();
  if (y === 1) return 1;
  return a === 0 && y === 0 ? 0 : NaN;
}

function describe(e: Expr): string {
  if (e.op === "col") return `"${e.name}"`;
  if (e.op === "lookup" && e.arg.op === "col") return `"${e.relation}.${e.arg.name}"`;
  return "a value";
}

/** retention(x): of the entities active in the previous period, the share active again in this one. */
function retention(e: AggExpr, env: GroupEnv, setReason: (t: string) => void): GroupCompiled {
  const sh = env.shift(null);
  if (!sh) {
    env.report("needs-time-grouping", { what: "retention()", kpi: env.kpi }, e.origin);
    return { ...NULL_NUM, fn: () => { setReason("retention() needs a time bucket in the grouping"); return NaN; } };
  }
  const out = env.agg(e);
  const sets = out?.sets;
  return {
    fn: (g) => {
      if (!sets) { setReason(REASONS.noRows); return NaN; }
      const j = sh.index[g]!;
      if (j < 0) { setReason(`no previous period (${sh.label(g)}) to retain from`); return NaN; }
      const before = sets[j]!, now = sets[g]!;
      if (before.length === 0) { setReason(REASONS.divisionByZero); return NaN; }
      return intersectionSize(before, now) / before.length;
    },
    kind: "num", vtype: "number", unit: null,
  };
}
