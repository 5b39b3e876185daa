import type { AggExpr, Dataset, Expr, LitExpr, LookupExpr, Model, TimeUnit, ValueType } from "@yardstick/model";
import type { Table } from "../table/table.js";
import { exprKey } from "../plan/expr-key.js";
import { MS_PER_DAY } from "../time/civil.js";
import { bucketFunction, localDays, parsePeriod } from "../time/period.js";
import { literalValue } from "../eval/literal.js";
import { BETWEEN_UNITS, SCALARS, roundHalfAway } from "../eval/scalar.js";
import { aggregateValues } from "./aggregate-values.js";

/**
 * Row-level expressions interpreted one row at a time, for explain. The evaluator compiles the
 * same expressions into generated loops over whole columns (eval/row-compiler.ts); this is the
 * slow, readable twin with the same semantics: numbers with NaN as null, strings or null,
 * booleans as 1 / 0 / NaN with SQL's three-valued logic.
 */
export type V = number | string | null;

/** A row-level expression ready to read: `at(row)` gives its value on a row of its dataset. */
export interface RowFn {
  kind: "num" | "str";
  vtype: ValueType;
  /** The unit of a period-valued expression (a time bucket). */
  unit: TimeUnit | null;
  at: (row: number) => V;
  /** Set when the expression is a constant. */
  constant?: V;
}

export const isNull = (v: V): boolean => v === null || v !== v;
const NULL_NUM: RowFn = { kind: "num", vtype: "null", unit: null, at: () => NaN, constant: NaN };
const num = (at: (r: number) => V, vtype: ValueType = "number", unit: TimeUnit | null = null): RowFn => ({ kind: "num", vtype, unit, at });
const CMP: Record<string, (a: number | string, b: number | string) => boolean> = {
  "=": (a, b) => a === b, "!=": (a, b) => a !== b, "<": (a, b) => a < b, "<=": (a, b) => a <= b, ">": (a, b) => a > b, ">=": (a, b) => a >= b,
};

export function toNumV(v: V): number {
  return v === null ? NaN : typeof v === "number" ? v : Number(v);
}
export function toStrV(v: V): string | null {
  return v === null ? null : typeof v === "string" ? v : v !== v ? null : String(v);
}
export function and3(a: number, b: () => number): number {
  if (a === 0) return 0;
  const y = b();
  if (y === 0) return 0;
  return a === 1 && y === 1 ? 1 : NaN;
}
export function or3(a: number, b: () => number): number {
  if (a === 1) return 1;
  const y = b();
  if (y === 1) return 1;
  return a === 0 && y === 0 ? 0 : NaN;
}

/** The datasets of a model over their tables, each read row by row. */
export class Data {
  private readonly views = new Map<string, DatasetView | null>();
  private readonly decls: Map<string, Dataset>;

  constructor(readonly model: Model, readonly tables: Map<string, Table>, readonly asOfMs: number) {
    this.decls = new Map(model.datasets.map((d) => [d.name, d]));
  }

  dataset(name: string): DatasetView | null {
    let v = this.views.get(name);
    if (v === undefined) {
      const decl = this.decls.get(name), table = this.tables.get(name);
      v = decl && table ? new DatasetView(this, decl, table) : null;
      this.views.set(name, v);
    }
    return v;
  }
}

/** One dataset: its columns, derived columns, lookups and related-row aggregates, per row. */
export class DatasetView {
  private readonly compiled = new Map<string, RowFn>();
  private readonly materialized = new Map<string, RowFn | null>();
  private readonly computing = new Set<string>();
  private readonly relatedCache = new Map<string, { src: DatasetView; rows: number[][] } | null>();

  constructor(readonly data: Data, readonly decl: Dataset, readonly table: Table) {}

  get rowCount(): number {
    return this.table.rowCount;
  }

  /** A row-level expression of this dataset, with timestamps without offset read in `zone`. */
  compile(e: Expr, zone: string): RowFn {
    const key = `${zone}|${exprKey(e)}`;
    let f = this.compiled.get(key);
    if (!f) {
      f = this.build(e, zone);
      this.compiled.set(key, f);
    }
    return f;
  }

