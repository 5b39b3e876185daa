import type { Dim, TimeUnit, ValueType } from "@yardstick/model";
import { bucketFunction } from "../time/period.js";
import { columnRange } from "./bucket-table.js";
import { Gen, num } from "./gen.js";
import { materialize } from "./materialize.js";
import { RowCompiler, type ColumnRt, type RowEnv } from "./row-compiler.js";

/** A group key component: period index, string, number (date/timestamp ms), boolean, or null. */
export type RawValue = string | number | boolean | null;

/** What a grouping dimension holds. `bucket` is set for time-bucket dimensions. */
export interface DimMeta {
  name: string;
  vtype: ValueType;
  unit: TimeUnit | null;
  bucket: { unit: TimeUnit; zone: string; argType: "date" | "timestamp" } | null;
}

/** The groups of a context: one tuple of dimension values per dense group id. */
export interface GroupSet {
  G: number;
  dims: DimMeta[];
  /** values[d][g]: the value of dimension d in group g. */
  values: RawValue[][];
  /** Rows per group. */
  n: Float64Array;
  keys: string[];
  index: Map<string, number>;
}

export function keyOf(tuple: RawValue[]): string {
  return JSON.stringify(tuple);
}


export function dimMeta(dim: Dim, col: ColumnRt | null): DimMeta {
  const e = dim.expr;
  const bucket = e.op === "bucket" ? { unit: e.unit, zone: e.zone, argType: (e.arg.type === "date" ? "date" : "timestamp") as "date" | "timestamp" } : null;
  return { name: dim.name, vtype: col?.vtype ?? e.type, unit: col?.unit ?? (bucket ? bucket.unit : null), bucket };
}

/**
 * A dimension as sparse ids: `code(k)` is an expression of generated code giving an integer in
 * 0..K-1 for position k (0 = null for codes and small integer ranges), `decode(id)` its value.
 */
export interface Sparse { data: unknown; code: (arr: string, t: string) => string; K: number; decode: (id: number) => RawValue }

const TABLE_LIMIT = 1 << 24;

function sparse(c: ColumnRt, m: number): Sparse {
  if (c.kind === "code") {
    const dict = c.dict!;
    return { data: c.data, code: (a) => `(${a}[k] + 1)`, K: dict.length + 1, decode: (id) => (id === 0 ? null : dict[id - 1]!) };
  }
  const bool = c.vtype === "bool";
  if (c.kind === "num") {
    const data = c.data as Float64Array;
    const r = intRange(data, m, c.vtype === "period" || c.vtype === "int" || c.vtype === "bool");
    if (r && r.hi - r.lo <= 4 * m + 1024) {
      const { lo } = r;
      return {
        data, K: r.hi - lo + 2,
        code: (a, t) => `(${t} = ${a}[k], ${t} !== ${t} ? 0 : ${t} - ${lo < 0 ? `(${lo})` : lo} + 1)`,
        decode: (id) => (id === 0 ? null : bool ? lo + id - 1 === 1 : lo + id - 1),
      };
    }
  }
  // Anything else: dense ids through a map, in order of first appearance.
  const ids = new Int32Array(m);
  const values: RawValue[] = [];
  const map = new Map<number | string | null, number>();
  const src = c.data as ArrayLike<number | string | null>;
  for (let k = 0; k < m; k++) {
    let v: number | string | null = src[k]!;
    if (typeof v === "number" && v !== v) v = null;
    let id = map.get(v);
    if (id === undefined) { id = values.length; map.set(v, id); values.push(bool && typeof v === "number" ? v === 1 : v); }
    ids[k] = id;
  }
  return { data: ids, code: (a) => `${a}[k]`, K: Math.max(values.length, 1), decode: (id) => values[id]! };
}

/** Min and max when every non-null value is an integer, else null. */
function intRange(data: Float64Array, m: number, integral: boolean): { lo: number; hi: number } | null {
  let lo = Infinity, hi = -Infinity;
  for (let k = 0; k < m; k++) {
    const v = data[k]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi < lo) return { lo: 0, hi: 0 };
  if (!Number.isInteger(lo) || !Number.isInteger(hi)) return null;
  if (integral) return { lo, hi };
  for (let k = 0; k < m; k++) {
    const v = data[k]!;
    if (v === v && Math.floor(v) !== v) return null;
  }
  return { lo, hi };
}

