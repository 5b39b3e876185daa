import { MS_PER_DAY } from "./civil.js";

/**
 * UTC offsets of an IANA zone, fast enough to call once per row. `Intl` is the only source of
 * zone rules (it works in browsers and Node alike) but costs microseconds per call, so the offsets
 * are sampled once per day over the range in use, every change is located to the second by
 * bisection, and lookups then search the resulting transition table, remembering the last
 * segment hit (rows usually come in time order).
 */
export class ZoneOffsets {
  readonly zone: string;
  readonly fixed: boolean;
  private readonly fmt: Intl.DateTimeFormat | null;
  /** Segment i covers [starts[i], starts[i + 1]) with offset offs[i] (ms); the table covers [lo, hi). */
  private starts: number[] = [];
  private offs: number[] = [];
  private lo = 0;
  private hi = 0;
  private last = -1;

  constructor(zone: string) {
    this.zone = zone;
    this.fixed = zone === "UTC" || zone === "Etc/UTC" || zone === "GMT" || zone === "Etc/GMT";
    this.fmt = this.fixed
      ? null
      : new Intl.DateTimeFormat("en-US", {
          timeZone: zone, hourCycle: "h23", era: "short",
          year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
        });
  }

  /** Offset (local minus UTC, in ms) at the instant `ms`, straight from Intl. */
  probe(ms: number): number {
    if (this.fmt === null) return 0;
    const t = Math.floor(ms / 1000) * 1000;
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, bc = false;
    for (const p of this.fmt.formatToParts(t)) {
      switch (p.type) {
        case "year": y = +p.value; break;
        case "month": mo = +p.value; break;
        case "day": d = +p.value; break;
        case "hour": h = +p.value; break;
        case "minute": mi = +p.value; break;
        case "second": s = +p.value; break;
        case "era": bc = p.value.startsWith("B"); break;
      }
    }
    const date = new Date(0);
    date.setUTCFullYear(bc ? 1 - y : y, mo - 1, d);
    date.setUTCHours(h, mi, s, 0);
    return date.getTime() - t;
  }

  /** Offset (ms) at the instant `ms` (not NaN). */
  offset(ms: number): number {
    if (this.fmt === null || !(ms > -8.6e15 && ms < 8.6e15)) return 0;
    const l = this.last;
    if (l >= 0 && ms >= this.starts[l]! && (l + 1 === this.starts.length ? ms < this.hi : ms < this.starts[l + 1]!)) return this.offs[l]!;
    if (ms < this.lo || ms >= this.hi || this.starts.length === 0) this.cover(ms);
    let a = 0, b = this.starts.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (this.starts[mid]! <= ms) a = mid; else b = mid - 1;
    }
    this.last = a;
    return this.offs[a]!;
  }

  /**
   * The instant whose local wall-clock time is `localMs`, with Temporal's "compatible"
   * disambiguation: a time that occurs twice (clocks turned back) is the earlier instant
   * (2024-10-27T01:00 in Europe/London is 00:00Z); a time that does not exist (clocks turned
   * forward) is shifted forward by the gap (2024-03-10T02:30 in America/Los_Angeles is 10:30Z).
   */
  toUtc(localMs: number): number {
    if (this.fmt === null) return localMs;
    const before = this.offset(localMs - MS_PER_DAY);
    const after = this.offset(localMs + MS_PER_DAY);
    const u1 = localMs - before;
    if (before === after && this.offset(u1) === before) return u1;
    const u2 = localMs - after;
    const ok1 = this.offset(u1) === before;
    const ok2 = this.offset(u2) === after;
    if (ok1 && ok2) return Math.min(u1, u2);
    if (ok2) return u2;
    // Valid with the offset before the transition, or in the gap, where that offset lands after it.
    return u1;
  }

  /** Extends the table to cover `ms` plus a year on each side. */
  private cover(ms: number): void {
    const year = 366 * MS_PER_DAY;
    let lo = Math.floor((ms - year) / MS_PER_DAY) * MS_PER_DAY;
    let hi = lo + 3 * year;
    if (this.starts.length > 0) {
      lo = Math.min(lo, this.lo);
      hi = Math.max(hi, this.hi);
    }
    const span = hi - lo;
    const step = span > 400 * year ? 30 * MS_PER_DAY : span > 60 * year ? 7 * MS_PER_DAY : MS_PER_DAY;
    const starts: number[] = [lo];
    const offs: number[] = [this.probe(lo)];
    let prevT = lo, prevO = offs[0]!;
    for (let t = lo + step; ; t += step) {
      const tt = Math.min(t, hi);
      const o = this.probe(tt);
      if (o !== prevO) {
        let a = prevT, b = tt; // offset(a) = prevO, offset(b) = o
        while (b - a > 1000) {
          const mid = Math.floor((a + b) / 2000) * 1000;
          if (mid <= a || mid >= b) break;
          if (this.probe(mid) === prevO) a = mid; else b = mid;
        }
        starts.push(b);
        offs.push(o);
        prevO = o;
      }
      prevT = tt;
      if (tt >= hi) break;
    }
    this.starts = starts;
    this.offs = offs;
    this.lo = lo;
    this.hi = hi;
    this.last = -1;
  }
}

const cache = new Map<string, ZoneOffsets>();

/** Shared offsets table of a zone (one per zone per process). */
export function zoneOffsets(zone: string): ZoneOffsets {
  let z = cache.get(zone);
  if (!z) {
    z = new ZoneOffsets(zone);
    cache.set(zone, z);
  }
  return z;
}