  /** A source or derived column. */
  column(name: string): RowFn | null {
    const decl = this.decl.columns.find((c) => c.name === name);
    if (decl?.derived) {
      // Derived columns are computed in the dataset's own zone, whatever the KPI's.
      const col = this.materialize(`derived:${name}`, () => this.compile(decl.derived!, this.decl.zone));
      if (col && col.kind === "num" && decl.type !== "string" && decl.type !== col.vtype) return { ...col, vtype: decl.type };
      return col;
    }
    const c = this.table.columns.get(name);
    if (!c) return null;
    const nulls = c.nulls;
    if (c.type === "string") {
      const { codes, dict } = c;
      return { kind: "str", vtype: "string", unit: null, at: (r) => ((nulls && nulls[r] === 1) || codes[r]! < 0 ? null : dict[codes[r]!]!) };
    }
    const values = c.values;
    return num((r) => (nulls && nulls[r] === 1 ? NaN : values[r]!), c.type);
  }

  /** Evaluates `make()` on every row once (derived, looked-up and related values); null on a cycle. */
  private materialize(key: string, make: () => RowFn | null): RowFn | null {
    const known = this.materialized.get(key);
    if (known !== undefined) return known;
    if (this.computing.has(key)) return null;
    this.computing.add(key);
    const f = make();
    let out: RowFn | null = null;
    if (f) {
      const n = this.rowCount;
      const values: V[] = new Array(n);
      for (let r = 0; r < n; r++) { const v = f.at(r); values[r] = f.kind === "num" && v === null ? NaN : v; }
      out = { kind: f.kind, vtype: f.vtype, unit: f.unit, at: (r) => values[r]! };
    }
    this.computing.delete(key);
    this.materialized.set(key, out);
    return out;
  }

  /** For each row of this dataset, the row of `to` whose `keyCol` equals this row's `fkCol` (-1 when none). */
  refIndex(fkCol: string, to: DatasetView, keyCol: string): Int32Array {
    const out = new Int32Array(this.rowCount).fill(-1);
    const fk = this.column(fkCol), key = to.column(keyCol);
    if (!fk || !key) return out;
    const asNumber = fk.kind === "num" && key.kind === "num";
    const norm = (f: RowFn, r: number): string | number | null => {
      const v = f.at(r);
      if (isNull(v)) return null;
      return asNumber ? (v as number) : String(v);
    };
    const rows = new Map<string | number, number>();
    for (let r = 0; r < to.rowCount; r++) { const v = norm(key, r); if (v !== null && !rows.has(v)) rows.set(v, r); }
    for (let i = 0; i < this.rowCount; i++) { const v = norm(fk, i); out[i] = v === null ? -1 : rows.get(v) ?? -1; }
    return out;
  }

  /** The rows of `source` that each row of this dataset relates to, in row order (for related-row aggregates). */
  relatedRows(e: AggExpr): { src: DatasetView; rows: number[][] } | null {
    const s = e.source!;
    const key = JSON.stringify([s.dataset, s.column, s.key]);
    let out = this.relatedCache.get(key);
    if (out === undefined) {
      const src = this.data.dataset(s.dataset);
      out = null;
      if (src) {
        const owner = src.refIndex(s.column, this, s.key);
        const rows: number[][] = Array.from({ length: this.rowCount }, () => []);
        for (let i = 0; i < src.rowCount; i++) if (owner[i]! >= 0) rows[owner[i]!]!.push(i);
        out = { src, rows };
      }
      this.relatedCache.set(key, out);
    }
    return out;
  }

  private lookup(e: LookupExpr, zone: string): RowFn | null {
    return this.materialize(`lookup:${zone}:${exprKey(e)}`, () => {
      const rel = this.decl.relations.find((r) => r.name === e.relation);
      const target = rel ? this.data.dataset(rel.dataset) : null;
      if (!rel || !target) return null;
      const idx = this.refIndex(rel.column, target, rel.key);
      const inner = target.compile(e.arg, zone);
      return { ...inner, constant: undefined, at: (r) => (idx[r]! < 0 ? (inner.kind === "num" ? NaN : null) : inner.at(idx[r]!)) };
    });
  }

  private related(e: AggExpr, zone: string): RowFn | null {
    return this.materialize(`related:${zone}:${exprKey(e)}`, () => {
      if (e.per || e.window || e.fn === "retention") return null;
      const rel = this.relatedRows(e);
      if (!rel) return null;
      const value = e.arg ? rel.src.compile(e.arg, zone) : null;
      const filter = e.filter ? rel.src.compile(e.filter, zone) : null;
      const kind: "num" | "str" = (e.fn === "min" || e.fn === "max") && value?.kind === "str" ? "str" : "num";
      const out: V[] = rel.rows.map((rows) => {
        const kept = filter ? rows.filter((r) => toNumV(filter.at(r)) === 1) : rows;
        const r = aggregateValues(e.fn, e.p, value ? value.kind : null, value ? kept.map((k) => value.at(k)) : kept.map(() => null));
        return kind === "num" && r.value === null ? NaN : r.value;
      });
      return { kind, vtype: e.type, unit: null, at: (r) => out[r]! };
    });
  }

