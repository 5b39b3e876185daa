import type { AggregateFn } from "@yardstick/model";
import { Gen, num } from "./gen.js";
import type { Compiled, RowKind } from "./row-compiler.js";

/** One aggregate to compute in a fused loop: its value and filter are compiled with the loop's Gen. */
export interface AggTask {
  /** "uniform" (internal): the value when every row of the group agrees on it, else null. */
  fn: AggregateFn | "uniform";
  p?: number;
  value: Compiled | null;
  filter: Compiled | null;
}

/** Per group results of an aggregate. `reason[g]` indexes AGG_REASONS (0 = none). */
export interface AggOut {
  kind: "num" | "str";
  num: Float64Array | null;
  str: Array<string | null> | null;
  reason: Uint8Array | null;
  /** retention: the sorted distinct values per group (codes of a dictionary, numbers, or strings). */
  sets?: Array<Float64Array | string[]>;
}

/** The rows a fused loop visits: position k reads row `sel[k]` (or k) and belongs to group `gid[k]` (or 0). */
export interface LoopSource {
  sel: Int32Array | null;
  m: number;
  gid: Int32Array | null;
  G: number;
  /** Skip rows whose group is negative (related rows that point nowhere). */
  skipNegative: boolean;
}

interface KernelCode {
  decl: string;
  update: (v: string) => string;
  after: string;
  finish: () => AggOut;
}

const BITMAP_LIMIT = 1 << 25;

/** Builds one loop over the source that updates every task's accumulators, runs it, and finishes each task. */
export function runTasks(gen: Gen, tasks: AggTask[], src: LoopSource): AggOut[] {
  const kernels = tasks.map((t, i) => kernel(gen, t, src, i));
  const sel = gen.slot(src.sel ?? new Int32Array(0));
  const gid = gen.slot(src.gid ?? new Int32Array(0));
  let body = kernels.map((k) => k.decl).join("\n");
  body += `\nfor (let k = 0; k < m; k++) {\n  const i = ${src.sel ? `${sel}[k]` : "k"};\n`;
  body += `  const g = ${src.gid ? `${gid}[k]` : "0"};\n`;
  if (src.skipNegative && src.gid) body += "  if (g < 0) continue;\n";
  tasks.forEach((t, j) => {
    const k = kernels[j]!;
    const val = t.value ? `const v${j} = ${t.value.code};\n` : "";
    const upd = `{ ${val}${k.update(`v${j}`)} }`;
    body += t.filter ? `  if (${t.filter.code} === 1) ${upd}\n` : `  ${upd}\n`;
  });
  body += "}\n" + kernels.map((k) => k.after).join("\n");
  gen.build<(m: number) => void>(["m"], body)(src.m);
  return kernels.map((k) => k.finish());
}

/** A single pass over all rows: filter, sparse group key, row recording and every task. */
export interface ScanSpec {
  n: number;
  /** JS condition text (already a boolean expression), or null for every row. */
  filter: string | null;
  /** JS expression of the group key in 0..G-1, or null for a single group. */
  key: string | null;
  G: number;
  recordRows: boolean;
  recordKeys: boolean;
}

export interface ScanResult {
  outs: AggOut[];
  counts: Float64Array;
  m: number;
  sel: Int32Array | null;
  keys: Int32Array | null;
}

/** Runs filter, grouping and aggregation in one generated loop over every row of a table. */
export function runScan(gen: Gen, tasks: AggTask[], spec: ScanSpec): ScanResult {
  const src: LoopSource = { sel: null, m: spec.n, gid: null, G: spec.G, skipNegative: false };
  const kernels = tasks.map((t, i) => kernel(gen, t, src, i));
  const counts = new Float64Array(spec.G);
  const sel = spec.recordRows ? new Int32Array(spec.n) : null;
  const keys = spec.recordKeys ? new Int32Array(spec.n) : null;
  const sc = gen.slot(counts), ss = sel ? gen.slot(sel) : "", sk = keys ? gen.slot(keys) : "";
  let body = kernels.map((k) => k.decl).join("\n");
  body += "\nlet m = 0;\nfor (let i = 0; i < n; i++) {\n";
  if (spec.filter) body += `  if (!(${spec.filter})) continue;\n`;
  body += `  const g = ${spec.key ?? "0"};\n`;
  if (sel) body += `  ${ss}[m] = i;\n`;
  if (keys) body += `  ${sk}[m] = g;\n`;
  body += `  m++;\n  ${sc}[g]++;\n`;
  tasks.forEach((t, j) => {
    const k = kernels[j]!;
    const val = t.value ? `const v${j} = ${t.value.code};\n` : "";
    const upd = `{ ${val}${k.update(`v${j}`)} }`;
    body += t.filter ? `  if (${t.filter.code} === 1) ${upd}\n` : `  ${upd}\n`;
  });
  body += "}\n" + kernels.map((k) => k.after).join("\n") + "\nreturn m;";
  const m = gen.build<(n: number) => number>(["n"], body)(spec.n);
  return { outs: kernels.map((k) => k.finish()), counts, m, sel: sel ? sel.subarray(0, m) : null, keys: keys ? keys.subarray(0, m) : null };
}