/**
 * Groups the rows `sel[0..m)` by `dims`: a dense group id per row position (null when there is a
 * single group) and the group tuples. With no dimensions there is exactly one group, even for
 * zero rows, so an ungrouped KPI always reports a value (or a reason). Dimensions become sparse
 * integer ids (dictionary codes, offsets in a range of periods) combined by one generated loop.
 */
export function computeGrouping(env: RowEnv, sel: Int32Array | null, m: number, dims: Dim[]): { gid: Int32Array | null; set: GroupSet } {
  if (dims.length === 0) {
    return { gid: null, set: { G: 1, dims: [], values: [], n: Float64Array.of(m), keys: [keyOf([])], index: new Map([[keyOf([]), 0]]) } };
  }
  const gen = new Gen();
  const rc = new RowCompiler(gen, env);
  const metas: DimMeta[] = [];
  const terms: string[] = [];
  const parts: Sparse[] = [];
  for (const d of dims) {
    const inline = inlineDim(d, rc, env);
    if (inline) {
      metas.push(dimMeta(d, inline.col));
      parts.push(inline.part);
      terms.push(inline.term);
      continue;
    }
    const col = materialize(env, d.expr, sel, m);
    metas.push(dimMeta(d, col));
    const p = sparse(col, m);
    parts.push(p);
    terms.push(p.code(gen.slot(p.data), gen.temp()));
  }
  let total = 1;
  for (const p of parts) total *= p.K;
  if (total >= Number.MAX_SAFE_INTEGER) return computeGroupingPairwise(env, sel, m, dims, metas);
  let expr = "";
  parts.forEach((p, d) => { expr = d === 0 ? terms[d]! : `(${expr}) * ${p.K} + ${terms[d]}`; });
  const rowOf = sel ? `${gen.slot(sel)}[k]` : "k";
  const gid = new Int32Array(m);
  let n: Float64Array;
  let keys: Float64Array;
  let G: number;
  if (total <= TABLE_LIMIT) {
    const cap = Math.min(m, total) + 1;
    const first = new Int32Array(cap);
    n = new Float64Array(cap);
    const table = new Int32Array(total).fill(-1);
    const body = `let G = 0;
for (let k = 0; k < m; k++) {
  const i = ${rowOf};
  const key = ${expr};
  let id = table[key];
  if (id < 0) { id = G++; table[key] = id; first[id] = key; }
  gid[k] = id;
  n[id]++;
}
return G;`;
    G = gen.build<(m: number, table: Int32Array, gid: Int32Array, first: Int32Array, n: Float64Array) => number>(["m", "table", "gid", "first", "n"], body)(m, table, gid, first, n);
    keys = Float64Array.from(first.subarray(0, G));
    n = n.slice(0, G);
  } else {
    const raw = new Float64Array(m);
    gen.build<(m: number, out: Float64Array) => void>(["m", "out"], `for (let k = 0; k < m; k++) {\n  const i = ${rowOf};\n  out[k] = ${expr};\n}`)(m, raw);
    const map = new Map<number, number>();
    const firstKeys: number[] = [];
    const counts: number[] = [];
    for (let k = 0; k < m; k++) {
      let id = map.get(raw[k]!);
      if (id === undefined) { id = firstKeys.length; map.set(raw[k]!, id); firstKeys.push(raw[k]!); counts.push(0); }
      gid[k] = id;
      counts[id]!++;
    }
    G = firstKeys.length;
    keys = Float64Array.from(firstKeys);
    n = Float64Array.from(counts);
  }
  return { gid, set: finishSet(metas, decodeKeys(parts, keys), n, G) };
}

