/**
 * Builders for engine tests: models as plain JSON objects and tables from row arrays, following
 * the encodings of table/table.ts. Not part of the public API.
 */
import type {
  AggExpr, AggregateFn, BinaryOperator, Column, ColumnType, Dataset, Dim, Expr, Kpi, Model, Origin, Relation,
  TargetArm, StatusArm, TimeUnit, ValueType, Comparator,
} from "@yardstick/model";
import type { ColumnData, Table } from "../table/table.js";
import { parseDateDays, parseInstant } from "../time/parse.js";
import { MS_PER_DAY } from "../time/civil.js";

export const O: Origin = { file: "test.kpi", start: 0, end: 0 };
type Cell = string | number | boolean | null | undefined;

/** A table from rows (objects or arrays in `columns` order); dates "YYYY-MM-DD", timestamps ISO (no offset = UTC). */
export function table(dataset: string, columns: Record<string, ColumnType>, rows: Array<Record<string, Cell> | Cell[]>): Table {
  const names = Object.keys(columns);
  const n = rows.length;
  const cell = (r: Record<string, Cell> | Cell[], c: string, i: number): Cell => (Array.isArray(r) ? r[i] : r[c]);
  const out = new Map<string, ColumnData>();
  names.forEach((name, ci) => {
    const type = columns[name]!;
    const nulls = new Uint8Array(n);
    let anyNull = false;
    const isNull = (v: Cell) => v === null || v === undefined || v === "";
    if (type === "string") {
      const dict: string[] = [], index = new Map<string, number>(), codes = new Int32Array(n);
      rows.forEach((r, i) => {
        const v = cell(r, name, ci);
        if (isNull(v)) { nulls[i] = 1; anyNull = true; codes[i] = -1; return; }
        const s = String(v);
        let c = index.get(s);
        if (c === undefined) { c = dict.length; dict.push(s); index.set(s, c); }
        codes[i] = c;
      });
      out.set(name, { type, codes, dict, nulls: anyNull ? nulls : null });
    } else if (type === "bool") {
      const values = new Uint8Array(n);
      rows.forEach((r, i) => {
        const v = cell(r, name, ci);
        if (isNull(v)) { nulls[i] = 1; anyNull = true; return; }
        values[i] = v === true || v === "true" || v === 1 ? 1 : 0;
      });
      out.set(name, { type, values, nulls: anyNull ? nulls : null });
    } else {
      const values = new Float64Array(n);
      rows.forEach((r, i) => {
        const v = cell(r, name, ci);
        if (isNull(v)) { nulls[i] = 1; anyNull = true; return; }
        if (type === "date" && typeof v === "string") values[i] = parseDateDays(v)! * MS_PER_DAY;
        else if (type === "timestamp" && typeof v === "string") values[i] = parseInstant(v, "UTC")!;
        else values[i] = Number(v);
      });
      out.set(name, { type, values, nulls: anyNull ? nulls : null });
    }
  });
  return { dataset, rowCount: n, columns: out, file: null, rowLines: null };
}

export function tables(...ts: Table[]): Map<string, Table> {
  return new Map(ts.map((t) => [t.dataset, t]));
}

// ------------------------------------------------------------------ expressions

export const lit = (value: string | number | boolean | null, type?: ValueType): Expr => ({
  op: "lit", value, origin: O,
  type: type ?? (value === null ? "null" : typeof value === "string" ? "string" : typeof value === "boolean" ? "bool" : "number"),
});
export const col = (name: string, type: ValueType = "number"): Expr => ({ op: "col", name, type, origin: O });
export const str = (name: string) => col(name, "string");
export const bin = (operator: BinaryOperator, left: Expr, right: Expr, type?: ValueType): Expr => ({
  op: "binary", operator, left, right, origin: O,
  type: type ?? (["+", "-", "*", "/", "%"].includes(operator) ? "number" : "bool"),
});
export const eq = (l: Expr, r: Expr) => bin("=", l, r);
export const ne = (l: Expr, r: Expr) => bin("!=", l, r);
export const gt = (l: Expr, r: Expr) => bin(">", l, r);
export const ge = (l: Expr, r: Expr) => bin(">=", l, r);
export const lt = (l: Expr, r: Expr) => bin("<", l, r);
export const le = (l: Expr, r: Expr) => bin("<=", l, r);
export const and = (l: Expr, r: Expr) => bin("and", l, r);
export const or = (l: Expr, r: Expr) => bin("or", l, r);
export const add = (l: Expr, r: Expr) => bin("+", l, r);
export const sub = (l: Expr, r: Expr) => bin("-", l, r);
export const mul = (l: Expr, r: Expr) => bin("*", l, r);
export const div = (l: Expr, r: Expr) => bin("/", l, r);
export const not = (arg: Expr): Expr => ({ op: "not", arg, type: "bool", origin: O });
export const neg = (arg: Expr): Expr => ({ op: "neg", arg, type: "number", origin: O });
export const isNull = (arg: Expr, negated = false): Expr => ({ op: "is_null", arg, negated, type: "bool", origin: O });
export const inList = (arg: Expr, values: Expr[], negated = false): Expr => ({ op: "in", arg, values, negated, type: "bool", origin: O });
export const between = (arg: Expr, low: Expr, high: Expr, negated = false): Expr => ({ op: "between", arg, low, high, negated, type: "bool", origin: O });
export const call = (fn: string, args: Expr[], type: ValueType = "number"): Expr => ({ op: "call", fn, args, type, origin: O });
export const caseWhen = (whens: Array<[Expr, Expr]>, otherwise: Expr | null, type: ValueType = "number"): Expr => ({
  op: "case", whens: whens.map(([when, then]) => ({ when, then })), else: otherwise, type, origin: O,
});
export const bucket = (unit: TimeUnit, arg: Expr, zone = "UTC"): Expr => ({ op: "bucket", unit, arg, zone, type: "period", origin: O });
export const lookup = (relation: string, dataset: string, arg: Expr): Expr => ({ op: "lookup", relation, dataset, arg, type: arg.type, origin: O });
export const kpiRef = (name: string): Expr => ({ op: "kpi", name, type: "number", origin: O });
export const previous = (arg: Expr, period: TimeUnit | null = null): Expr => ({ op: "previous", arg, period, type: "number", origin: O });
export const change = (arg: Expr, period: TimeUnit | null = null): Expr => ({ op: "change", arg, period, type: "number", origin: O });
export const pctChange = (arg: Expr, period: TimeUnit | null = null): Expr => ({ op: "pct_change", arg, period, type: "number", origin: O });
export const field = (kpi: string, f: "value" | "target" | "n"): Expr => ({ op: "field", field: f, kpi, type: "number", origin: O });

