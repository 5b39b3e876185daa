import type { AggregateFn } from "@yardstick/model";

type V = number | string | null;

/** What an aggregate was computed from: the counts and sums explain shows as its children. */
export interface AggParts {
  /** Rows (or values) the aggregate saw, nulls included. */
  rows: number;
  /** Null values left out. */
  nulls: number;
  /** Non-null values used. */
  values: number;
  /** sum / avg: the sum of the values. */
  sum?: number;
  /** share: rows where the condition is true. */
  trueRows?: number;
  /** count_distinct: distinct values. */
  distinct?: number;
  /** median / percentile: the rank p * (n - 1) and the two values interpolated between. */
  rank?: number;
  lower?: number;
  upper?: number;
  /** stddev / variance: the mean of the values. */
  mean?: number;
}

export interface AggResult {
  value: V;
  reason: string | null;
  parts: AggParts;
}

const NO_ROWS = "no rows";
const TOO_FEW = "needs at least 2 values";

/**
 * An aggregate over the values of one group, in row order, with the evaluator's semantics
 * (eval/README.md): nulls skipped, `count()` counts rows (`kind` null: no argument), sums in row
 * order so that floating-point results are the same to the last bit, continuous percentiles,
 * sample variance by Welford's algorithm. `retention` is not computed here (it needs two periods).
 */
export function aggregateValues(fn: AggregateFn, p: number | undefined, kind: "num" | "str" | null, vals: V[]): AggResult {
  const rows = vals.length;
  const present = kind === null ? vals : vals.filter((v) => v !== null && v === v);
  const parts: AggParts = { rows, nulls: kind === null ? 0 : rows - present.length, values: present.length };
  const out = (value: V, reason: string | null = null): AggResult => ({ value, reason: value === null || value !== value ? reason ?? NO_ROWS : null, parts });
  switch (fn) {
    case "count": return out(present.length);
    case "exists": return out(present.length > 0 ? 1 : 0);
    case "sum":
    case "avg": {
      let sum = 0;
      for (const v of present) sum += v as number;
      parts.sum = sum;
      if (present.length === 0) return out(NaN);
      return out(fn === "sum" ? sum : sum / present.length);
    }
    case "share": {
      let t = 0;
      for (const v of present) if (v === 1) t++;
      parts.trueRows = t;
      return out(present.length === 0 ? NaN : t / present.length);
    }
    case "min":
    case "max": {
      if (kind === "str") {
        let best: string | null = null;
        for (const v of present as string[]) if (best === null || (fn === "min" ? v < best : v > best)) best = v;
        return out(best);
      }
      let best = NaN;
      for (const v of present as number[]) if (fn === "min" ? !(v >= best) : !(v <= best)) best = v;
      return out(best);
    }
    case "stddev":
    case "variance": {
      let n = 0, mu = 0, m2 = 0;
      for (const v of present as number[]) { n++; const d = v - mu; mu += d / n; m2 += d * (v - mu); }
      if (n > 0) parts.mean = mu;
      if (n < 2) return out(NaN, n === 0 ? NO_ROWS : TOO_FEW);
      const variance = Math.max(0, m2 / (n - 1));
      return out(fn === "variance" ? variance : Math.sqrt(variance));
    }
    case "median":
    case "percentile": {
      const q = fn === "median" ? 0.5 : p ?? 0.5;
      const sorted = Float64Array.from(present as number[]).sort();
      if (sorted.length === 0) return out(NaN);
      const pos = q * (sorted.length - 1);
      const lo = Math.floor(pos);
      const x = sorted[lo]!;
      parts.rank = pos;
      parts.lower = x;
      if (pos === lo) { parts.upper = x; return out(x); }
      const y = sorted[lo + 1]!;
      parts.upper = y;
      return out(x + (y - x) * (pos - lo));
    }
    case "count_distinct":
    case "retention": {
      const d = new Set(present).size;
      parts.distinct = d;
      return out(d);
    }
  }
}