/** The dimension values of combined sparse keys (mixed radix, the last dimension varies fastest). */
export function decodeKeys(parts: Sparse[], keys: ArrayLike<number>): RawValue[][] {
  const G = keys.length;
  const values: RawValue[][] = parts.map(() => new Array<RawValue>(G));
  for (let g = 0; g < G; g++) {
    let key = keys[g]!;
    for (let d = parts.length - 1; d >= 0; d--) {
      const K = parts[d]!.K;
      const id = key % K;
      key = (key - id) / K;
      values[d]![g] = parts[d]!.decode(id);
    }
  }
  return values;
}

/**
 * Dimensions the group-id loop can compute inline, without materializing them first: a
 * dictionary-coded value (its code is the id), or a time bucket of a column (the id is the offset
 * of the period in the range of periods the column spans: buckets are monotonic in time).
 */
export function inlineDim(d: Dim, rc: RowCompiler, env: RowEnv): { term: string; part: Sparse; col: ColumnRt } | null {
  const e = d.expr;
  if (e.op === "col") {
    const c = rc.compile(e);
    if (c.kind !== "code") return null;
    const dict = c.dict!;
    const col: ColumnRt = { kind: "code", data: new Int32Array(0), dict, nullable: c.nullable, vtype: c.vtype, unit: null };
    return { term: `(${c.code} + 1)`, col, part: { data: null, code: () => "", K: dict.length + 1, decode: (id) => (id === 0 ? null : dict[id - 1]!) } };
  }
  if (e.op === "bucket" && e.arg.op === "col") {
    const arg = env.column(e.arg.name, e.arg.origin);
    if (!arg || arg.kind !== "num" || (arg.vtype !== "date" && arg.vtype !== "timestamp")) return null;
    const c = rc.compile(e);
    const r = columnRange(arg.data as Float64Array);
    const f = bucketFunction(e.unit, arg.vtype, e.zone);
    const lo = r ? f(r.lo) : 0, hi = r ? f(r.hi) : 0;
    const t = rc.gen.temp();
    const col: ColumnRt = { kind: "num", data: new Float64Array(0), dict: null, nullable: true, vtype: "period", unit: e.unit };
    return {
      term: `(${t} = ${c.code}, ${t} !== ${t} ? 0 : ${t} - ${num(lo)} + 1)`, col,
      part: { data: null, code: () => "", K: hi - lo + 2, decode: (id) => (id === 0 ? null : lo + id - 1) },
    };
  }
  return null;
}

export function finishSet(metas: DimMeta[], values: RawValue[][], n: Float64Array, G: number): GroupSet {
  const keys: string[] = [];
  const index = new Map<string, number>();
  for (let g = 0; g < G; g++) {
    const key = keyOf(values.map((v) => v[g]!));
    keys.push(key);
    index.set(key, g);
  }
  return { G, dims: metas, values, n, keys, index };
}

/** Many dimensions with huge cardinalities: materialize each and combine through a map. */
function computeGroupingPairwise(env: RowEnv, sel: Int32Array | null, m: number, dims: Dim[], metas: DimMeta[]): { gid: Int32Array; set: GroupSet } {
  const parts = dims.map((d) => sparse(materialize(env, d.expr, sel, m), m));
  const perDim = parts.map((p) => {
    const gen = new Gen();
    const out = new Int32Array(m);
    gen.build<(m: number, out: Int32Array) => void>(["m", "out"], `for (let k = 0; k < m; k++) out[k] = ${p.code(gen.slot(p.data), gen.temp())};`)(m, out);
    return out;
  });
  const gid = new Int32Array(m);
  const firstRow: number[] = [];
  const map = new Map<string, number>();
  for (let k = 0; k < m; k++) {
    const key = perDim.map((a) => a[k]).join(",");
    let id = map.get(key);
    if (id === undefined) { id = firstRow.length; map.set(key, id); firstRow.push(k); }
    gid[k] = id;
  }
  const G = firstRow.length;
  const n = new Float64Array(G);
  for (let k = 0; k < m; k++) n[gid[k]!]!++;
  const values = parts.map((p, d) => firstRow.map((k) => p.decode(perDim[d]![k]!)));
  return { gid, set: finishSet(metas, values, n, G) };
}