  private build(e: Expr, zone: string): RowFn {
    const rec = (x: Expr) => this.compile(x, zone);
    switch (e.op) {
      case "lit": return this.lit(e, zone);
      case "col": return this.column(e.name) ?? NULL_NUM;
      case "lookup": return this.lookup(e, zone) ?? NULL_NUM;
      case "agg": return e.source ? this.related(e, zone) ?? NULL_NUM : NULL_NUM;
      case "neg": { const a = numOf(rec(e.arg)); return num((r) => -a(r)); }
      case "not": { const a = numOf(rec(e.arg)); return num((r) => 1 - a(r), "bool"); }
      case "binary": {
        const op = e.operator;
        if (op === "and" || op === "or") {
          const a = numOf(rec(e.left)), b = numOf(rec(e.right));
          return num(op === "and" ? (r) => and3(a(r), () => b(r)) : (r) => or3(a(r), () => b(r)), "bool");
        }
        if (op in CMP) return compare(op, this.operand(e.left, e.right.type, zone), this.operand(e.right, e.left.type, zone));
        const a = numOf(rec(e.left)), b = numOf(rec(e.right));
        switch (op) {
          case "+": return num((r) => a(r) + b(r), e.type);
          case "-": return num((r) => a(r) - b(r), e.type);
          case "*": return num((r) => a(r) * b(r), e.type);
          case "/": return num((r) => { const y = b(r); return y === 0 ? NaN : a(r) / y; }, e.type);
          default: return num((r) => { const y = b(r); return y === 0 ? NaN : a(r) % y; }, e.type);
        }
      }
      case "in": {
        const a = rec(e.arg);
        const eqs = e.values.map((v) => compare("=", a, this.operand(v, e.arg.type, zone)).at);
        if (eqs.length === 0) return num(() => (e.negated ? 1 : 0), "bool");
        return num((r) => {
          let acc = eqs[0]!(r) as number;
          for (let i = 1; i < eqs.length; i++) { const prev = acc; acc = or3(prev, () => eqs[i]!(r) as number); }
          return e.negated ? 1 - acc : acc;
        }, "bool");
      }
      case "between": {
        const a = rec(e.arg);
        const lo = compare(">=", a, this.operand(e.low, a.vtype, zone)).at, hi = compare("<=", a, this.operand(e.high, a.vtype, zone)).at;
        return num((r) => { const x = and3(lo(r) as number, () => hi(r) as number); return e.negated ? 1 - x : x; }, "bool");
      }
      case "is_null": { const a = rec(e.arg).at; return num((r) => (isNull(a(r)) !== e.negated ? 1 : 0), "bool"); }
      case "case": {
        const kind = e.type === "string" ? "str" : "num";
        const conv = (f: RowFn) => (kind === "num" ? numOf(f) : strOf(f));
        const whens = e.whens.map((w) => ({ when: numOf(rec(w.when)), then: conv(rec(w.then)) }));
        const other = e.else ? conv(rec(e.else)) : null;
        return { kind, vtype: e.type, unit: null, at: (r) => { for (const w of whens) if (w.when(r) === 1) return w.then(r); return other ? other(r) : kind === "num" ? NaN : null; } };
      }
      case "bucket": {
        const a = rec(e.arg);
        const f = bucketFunction(e.unit, a.vtype === "date" ? "date" : "timestamp", e.zone);
        const an = numOf(a);
        return num((r) => f(an(r)), "period", e.unit);
      }
      case "call": return this.call(e.fn, e.args, e.type, zone);
      default: return NULL_NUM;
    }
  }

  private lit(e: LitExpr, zone: string, asType?: ValueType): RowFn {
    const l = literalValue(e, zone, asType);
    if (!l.ok) return NULL_NUM;
    const v = l.value;
    if (l.kind === "str") return { kind: "str", vtype: "string", unit: null, at: () => v, constant: v };
    if (v !== v) return NULL_NUM;
    return { kind: "num", vtype: l.vtype, unit: l.unit, at: () => v, constant: v };
  }

  /** An operand compared with a value of type `other`: date literals next to timestamps are local midnight. */
  private operand(e: Expr, other: ValueType, zone: string): RowFn {
    if (e.op === "lit" && e.value !== null) {
      if (e.type === "date" && other === "timestamp") return this.lit(e, zone, "timestamp");
      if (e.type === "string" && (other === "date" || other === "timestamp" || other === "period")) return this.lit(e, zone, other);
    }
    return this.compile(e, zone);
  }