/** Keeps the groups listed in `keep` (in that order). */
export function compactOut(out: AggOut, keep: Int32Array): AggOut {
  const pick = <T extends { [i: number]: unknown; length: number }>(a: T | null, make: (n: number) => T): T | null => {
    if (!a) return null;
    const r = make(keep.length);
    for (let i = 0; i < keep.length; i++) r[i] = a[keep[i]!];
    return r;
  };
  const res: AggOut = {
    kind: out.kind,
    num: pick(out.num, (n) => new Float64Array(n)),
    str: pick(out.str, (n) => new Array<string | null>(n)),
    reason: pick(out.reason, (n) => new Uint8Array(n)),
  };
  if (out.sets) res.sets = Array.from(keep, (g) => out.sets![g]!);
  return res;
}

function nonNull(kind: RowKind, v: string): string {
  return kind === "num" ? `${v} === ${v}` : kind === "code" ? `${v} >= 0` : `${v} !== null`;
}

function kernel(gen: Gen, t: AggTask, src: LoopSource, j: number): KernelCode {
  const G = src.G;
  const kind: RowKind | null = t.value ? t.value.kind : null;
  const none = { decl: "", after: "" };
  const numOut = (values: Float64Array, reason: Uint8Array | null = null): AggOut => ({ kind: "num", num: values, str: null, reason });
  switch (t.fn) {
    case "count": {
      const c = new Float64Array(G), s = gen.slot(c);
      return { ...none, update: (v) => (kind === null ? `${s}[g]++;` : `if (${nonNull(kind, v)}) ${s}[g]++;`), finish: () => numOut(c) };
    }
    case "exists": {
      const e = new Float64Array(G), s = gen.slot(e);
      return { ...none, update: (v) => (kind === null ? `${s}[g] = 1;` : `if (${nonNull(kind, v)}) ${s}[g] = 1;`), finish: () => numOut(e) };
    }
    case "sum":
    case "avg": {
      const sum = new Float64Array(G), cnt = new Float64Array(G);
      const ss = gen.slot(sum), sc = gen.slot(cnt);
      return {
        ...none,
        update: (v) => `if (${v} === ${v}) { ${ss}[g] += ${v}; ${sc}[g]++; }`,
        finish: () => {
          const out = new Float64Array(G), reason = new Uint8Array(G);
          for (let g = 0; g < G; g++) {
            if (cnt[g] === 0) { out[g] = NaN; reason[g] = 1; } else out[g] = t.fn === "sum" ? sum[g]! : sum[g]! / cnt[g]!;
          }
          return numOut(out, reason);
        },
      };
    }
    case "share": {
      const tr = new Float64Array(G), den = new Float64Array(G);
      const st = gen.slot(tr), sd = gen.slot(den);
      return {
        ...none,
        update: (v) => `if (${v} === ${v}) { ${sd}[g]++; if (${v} === 1) ${st}[g]++; }`,
        finish: () => ratio(tr, den, G),
      };
    }
    case "min":
    case "max": return minMax(gen, t, kind, G);
    case "stddev":
    case "variance": {
      const cnt = new Float64Array(G), mu = new Float64Array(G), m2 = new Float64Array(G);
      const sc = gen.slot(cnt), sm = gen.slot(mu), s2 = gen.slot(m2);
      return {
        ...none,
        update: (v) => `if (${v} === ${v}) { const n = ++${sc}[g]; const d = ${v} - ${sm}[g]; ${sm}[g] += d / n; ${s2}[g] += d * (${v} - ${sm}[g]); }`,
        finish: () => {
          const out = new Float64Array(G), reason = new Uint8Array(G);
          for (let g = 0; g < G; g++) {
            const n = cnt[g]!;
            if (n < 2) { out[g] = NaN; reason[g] = n === 0 ? 1 : 2; continue; }
            const variance = Math.max(0, m2[g]! / (n - 1));
            out[g] = t.fn === "variance" ? variance : Math.sqrt(variance);
          }
          return numOut(out, reason);
        },
      };
    }
    case "median":
    case "percentile": {
      const p = t.fn === "median" ? 0.5 : (t.p ?? 0.5);
      if ((kind ?? "num") === "num" && G <= BUFFERED_GROUPS) return quantileBuffers(gen, src.m, G, p);
      const c = collector(gen, kind ?? "num", src.m, j);
      return {
        decl: c.decl, after: c.after, update: c.update,
        finish: () => {
          const { offsets, values } = groupByGroup(c.values() as Float64Array, c.groups(), c.count(), G);
          const out = new Float64Array(G), reason = new Uint8Array(G);
          for (let g = 0; g < G; g++) {
            const a = offsets[g]!, b = offsets[g + 1]!;
            if (a === b) { out[g] = NaN; reason[g] = 1; continue; }
            out[g] = quantile(values, a, b, p);
          }
          return numOut(out, reason);
        },
      };
    }
    case "count_distinct":
    case "retention": {
      const card = t.value?.dict?.length ?? 0;
      if (t.fn === "count_distinct" && kind === "code" && G * Math.max(card, 1) <= BITMAP_LIMIT) {
        const seen = new Uint8Array(G * card), cnt = new Float64Array(G);
        const sb = gen.slot(seen), sc = gen.slot(cnt);
        return {
          ...none,
          update: (v) => `if (${v} >= 0) { const key = g * ${num(card)} + ${v}; if (${sb}[key] === 0) { ${sb}[key] = 1; ${sc}[g]++; } }`,
          finish: () => numOut(cnt),
        };
      }
      const c = collector(gen, kind ?? "num", src.m, j);
      return {
        decl: c.decl, after: c.after, update: c.update,
        finish: () => {
          const sets = distinctSets(c, kind ?? "num", G);
          if (t.fn === "retention") return { kind: "num", num: null, str: null, reason: null, sets };
          const cnt = new Float64Array(G);
          for (let g = 0; g < G; g++) cnt[g] = sets[g]!.length;
          return numOut(cnt);
        },
      };
    }
    case "uniform": return uniform(gen, t, kind ?? "num", G);
  }
}