export interface AggOpts { where?: Expr; per?: Dim[]; p?: number; window?: { count: number; unit: TimeUnit }; source?: AggExpr["source"]; type?: ValueType }
export function agg(fn: AggregateFn, arg: Expr | null = null, o: AggOpts = {}): Expr {
  const e: AggExpr = { op: "agg", fn, arg, type: o.type ?? "number", origin: O };
  if (o.where) e.filter = o.where;
  if (o.per) e.per = o.per;
  if (o.p !== undefined) e.p = o.p;
  if (o.window) e.window = o.window;
  if (o.source) e.source = o.source;
  return e;
}
export const count = (arg: Expr | null = null, o: AggOpts = {}) => agg("count", arg, o);
export const sum = (arg: Expr, o: AggOpts = {}) => agg("sum", arg, o);
export const avg = (arg: Expr, o: AggOpts = {}) => agg("avg", arg, o);
export const share = (cond: Expr, o: AggOpts = {}) => agg("share", cond, o);

export const dim = (name: string, expr?: Expr): Dim => ({ name, expr: expr ?? str(name), origin: O });
export const timeDim = (unit: TimeUnit, column: string, zone = "UTC", type: ValueType = "timestamp"): Dim => dim(unit, bucket(unit, col(column, type), zone));

// ------------------------------------------------------------------ model

export interface DatasetOpts {
  time?: string;
  key?: string;
  zone?: string;
  relations?: Array<Omit<Relation, "origin">>;
  derived?: Record<string, { type: ColumnType; expr: Expr }>;
}

export function dataset(name: string, columns: Record<string, ColumnType>, o: DatasetOpts = {}): Dataset {
  const cols: Column[] = Object.entries(columns).map(([c, type]) => ({
    name: c, type, nullable: true, key: c === o.key, time: c === o.time, perspective: null, unit: null, allowed: null, derived: null, origin: O,
  }));
  for (const [c, d] of Object.entries(o.derived ?? {})) {
    cols.push({ name: c, type: d.type, nullable: true, key: false, time: false, perspective: null, unit: null, allowed: null, derived: d.expr, origin: O });
  }
  return {
    name, label: null, source: null, zone: o.zone ?? "UTC", timeColumn: o.time ?? null, keys: o.key ? [o.key] : [],
    onBadRows: "fail", columns: cols, relations: (o.relations ?? []).map((r) => ({ ...r, origin: O })), origin: O,
  };
}

export interface KpiOpts {
  from?: string | null;
  where?: Expr;
  by?: Dim[];
  minSamples?: number;
  zone?: string;
  timeColumn?: string;
  target?: Array<{ when?: Expr; cmp: Comparator; value: Expr | number }>;
  status?: Array<{ label: string; when?: Expr }>;
  ratio?: { numerator: Expr; denominator: Expr };
  dependsOn?: string[];
  direction?: "higher" | "lower";
}

export function kpi(name: string, value: Expr, o: KpiOpts = {}): Kpi {
  return {
    name, label: null, description: null, owner: null, tags: [], from: o.from === undefined ? null : o.from, where: o.where ?? null, value,
    by: o.by ?? [], unit: null, format: null, direction: o.direction ?? "higher", minSamples: o.minSamples ?? null,
    zone: o.zone ?? "UTC", timeColumn: o.timeColumn ?? null,
    target: (o.target ?? []).map((t): TargetArm => ({ when: t.when ?? null, comparator: t.cmp, value: typeof t.value === "number" ? lit(t.value) : t.value, origin: O })),
    status: (o.status ?? []).map((s): StatusArm => ({ label: s.label, when: s.when ?? null, origin: O })),
    ratio: o.ratio ? { ...o.ratio, numeratorPerspective: null, denominatorPerspective: null, orientation: "unknown" } : null,
    dependsOn: o.dependsOn ?? [], origin: O,
  };
}

export function model(datasets: Dataset[], kpis: Kpi[]): Model {
  return { version: 1, datasets, kpis, rules: [], tests: [], files: ["test.kpi"] };
}

/** value of the only result row of `name` (throws when there is not exactly one). */
export function only<R extends { kpi: string }>(results: R[], name: string): R {
  const rows = results.filter((r) => r.kpi === name);
  if (rows.length !== 1) throw new Error(`expected one row of ${name}, got ${rows.length}`);
  return rows[0]!;
}