  private call(fn: string, args: Expr[], type: ValueType, zone: string): RowFn {
    const rec = (x: Expr) => this.compile(x, zone);
    const asOf = this.data.asOfMs;
    const between = BETWEEN_UNITS[fn];
    if (between !== undefined && args.length === 2) {
      const a = numOf(rec(args[0]!)), b = numOf(rec(args[1]!));
      return num((r) => (b(r) - a(r)) / between);
    }
    switch (fn) {
      case "now": return num(() => asOf, "timestamp");
      case "today": { const d = localDays(asOf, zone) * MS_PER_DAY; return num(() => d, "date"); }
      case "date": {
        const a = rec(args[0]!);
        if (a.vtype === "date") return a;
        const f = numOf(a);
        return num((r) => { const v = f(r); return v === v ? localDays(v, zone) * MS_PER_DAY : NaN; }, "date");
      }
      case "abs": case "floor": case "ceil": case "exp": {
        const a = numOf(rec(args[0]!)), m = Math[fn];
        return num((r) => m(a(r)), type);
      }
      case "sqrt": { const a = numOf(rec(args[0]!)); return num((r) => { const x = a(r); return x < 0 ? NaN : Math.sqrt(x); }); }
      case "ln": { const a = numOf(rec(args[0]!)); return num((r) => { const x = a(r); return x <= 0 ? NaN : Math.log(x); }); }
      case "round": {
        const a = numOf(rec(args[0]!)), d = args[1] ? numOf(rec(args[1])) : () => 0;
        return num((r) => roundHalfAway(a(r), d(r)));
      }
      case "if": {
        if (args.length !== 3) break;
        const kind = type === "string" ? "str" : "num";
        const c = numOf(rec(args[0]!));
        const conv = (f: RowFn) => (kind === "num" ? numOf(f) : strOf(f));
        const a = rec(args[1]!), ac = conv(a), b = conv(rec(args[2]!));
        return { kind, vtype: type, unit: a.unit, at: (r) => (c(r) === 1 ? ac(r) : b(r)) };
      }
      case "period_days": return NULL_NUM;
    }
    const spec = SCALARS[fn];
    if (!spec) return NULL_NUM;
    const kind = spec.kind === "arg" ? (type === "string" ? "str" : "num") : spec.kind;
    const parts = args.map((a) => { const f = rec(a); return f.kind === "num" ? f.at : strOf(f); });
    const impl = spec.impl;
    const at = (r: number) => impl(...parts.map((p) => p(r)));
    return { kind, vtype: type, unit: null, at: kind === "num" ? (r) => { const v = at(r); return v === null ? NaN : v; } : at };
  }
}

function numOf(f: RowFn): (r: number) => number {
  if (f.kind === "num") return f.at as (r: number) => number;
  return (r) => toNumV(f.at(r));
}

function strOf(f: RowFn): (r: number) => string | null {
  if (f.kind === "str") return f.at as (r: number) => string | null;
  return (r) => toStrV(f.at(r));
}

function periodConst(c: RowFn, unit: TimeUnit): RowFn {
  const p = parsePeriod(String(c.constant));
  if (!p || p.unit !== unit) return NULL_NUM;
  const v = p.index;
  return { kind: "num", vtype: "period", unit, at: () => v, constant: v };
}

/** Three-valued comparison (1 / 0 / NaN); strings compare by UTF-16 code unit, periods with period labels. */
function compare(op: string, a: RowFn, b: RowFn): RowFn {
  if (a.unit && typeof b.constant === "string") b = periodConst(b, a.unit);
  if (b.unit && typeof a.constant === "string") a = periodConst(a, b.unit);
  const test = CMP[op]!;
  if (a.kind !== "num" || b.kind !== "num") {
    const nullConst = (c: RowFn) => c.constant === null || (typeof c.constant === "number" && c.constant !== c.constant);
    if (nullConst(a) || nullConst(b)) return NULL_NUM;
    const sa = strOf(a), sb = strOf(b);
    return num((r) => { const x = sa(r), y = sb(r); return x === null || y === null ? NaN : test(x, y) ? 1 : 0; }, "bool");
  }
  const na = numOf(a), nb = numOf(b);
  return num((r) => { const x = na(r), y = nb(r); return x !== x || y !== y ? NaN : test(x, y) ? 1 : 0; }, "bool");
}
