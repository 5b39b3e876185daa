import type {
  AggExpr, BinaryExpr, CallExpr, DiagnosticCode, Expr, LitExpr, LookupExpr, Origin, TimeUnit, ValueType,
} from "@yardstick/model";
import { MS_PER_DAY } from "../time/civil.js";
import { bucketFunction, localDays, parsePeriod } from "../time/period.js";
import { bucketTable, columnRange, type BucketTable } from "./bucket-table.js";
import { literalValue } from "./literal.js";
import { Gen, num } from "./gen.js";
import { BETWEEN_UNITS, SCALARS, roundHalfAway } from "./scalar.js";
import { kindOfType, type V } from "./values.js";

export type RowKind = "num" | "str" | "code";

/** A column as generated code reads it (see values.ts for the representations). */
export interface ColumnRt {
  kind: RowKind;
  data: Float64Array | Uint8Array | Int32Array | Array<string | null>;
  /** Dictionary of a "code" column. */
  dict: string[] | null;
  nullable: boolean;
  vtype: ValueType;
  /** Unit of a period-valued column. */
  unit: TimeUnit | null;
}

/** A compiled row-level expression: JS expression text over the row index variable. */
export interface Compiled {
  code: string;
  kind: RowKind;
  nullable: boolean;
  vtype: ValueType;
  dict: string[] | null;
  unit: TimeUnit | null;
  /** The value, when the expression is a constant (in the V representation). */
  constant?: V;
}

/** What row compilation needs from the dataset it runs on. */
export interface RowEnv {
  zone: string;
  asOfMs: number;
  column(name: string, origin: Origin): ColumnRt | null;
  lookup(e: LookupExpr): ColumnRt | null;
  related(e: AggExpr): ColumnRt | null;
  report(code: DiagnosticCode, args: Record<string, string | number>, origin: Origin): void;
}