function ratio(top: Float64Array, den: Float64Array, G: number): AggOut {
  const out = new Float64Array(G), reason = new Uint8Array(G);
  for (let g = 0; g < G; g++) {
    if (den[g] === 0) { out[g] = NaN; reason[g] = 1; } else out[g] = top[g]! / den[g]!;
  }
  return { kind: "num", num: out, str: null, reason };
}

function minMax(gen: Gen, t: AggTask, kind: RowKind | null, G: number): KernelCode {
  const isMin = t.fn === "min";
  const none = { decl: "", after: "" };
  if (kind === "code") {
    const dict = t.value!.dict!;
    const order = dict.map((_, i) => i).sort((a, b) => (dict[a]! < dict[b]! ? -1 : dict[a]! > dict[b]! ? 1 : 0));
    const rank = new Int32Array(dict.length);
    order.forEach((code, r) => (rank[code] = r));
    const best = new Int32Array(G).fill(-1);
    const sb = gen.slot(best), sr = gen.slot(rank);
    const cmp = isMin ? "<" : ">";
    return {
      ...none,
      update: (v) => `if (${v} >= 0) { const b = ${sb}[g]; if (b < 0 || ${sr}[${v}] ${cmp} ${sr}[b]) ${sb}[g] = ${v}; }`,
      finish: () => strOut(Array.from(best, (c) => (c < 0 ? null : dict[c]!))),
    };
  }
  if (kind === "str") {
    const best: Array<string | null> = new Array(G).fill(null);
    const sb = gen.slot(best);
    const cmp = isMin ? "<" : ">";
    return {
      ...none,
      update: (v) => `if (${v} !== null) { const b = ${sb}[g]; if (b === null || ${v} ${cmp} b) ${sb}[g] = ${v}; }`,
      finish: () => strOut(best),
    };
  }
  const best = new Float64Array(G).fill(NaN);
  const sb = gen.slot(best);
  return {
    ...none,
    update: (v) => `if (${v} === ${v} && !(${v} ${isMin ? ">=" : "<="} ${sb}[g])) ${sb}[g] = ${v};`,
    finish: () => {
      const reason = new Uint8Array(G);
      for (let g = 0; g < G; g++) if (best[g] !== best[g]) reason[g] = 1;
      return { kind: "num", num: best, str: null, reason };
    },
  };
}

