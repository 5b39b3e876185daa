import type { TimeUnit } from "@yardstick/model";
import { MS_PER_DAY } from "../time/civil.js";
import { bucketFunction } from "../time/period.js";
import { zoneOffsets } from "../time/zone.js";

/**
 * Time buckets of a column by table lookup instead of zone arithmetic per row. Per UTC day d of
 * the column's range: the period at the day's start (`p0[d]`), the instant `cut[d]` at which the
 * local calendar moves on to the next period within that day, and the period from then on
 * (`p1[d]`). A UTC day on which the zone's offset changes is marked (p0 = NaN) and its rows take
 * the exact per-row function, as do instants outside the range.
 *
 * Exact: where the offset is constant over a UTC day, local time runs monotonically through it
 * and crosses at most one local midnight (every period boundary is a local midnight), so the
 * bucket changes at most once, at an instant found by bisection with the per-row function itself.
 */
export interface BucketTable {
  /** UTC midnight of day 0. */
  base: number;
  days: number;
  cut: Float64Array;
  p0: Float64Array;
  p1: Float64Array;
  /** The per-row function, for marked days and instants outside the table. */
  slow: (ms: number) => number;
}

/** Largest table (days); longer ranges keep the per-row function. */
const MAX_DAYS = 1 << 18;

const cache = new WeakMap<object, Map<string, BucketTable | null>>();

/** The table of `unit` buckets for instants in [lo, hi] (a column's range), cached per column array. */
export function bucketTable(owner: object, unit: TimeUnit, type: "date" | "timestamp", zone: string, lo: number, hi: number): BucketTable | null {
  let byKey = cache.get(owner);
  if (!byKey) { byKey = new Map(); cache.set(owner, byKey); }
  const key = `${unit}|${type}|${zone}|${lo}|${hi}`;
  let t = byKey.get(key);
  if (t === undefined) {
    t = buildTable(unit, type, zone, lo, hi);
    byKey.set(key, t);
  }
  return t;
}

function buildTable(unit: TimeUnit, type: "date" | "timestamp", zone: string, lo: number, hi: number): BucketTable | null {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi >= lo)) return null;
  const base = Math.floor(lo / MS_PER_DAY) * MS_PER_DAY;
  const days = Math.floor((hi - base) / MS_PER_DAY) + 1;
  if (days > MAX_DAYS) return null;
  const f = bucketFunction(unit, type, zone);
  const z = type === "date" ? null : zoneOffsets(zone);
  const cut = new Float64Array(days).fill(Infinity), p0 = new Float64Array(days), p1 = new Float64Array(days);
  for (let d = 0; d < days; d++) {
    const start = base + d * MS_PER_DAY, last = start + MS_PER_DAY - 1;
    if (z && !z.fixed && z.offset(start) !== z.offset(last)) { p0[d] = NaN; p1[d] = NaN; continue; }
    const a = f(start), b = f(last);
    p0[d] = a;
    p1[d] = b;
    if (a === b) continue;
    // The first instant of the day in period b (whole milliseconds: instants are epoch ms).
    let l = start, h = last;
    while (h - l > 1) {
      const mid = Math.floor((l + h) / 2);
      if (f(mid) === a) l = mid; else h = mid;
    }
    cut[d] = h;
  }
  return { base, days, cut, p0, p1, slow: f };
}

const ranges = new WeakMap<object, { lo: number; hi: number } | null>();

/** Min and max of a column's non-null values (cached per column array); null when it has none. */
export function columnRange(data: Float64Array): { lo: number; hi: number } | null {
  let r = ranges.get(data);
  if (r === undefined) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    r = hi < lo ? null : { lo, hi };
    ranges.set(data, r);
  }
  return r;
}