const NULL_NUM: Compiled = { code: "NaN", kind: "num", nullable: true, vtype: "null", dict: null, unit: null, constant: NaN };
const JS_CMP: Record<string, string> = { "=": "===", "!=": "!==", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const CMP_FN: Record<string, (a: string, b: string) => boolean> = {
  "=": (a, b) => a === b, "!=": (a, b) => a !== b, "<": (a, b) => a < b, "<=": (a, b) => a <= b, ">": (a, b) => a > b, ">=": (a, b) => a >= b,
};

const uniqueDicts = new WeakMap<string[], boolean>();
function dictIsUnique(d: string[]): boolean {
  let u = uniqueDicts.get(d);
  if (u === undefined) {
    u = new Set(d).size === d.length;
    uniqueDicts.set(d, u);
  }
  return u;
}

const numC = (code: string, nullable: boolean, vtype: ValueType = "number", unit: TimeUnit | null = null): Compiled =>
  ({ code, kind: "num", nullable, vtype, dict: null, unit });

/**
 * Compiles row-level expressions into JS expression text. The text reads columns through slots
 * of `gen` and uses only temporaries of `gen`; the row index is the variable named `row`.
 */
export class RowCompiler {
  constructor(readonly gen: Gen, readonly env: RowEnv, readonly row = "i") {}

  compile(e: Expr): Compiled {
    switch (e.op) {
      case "lit": return this.lit(e);
      case "col": {
        const c = this.env.column(e.name, e.origin);
        return c ? this.access(c) : NULL_NUM;
      }
      case "lookup": {
        const c = this.env.lookup(e);
        return c ? this.access(c) : NULL_NUM;
      }
      case "agg": {
        if (!e.source) {
          this.env.report("aggregate-in-row-expression", { name: e.fn, where: "a row-level expression" }, e.origin);
          return NULL_NUM;
        }
        const c = this.env.related(e);
        return c ? this.access(c) : NULL_NUM;
      }
      case "neg": return numC(`(-${this.toNum(this.compile(e.arg)).code})`, true);
      case "not": {
        const a = this.toNum(this.compile(e.arg));
        return numC(`(1 - ${a.code})`, a.nullable, "bool");
      }
      case "binary": return this.binary(e);
      case "in": return this.inList(e.arg, e.values, e.negated);
      case "between": {
        const a = this.compile(e.arg);
        const t = this.gen.temp();
        const ta: Compiled = { ...a, code: t, constant: undefined };
        const lo = this.cmp(">=", ta, this.operand(e.low, a.vtype));
        const hi = this.cmp("<=", ta, this.operand(e.high, a.vtype));
        const both = this.and(lo, hi);
        const code = `(${t} = ${a.code}, ${both.code})`;
        return numC(e.negated ? `(1 - ${code})` : code, both.nullable, "bool");
      }
      case "is_null": {
        const a = this.compile(e.arg);
        if (!a.nullable) return numC(e.negated ? "1" : "0", false, "bool");
        const t = this.gen.temp();
        const test = a.kind === "num" ? `${t} !== ${t}` : a.kind === "code" ? `${t} < 0` : `${t} === null`;
        return numC(`(${t} = ${a.code}, ${test} ? ${e.negated ? 0 : 1} : ${e.negated ? 1 : 0})`, false, "bool");
      }
      case "case": {
        const kind = kindOfType(e.type);
        let code = e.else ? this.toKind(this.compile(e.else), kind).code : kind === "num" ? "NaN" : "null";
        for (let w = e.whens.length - 1; w >= 0; w--) {
          const cond = this.toNum(this.compile(e.whens[w]!.when));
          const then = this.toKind(this.compile(e.whens[w]!.then), kind);
          code = `(${cond.code} === 1 ? ${then.code} : ${code})`;
        }
        return { code, kind, nullable: true, vtype: e.type, dict: null, unit: null };
      }
      case "bucket": {
        const a = this.toNum(this.compile(e.arg));
        const type = a.vtype === "date" ? "date" : "timestamp";
        const table = e.arg.op === "col" ? this.bucketTableOf(e.arg.name, e.arg.origin, e.unit, type, e.zone) : null;
        if (table) {
          // Per UTC day: the period before and after the day's cut (see bucket-table.ts).
          const g = this.gen, t = g.temp(), d = g.temp(), r = g.temp();
          const slow = g.slot(table.slow), cut = g.slot(table.cut), p0 = g.slot(table.p0), p1 = g.slot(table.p1);
          const lookup = `(${d} = (${t} - ${num(table.base)}) / ${MS_PER_DAY}, ${d} >= 0 && ${d} < ${num(table.days)} ? ` +
            `(${d} = ${d} | 0, ${r} = ${t} < ${cut}[${d}] ? ${p0}[${d}] : ${p1}[${d}], ${r} === ${r} ? ${r} : ${slow}(${t})) : ${slow}(${t}))`;
          return numC(`(${t} = ${a.code}, ${a.nullable ? `${t} !== ${t} ? NaN : ` : ""}${lookup})`, a.nullable, "period", e.unit);
        }
        const f = this.gen.slot(bucketFunction(e.unit, type, e.zone));
        return numC(`${f}(${a.code})`, a.nullable, "period", e.unit);
      }
      case "call": return this.call(e);
      case "kpi":
      case "previous":
      case "change":
      case "pct_change":
      case "field":
      case "group_key":
        this.env.report("unsupported-expression", { what: e.op === "kpi" ? `KPI "${e.name}"` : e.op, where: "a row-level expression" }, e.origin);
        return NULL_NUM;
    }
  }

  /** The bucket lookup table of a date or timestamp column over its range, or null. */
  private bucketTableOf(name: string, origin: Origin, unit: TimeUnit, type: "date" | "timestamp", zone: string): BucketTable | null {
    const c = this.env.column(name, origin);
    if (!c || c.kind !== "num" || !(c.data instanceof Float64Array)) return null;
    const r = columnRange(c.data);
    return r ? bucketTable(c.data, unit, type, zone, r.lo, r.hi) : null;
  }

  /** Reads a column at the current row. */
  access(c: ColumnRt): Compiled {
    const code = `${this.gen.slot(c.data)}[${this.row}]`;
    return { code, kind: c.kind, nullable: c.nullable, vtype: c.vtype, dict: c.dict, unit: c.unit };
  }

  private lit(e: LitExpr, asType?: ValueType): Compiled {
    const l = literalValue(e, this.env.zone, asType);
    if (!l.ok) {
      this.env.report("invalid-literal", { text: String(e.value), kind: asType ?? e.type, hint: "" }, e.origin);
      return NULL_NUM;
    }
    if (l.kind === "str") return { code: this.gen.slot(l.value), kind: "str", nullable: false, vtype: "string", dict: null, unit: null, constant: l.value };
    const n = l.value as number;
    if (n !== n) return NULL_NUM;
    return { ...numC(num(n), false, l.vtype, l.unit), constant: n };
  }

  /** An operand compared with a value of type `other`: date literals next to timestamps become local midnight. */
  private operand(e: Expr, other: ValueType): Compiled {
    if (e.op === "lit" && e.value !== null) {
      if (e.type === "date" && other === "timestamp") return this.lit(e, "timestamp");
      if (e.type === "string" && (other === "date" || other === "timestamp" || other === "period")) return this.lit(e, other);
    }
    return this.compile(e);
  }

  private binary(e: BinaryExpr): Compiled {
    const op = e.operator;
    if (op === "and" || op === "or") {
      const a = this.toNum(this.compile(e.left)), b = this.toNum(this.compile(e.right));
      return op === "and" ? this.and(a, b) : this.or(a, b);
    }
    if (op in JS_CMP) {
      const a = this.operand(e.left, e.right.type), b = this.operand(e.right, e.left.type);
      return this.cmp(op, a, b);
    }
    const a = this.toNum(this.compile(e.left)), b = this.toNum(this.compile(e.right));
    const vtype: ValueType = e.type;
    if (op === "/" || op === "%") {
      const t = this.gen.temp();
      return numC(`(${t} = ${b.code}, ${t} === 0 ? NaN : ${a.code} ${op} ${t})`, true, vtype);
    }
    return numC(`(${a.code} ${op} ${b.code})`, a.nullable || b.nullable, vtype);
  }

  /** Three-valued comparison, 1 / 0 / NaN. */
  cmp(op: string, a: Compiled, b: Compiled): Compiled {
    // A period compared with a period label.
    if (a.unit && typeof b.constant === "string") b = this.periodConst(b, a.unit);
    if (b.unit && typeof a.constant === "string") a = this.periodConst(a, b.unit);
    // Dictionary column against a constant: a precomputed match table per code.
    if (a.kind === "code" && typeof b.constant === "string") return this.codeMatch(a, op, b.constant);
    if (b.kind === "code" && typeof a.constant === "string") return this.codeMatch(b, flip(op), a.constant);
    if ((op === "=" || op === "!=") && a.kind === "code" && b.kind === "code" && a.dict === b.dict && dictIsUnique(a.dict!)) {
      return this.nullSafe(a, b, (x, y) => `(${x} < 0 || ${y} < 0 ? NaN : (${x} ${JS_CMP[op]} ${y} ? 1 : 0))`, (x, y) => `(${x} ${JS_CMP[op]} ${y} ? 1 : 0)`);
    }
    const js = JS_CMP[op]!;
    if (a.kind !== "num" || b.kind !== "num") {
      if (a.constant === null || b.constant === null || (a.constant !== undefined && a.constant !== a.constant) || (b.constant !== undefined && b.constant !== b.constant)) return NULL_NUM;
      const sa = this.toStr(a), sb = this.toStr(b);
      return this.nullSafe(sa, sb, (x, y) => `(${x} === null || ${y} === null ? NaN : (${x} ${js} ${y} ? 1 : 0))`, (x, y) => `(${x} ${js} ${y} ? 1 : 0)`);
    }
    // Against a constant, only the other side can be null (the common `x >= 9`).
    if (!b.nullable && b.constant !== undefined && a.nullable) {
      const t = this.gen.temp();
      return numC(`(${t} = ${a.code}, ${t} !== ${t} ? NaN : (${t} ${js} ${b.code} ? 1 : 0))`, true, "bool");
    }
    if (!a.nullable && a.constant !== undefined && b.nullable) {
      const t = this.gen.temp();
      return numC(`(${t} = ${b.code}, ${t} !== ${t} ? NaN : (${a.code} ${js} ${t} ? 1 : 0))`, true, "bool");
    }
    return this.nullSafe(a, b, (x, y) => `(${x} !== ${x} || ${y} !== ${y} ? NaN : (${x} ${js} ${y} ? 1 : 0))`, (x, y) => `(${x} ${js} ${y} ? 1 : 0)`);
  }

  private nullSafe(a: Compiled, b: Compiled, withNulls: (x: string, y: string) => string, noNulls: (x: string, y: string) => string): Compiled {
    if (!a.nullable && !b.nullable) return numC(noNulls(a.code, b.code), false, "bool");
    const ta = this.gen.temp(), tb = this.gen.temp();
    return numC(`(${ta} = ${a.code}, ${tb} = ${b.code}, ${withNulls(ta, tb)})`, true, "bool");
  }

  private periodConst(c: Compiled, unit: TimeUnit): Compiled {
    const p = parsePeriod(String(c.constant));
    if (!p || p.unit !== unit) return NULL_NUM;
    return { ...numC(num(p.index), false, "period", unit), constant: p.index };
  }

  private codeMatch(a: Compiled, op: string, s: string): Compiled {
    const f = CMP_FN[op]!;
    const dict = a.dict!;
    const m = new Uint8Array(dict.length);
    for (let i = 0; i < dict.length; i++) m[i] = f(dict[i]!, s) ? 1 : 0;
    const ms = this.gen.slot(m);
    if (!a.nullable) return numC(`${ms}[${a.code}]`, false, "bool");
    const t = this.gen.temp();
    return numC(`(${t} = ${a.code}, ${t} < 0 ? NaN : ${ms}[${t}])`, true, "bool");
  }

  and(a: Compiled, b: Compiled): Compiled {
    if (!a.nullable && !b.nullable) return numC(`(${a.code} === 1 && ${b.code} === 1 ? 1 : 0)`, false, "bool");
    const ta = this.gen.temp(), tb = this.gen.temp();
    return numC(`(${ta} = ${a.code}, ${ta} === 0 ? 0 : (${tb} = ${b.code}, ${tb} === 0 ? 0 : (${ta} === 1 && ${tb} === 1 ? 1 : NaN)))`, true, "bool");
  }

  or(a: Compiled, b: Compiled): Compiled {
    if (!a.nullable && !b.nullable) return numC(`(${a.code} === 1 || ${b.code} === 1 ? 1 : 0)`, false, "bool");
    const ta = this.gen.temp(), tb = this.gen.temp();
    return numC(`(${ta} = ${a.code}, ${ta} === 1 ? 1 : (${tb} = ${b.code}, ${tb} === 1 ? 1 : (${ta} === 0 && ${tb} === 0 ? 0 : NaN)))`, true, "bool");
  }

  private inList(argE: Expr, values: Expr[], negated: boolean): Compiled {
    const arg = this.compile(argE);
    const consts = values.map((v) => (v.op === "lit" ? this.operand(v, argE.type) : null));
    const hasNull = consts.some((c) => c !== null && (c.constant === null || (typeof c.constant === "number" && c.constant !== c.constant)));
    if (arg.kind === "code" && consts.every((c) => c !== null && (typeof c.constant === "string" || c.constant === null || c.constant !== c.constant))) {
      const set = new Set(consts.map((c) => c!.constant).filter((x): x is string => typeof x === "string"));
      const m = new Uint8Array(arg.dict!.length);
      for (let i = 0; i < m.length; i++) m[i] = set.has(arg.dict![i]!) ? 1 : 0;
      const ms = this.gen.slot(m), t = this.gen.temp();
      const hit = negated ? 0 : 1, miss = hasNull ? "NaN" : negated ? "1" : "0";
      return numC(`(${t} = ${arg.code}, ${t} < 0 ? NaN : (${ms}[${t}] === 1 ? ${hit} : ${miss}))`, true, "bool");
    }
    const t = this.gen.temp();
    const ta: Compiled = { ...arg, code: t, constant: undefined };
    let acc: Compiled | null = null;
    for (const v of values) {
      const eq = this.cmp("=", ta, this.operand(v, argE.type));
      acc = acc === null ? eq : this.or(acc, eq);
    }
    if (acc === null) return numC(negated ? "1" : "0", false, "bool");
    const code = `(${t} = ${arg.code}, ${acc.code})`;
    return numC(negated ? `(1 - ${code})` : code, acc.nullable, "bool");
  }

  private call(e: CallExpr): Compiled {
    const fn = e.fn;
    const between = BETWEEN_UNITS[fn];
    if (between !== undefined && e.args.length === 2) {
      const a = this.toNum(this.compile(e.args[0]!)), b = this.toNum(this.compile(e.args[1]!));
      return numC(`((${b.code} - ${a.code}) / ${num(between)})`, a.nullable || b.nullable);
    }
    switch (fn) {
      case "now": return numC(num(this.env.asOfMs), false, "timestamp");
      case "today": return numC(num(localDays(this.env.asOfMs, this.env.zone) * MS_PER_DAY), false, "date");
      case "date": {
        const a = this.toNum(this.compile(e.args[0]!));
        if (a.vtype === "date") return a;
        const zone = this.env.zone;
        const f = this.gen.slot((ms: number) => (ms === ms ? localDays(ms, zone) * MS_PER_DAY : NaN));
        return numC(`${f}(${a.code})`, a.nullable, "date");
      }
      case "abs": case "floor": case "ceil": case "exp": {
        const a = this.toNum(this.compile(e.args[0]!));
        return numC(`Math.${fn}(${a.code})`, a.nullable, e.type);
      }
      case "sqrt": case "ln": {
        const a = this.toNum(this.compile(e.args[0]!));
        const t = this.gen.temp();
        return fn === "sqrt"
          ? numC(`(${t} = ${a.code}, ${t} < 0 ? NaN : Math.sqrt(${t}))`, true)
          : numC(`(${t} = ${a.code}, ${t} <= 0 ? NaN : Math.log(${t}))`, true);
      }
      case "round": {
        const a = this.toNum(this.compile(e.args[0]!));
        const d = e.args[1] ? this.toNum(this.compile(e.args[1])).code : "0";
        return numC(`${this.gen.slot(roundHalfAway)}(${a.code}, ${d})`, true);
      }
      case "if": {
        if (e.args.length !== 3) break;
        const kind = kindOfType(e.type);
        const c = this.toNum(this.compile(e.args[0]!));
        const a = this.toKind(this.compile(e.args[1]!), kind), b = this.toKind(this.compile(e.args[2]!), kind);
        return { code: `(${c.code} === 1 ? ${a.code} : ${b.code})`, kind, nullable: true, vtype: e.type, dict: null, unit: a.unit };
      }
      case "period_days":
        this.env.report("unsupported-expression", { what: "period_days()", where: "a row-level expression" }, e.origin);
        return NULL_NUM;
    }
    const spec = SCALARS[fn];
    if (!spec) {
      this.env.report("unknown-function", { name: fn }, e.origin);
      return NULL_NUM;
    }
    const kind = spec.kind === "arg" ? kindOfType(e.type) : spec.kind;
    const args = e.args.map((a) => this.compile(a));
    // A string function of one dictionary column (other arguments constant): evaluate it once per
    // dictionary entry instead of once per row.
    if (args.length > 0 && args[0]!.kind === "code" && args.slice(1).every((a) => a.constant !== undefined) && spec.kind !== "arg") {
      return this.overDict(args[0]!, (s) => spec.impl(s, ...args.slice(1).map((a) => a.constant!)), kind, e.type);
    }
    const parts = args.map((a) => (a.kind === "num" ? a.code : this.toStr(a).code));
    const call = `${this.gen.slot(spec.impl)}(${parts.join(", ")})`;
    if (kind === "num") {
      // Scalar functions return null for "no value"; numeric columns hold that as NaN.
      const t = this.gen.temp();
      return { code: `(${t} = ${call}, ${t} === null ? NaN : ${t})`, kind, nullable: true, vtype: e.type, dict: null, unit: null };
    }
    return { code: call, kind, nullable: true, vtype: e.type, dict: null, unit: null };
  }

  private overDict(a: Compiled, f: (s: string) => V, kind: "num" | "str", vtype: ValueType): Compiled {
    const dict = a.dict!;
    const t = this.gen.temp();
    if (kind === "num") {
      const vals = new Float64Array(dict.length);
      for (let i = 0; i < dict.length; i++) vals[i] = f(dict[i]!) as number;
      return numC(`(${t} = ${a.code}, ${t} < 0 ? NaN : ${this.gen.slot(vals)}[${t}])`, true, vtype);
    }
    const out: string[] = [];
    const index = new Map<string, number>();
    const remap = new Int32Array(dict.length);
    for (let i = 0; i < dict.length; i++) {
      const s = f(dict[i]!);
      if (s === null || typeof s !== "string") { remap[i] = -1; continue; }
      let c = index.get(s);
      if (c === undefined) { c = out.length; out.push(s); index.set(s, c); }
      remap[i] = c;
    }
    return { code: `(${t} = ${a.code}, ${t} < 0 ? -1 : ${this.gen.slot(remap)}[${t}])`, kind: "code", nullable: true, vtype, dict: out, unit: null };
  }

  toNum(c: Compiled): Compiled {
    if (c.kind === "num") return c;
    if (c.constant === null) return NULL_NUM;
    const s = this.toStr(c);
    const t = this.gen.temp();
    return numC(`(${t} = ${s.code}, ${t} === null ? NaN : Number(${t}))`, true);
  }

  toStr(c: Compiled): Compiled {
    if (c.kind === "str") return c;
    if (c.kind === "code") {
      const t = this.gen.temp();
      const d = this.gen.slot(c.dict!);
      return { code: `(${t} = ${c.code}, ${t} < 0 ? null : ${d}[${t}])`, kind: "str", nullable: c.nullable, vtype: "string", dict: null, unit: null };
    }
    if (c.constant !== undefined && (c.constant === null || c.constant !== c.constant)) return { code: "null", kind: "str", nullable: true, vtype: "string", dict: null, unit: null, constant: null };
    const t = this.gen.temp();
    return { code: `(${t} = ${c.code}, ${t} !== ${t} ? null : String(${t}))`, kind: "str", nullable: c.nullable, vtype: "string", dict: null, unit: null };
  }

  toKind(c: Compiled, kind: "num" | "str"): Compiled {
    return kind === "num" ? this.toNum(c) : this.toStr(c);
  }
}

function flip(op: string): string {
  return op === "<" ? ">" : op === ">" ? "<" : op === "<=" ? ">=" : op === ">=" ? "<=" : op;
}