function strOut(values: Array<string | null>): AggOut {
  const reason = new Uint8Array(values.length);
  for (let g = 0; g < values.length; g++) if (values[g] === null) reason[g] = 1;
  return { kind: "str", num: null, str: values, reason };
}

function uniform(gen: Gen, t: AggTask, kind: RowKind, G: number): KernelCode {
  const state = new Uint8Array(G), ss = gen.slot(state);
  const vals: Float64Array | Int32Array | Array<string | null> =
    kind === "num" ? new Float64Array(G) : kind === "code" ? new Int32Array(G) : new Array<string | null>(G).fill(null);
  const sv = gen.slot(vals);
  const differs = kind === "num" ? (v: string) => `${sv}[g] !== ${v} && !(${v} !== ${v} && ${sv}[g] !== ${sv}[g])` : (v: string) => `${sv}[g] !== ${v}`;
  return {
    decl: "", after: "",
    update: (v) => `{ const st = ${ss}[g]; if (st === 0) { ${ss}[g] = 1; ${sv}[g] = ${v}; } else if (st === 1 && ${differs(v)}) ${ss}[g] = 2; }`,
    finish: () => {
      if (kind === "num") {
        const out = new Float64Array(G);
        for (let g = 0; g < G; g++) out[g] = state[g] === 1 ? (vals as Float64Array)[g]! : NaN;
        return { kind: "num", num: out, str: null, reason: null };
      }
      const dict = t.value?.dict;
      const out: Array<string | null> = new Array(G).fill(null);
      for (let g = 0; g < G; g++) {
        if (state[g] !== 1) continue;
        out[g] = kind === "code" ? ((vals as Int32Array)[g]! < 0 ? null : dict![(vals as Int32Array)[g]!]!) : (vals as Array<string | null>)[g]!;
      }
      return { kind: "str", num: null, str: out, reason: null };
    },
  };
}

/** Up to this many groups, quantiles collect each group's values in a buffer of its own. */
const BUFFERED_GROUPS = 4096;

/**
 * median / percentile with one growable buffer per group: the values land where quickselect
 * reads them, so there is no group-id array and no regrouping copy.
 */
function quantileBuffers(gen: Gen, m: number, G: number, p: number): KernelCode {
  const empty = new Float64Array(0);
  const bufs: Float64Array[] = new Array<Float64Array>(G).fill(empty);
  const counts = new Int32Array(G);
  // A first guess of the size of each group (all rows spread evenly), grown by doubling.
  const initial = Math.max(16, Math.ceil(m / G));
  const grow = (g: number): Float64Array => {
    const old = bufs[g]!;
    const next = new Float64Array(old.length === 0 ? Math.min(initial, Math.max(m, 16)) : old.length * 2);
    next.set(old);
    bufs[g] = next;
    return next;
  };
  const sb = gen.slot(bufs), sc = gen.slot(counts), sg = gen.slot(grow);
  return {
    decl: "", after: "",
    update: (v) => `if (${v} === ${v}) { const c = ${sc}[g]; let b = ${sb}[g]; if (c === b.length) b = ${sg}(g); b[c] = ${v}; ${sc}[g] = c + 1; }`,
    finish: () => {
      const out = new Float64Array(G), reason = new Uint8Array(G);
      for (let g = 0; g < G; g++) {
        const n = counts[g]!;
        if (n === 0) { out[g] = NaN; reason[g] = 1; continue; }
        out[g] = quantile(bufs[g]!, 0, n, p);
        bufs[g] = empty;
      }
      return { kind: "num", num: out, str: null, reason };
    },
  };
}

interface Collector {
  decl: string;
  update: (v: string) => string;
  after: string;
  values(): Float64Array | Array<string | null>;
  groups(): Int32Array;
  count(): number;
}

/** Collects (group, non-null value) pairs for aggregates that need all values. */
function collector(gen: Gen, kind: RowKind, m: number, j: number): Collector {
  const values: Float64Array | Array<string | null> = kind === "str" ? new Array<string | null>(m) : new Float64Array(m);
  const groups = new Int32Array(m);
  const state = { n: 0 };
  const sv = gen.slot(values), sg = gen.slot(groups), st = gen.slot(state);
  const n = `n${j}`;
  return {
    decl: `let ${n} = 0;`,
    update: (v) => `if (${nonNull(kind, v)}) { ${sv}[${n}] = ${v}; ${sg}[${n}++] = g; }`,
    after: `${st}.n = ${n};`,
    values: () => values,
    groups: () => groups,
    count: () => state.n,
  };
}

/** Values bucketed by group (counting sort): group g's values are values[offsets[g]..offsets[g + 1]). */
function groupByGroup(vals: Float64Array, groups: Int32Array, n: number, G: number): { offsets: Int32Array; values: Float64Array } {
  if (G === 1) return { offsets: Int32Array.of(0, n), values: vals.slice(0, n) };
  const offsets = new Int32Array(G + 1);
  for (let k = 0; k < n; k++) offsets[groups[k]! + 1]!++;
  for (let g = 0; g < G; g++) offsets[g + 1]! += offsets[g]!;
  const fill = offsets.slice(0, G);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[fill[groups[k]!]!++] = vals[k]!;
  return { offsets, values: out };
}

/**
 * percentile_cont of values[a..b): the value at rank p * (count - 1), interpolated between the two
 * nearest ranks. Quickselect (expected linear time) instead of a full sort; reorders the slice.
 */
export function quantile(values: Float64Array, a: number, b: number, p: number): number {
  const pos = p * (b - a - 1);
  const lo = Math.floor(pos);
  const x = select(values, a, b - 1, a + lo);
  if (pos === lo) return x;
  let y = Infinity;
  for (let k = a + lo + 1; k < b; k++) if (values[k]! < y) y = values[k]!;
  return x + (y - x) * (pos - lo);
}

/** Hoare quickselect: puts the k-th smallest of values[left..right] at index k and returns it. */
function select(v: Float64Array, left: number, right: number, k: number): number {
  while (right > left) {
    const mid = (left + right) >> 1;
    // Median of three as pivot.
    let a = v[left]!, b = v[mid]!, c = v[right]!;
    if (a > b) { const t = a; a = b; b = t; }
    if (b > c) { b = c; if (a > b) b = a; }
    const pivot = b;
    let i = left, j = right;
    while (i <= j) {
      while (v[i]! < pivot) i++;
      while (v[j]! > pivot) j--;
      if (i <= j) { const t = v[i]!; v[i] = v[j]!; v[j] = t; i++; j--; }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return v[k]!;
  }
  return v[k]!;
}

function distinctSets(c: Collector, kind: RowKind, G: number): Array<Float64Array | string[]> {
  const n = c.count();
  if (kind === "str") {
    const sets: Array<Set<string>> = Array.from({ length: G }, () => new Set());
    const vals = c.values() as Array<string | null>, groups = c.groups();
    for (let k = 0; k < n; k++) sets[groups[k]!]!.add(vals[k]!);
    return sets.map((s) => [...s].sort());
  }
  const { offsets, values } = groupByGroup(c.values() as Float64Array, c.groups(), n, G);
  for (let g = 0; g < G; g++) if (offsets[g + 1]! - offsets[g]! > 1) values.subarray(offsets[g]!, offsets[g + 1]!).sort();
  const sets: Float64Array[] = [];
  for (let g = 0; g < G; g++) {
    const a = offsets[g]!, b = offsets[g + 1]!;
    let u = 0;
    for (let k = a; k < b; k++) if (k === a || values[k] !== values[k - 1]) values[a + u++] = values[k]!;
    sets.push(values.slice(a, a + u));
  }
  return sets;
}

/** Size of the intersection of two ascending, duplicate-free lists. */
export function intersectionSize(a: Float64Array | string[], b: Float64Array | string[]): number {
  let i = 0, j = 0, n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!, y = b[j]!;
    if (x === y) { n++; i++; j++; } else if (x < y) i++; else j++;
  }
  return n;
}
