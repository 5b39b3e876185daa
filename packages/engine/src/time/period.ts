import type { TimeUnit } from "@yardstick/model";
import {
  MS_PER_DAY, addMonthsClamped, addMonthsExact, daysFromCivil, daysInMonth, formatDays, isLeapYear, isoYearWeek,
  mondayOfWeekIndex, monthIndexOfDays, padNumber, weekIndexOfDays, weekIndexOfIsoWeek, yearOfDays,
} from "./civil.js";
import { zoneOffsets } from "./zone.js";

/**
 * Periods (time buckets) are integers per unit, so that consecutive periods differ by one and
 * arithmetic on them is integer arithmetic:
 * - day: epoch day; week: ISO week index (weeks since Monday 1969-12-29);
 * - month: year * 12 + month - 1; quarter: year * 4 + quarter - 1; year: the year.
 */
export type PeriodIndex = number;

/** Period of an epoch day. */
export function periodOfDays(unit: TimeUnit, days: number): PeriodIndex {
  switch (unit) {
    case "day": return days;
    case "week": return weekIndexOfDays(days);
    case "month": return monthIndexOfDays(days);
    case "quarter": return Math.floor(monthIndexOfDays(days) / 3);
    case "year": return yearOfDays(days);
  }
}

/** Epoch day on which a period starts. */
export function periodStartDays(unit: TimeUnit, p: PeriodIndex): number {
  switch (unit) {
    case "day": return p;
    case "week": return mondayOfWeekIndex(p);
    case "month": return daysFromCivil(Math.floor(p / 12), (p % 12 + 12) % 12 + 1, 1);
    case "quarter": return daysFromCivil(Math.floor(p / 4), ((p % 4 + 4) % 4) * 3 + 1, 1);
    case "year": return daysFromCivil(p, 1, 1);
  }
}

/** Calendar days in a period (for `period_days()`). */
export function periodDays(unit: TimeUnit, p: PeriodIndex): number {
  switch (unit) {
    case "day": return 1;
    case "week": return 7;
    case "year": return isLeapYear(p) ? 366 : 365;
    default: return periodStartDays(unit, p + 1) - periodStartDays(unit, p);
  }
}

/** Display label: 2025-01-05, 2025-W02, 2025-01, 2025-Q1, 2025. */
export function periodLabel(unit: TimeUnit, p: PeriodIndex): string {
  switch (unit) {
    case "day": return formatDays(p);
    case "week": {
      const [y, w] = isoYearWeek(p);
      return `${padNumber(y, 4)}-W${padNumber(w, 2)}`;
    }
    case "month": return `${padNumber(Math.floor(p / 12), 4)}-${padNumber((p % 12 + 12) % 12 + 1, 2)}`;
    case "quarter": return `${padNumber(Math.floor(p / 4), 4)}-Q${(p % 4 + 4) % 4 + 1}`;
    case "year": return padNumber(p, 4);
  }
}

/** Reads a period label of any unit; null when it is not one. */
export function parsePeriod(text: string): { unit: TimeUnit; index: PeriodIndex } | null {
  let m = /^(-?\d{4,})-(\d{2})-(\d{2})$/.exec(text);
  if (m) {
    const y = +m[1]!, mo = +m[2]!, d = +m[3]!;
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
    return { unit: "day", index: daysFromCivil(y, mo, d) };
  }
  m = /^(-?\d{4,})-W(\d{2})$/.exec(text);
  if (m) {
    const y = +m[1]!, w = +m[2]!;
    const idx = weekIndexOfIsoWeek(y, w);
    return w >= 1 && isoYearWeek(idx)[0] === y ? { unit: "week", index: idx } : null;
  }
  m = /^(-?\d{4,})-(\d{2})$/.exec(text);
  if (m) return +m[2]! >= 1 && +m[2]! <= 12 ? { unit: "month", index: +m[1]! * 12 + +m[2]! - 1 } : null;
  m = /^(-?\d{4,})-Q([1-4])$/.exec(text);
  if (m) return { unit: "quarter", index: +m[1]! * 4 + +m[2]! - 1 };
  m = /^(-?\d{4,})$/.exec(text);
  if (m) return { unit: "year", index: +m[1]! };
  return null;
}

/**
 * The period that `previous(x, step)` compares a period of unit `unit` with: one period back when
 * `step` is null or the unit itself, or the same period one `step` back (the same month last year,
 * the same day last month). Null when no such period exists (29 February one year back, week 53
 * one year back, a step finer than the grouping).
 */
export function shiftPeriod(unit: TimeUnit, p: PeriodIndex, step: TimeUnit | null): PeriodIndex | null {
  if (step === null || step === unit) return p - 1;
  const rank: Record<TimeUnit, number> = { day: 0, week: 1, month: 2, quarter: 3, year: 4 };
  if (rank[step] < rank[unit]) return null;
  const months = step === "month" ? 1 : step === "quarter" ? 3 : 12;
  switch (unit) {
    case "day": {
      if (step === "week") return p - 7;
      return addMonthsExact(p, -months);
    }
    case "week": {
      if (step !== "year") return null;
      const [y, w] = isoYearWeek(p);
      const q = weekIndexOfIsoWeek(y - 1, w);
      return isoYearWeek(q)[0] === y - 1 ? q : null;
    }
    case "month": return p - months;
    case "quarter": return p - months / 3;
    case "year": return p - 1;
  }
}

/** Steps a period back by `count` units of `unit` on an epoch day (for window starts). */
export function addUnits(days: number, unit: TimeUnit, count: number): number {
  switch (unit) {
    case "day": return days + count;
    case "week": return days + 7 * count;
    case "month": return addMonthsClamped(days, count);
    case "quarter": return addMonthsClamped(days, 3 * count);
    case "year": return addMonthsClamped(days, 12 * count);
  }
}

/**
 * A function from an instant (epoch ms, NaN = null) to its period, for the hot path.
 * Dates (`type` "date", stored as UTC midnight) are calendar dates and never shift with a zone.
 */
export function bucketFunction(unit: TimeUnit, type: "date" | "timestamp", zone: string): (ms: number) => number {
  const z = zoneOffsets(zone);
  if (type === "date" || z.fixed) {
    switch (unit) {
      case "day": return (ms) => Math.floor(ms / MS_PER_DAY);
      case "week": return (ms) => Math.floor((Math.floor(ms / MS_PER_DAY) + 3) / 7);
      case "month": return (ms) => (ms === ms ? monthIndexOfDays(Math.floor(ms / MS_PER_DAY)) : NaN);
      case "quarter": return (ms) => (ms === ms ? Math.floor(monthIndexOfDays(Math.floor(ms / MS_PER_DAY)) / 3) : NaN);
      case "year": return (ms) => (ms === ms ? yearOfDays(Math.floor(ms / MS_PER_DAY)) : NaN);
    }
  }
  const local = (ms: number) => Math.floor((ms + z.offset(ms)) / MS_PER_DAY);
  switch (unit) {
    case "day": return (ms) => (ms === ms ? local(ms) : NaN);
    case "week": return (ms) => (ms === ms ? Math.floor((local(ms) + 3) / 7) : NaN);
    case "month": return (ms) => (ms === ms ? monthIndexOfDays(local(ms)) : NaN);
    case "quarter": return (ms) => (ms === ms ? Math.floor(monthIndexOfDays(local(ms)) / 3) : NaN);
    case "year": return (ms) => (ms === ms ? yearOfDays(local(ms)) : NaN);
  }
}

/** The instant a local calendar day starts in `zone` (for dates: the date's UTC midnight). */
export function dayStartInstant(days: number, type: "date" | "timestamp", zone: string): number {
  return type === "date" ? days * MS_PER_DAY : zoneOffsets(zone).toUtc(days * MS_PER_DAY);
}

/** The instant range [start, end) a period covers. */
export function periodRange(unit: TimeUnit, p: PeriodIndex, type: "date" | "timestamp", zone: string): [number, number] {
  return [dayStartInstant(periodStartDays(unit, p), type, zone), dayStartInstant(periodStartDays(unit, p + 1), type, zone)];
}

/** The local calendar day (epoch day) of an instant in `zone`. */
export function localDays(ms: number, zone: string): number {
  return Math.floor((ms + zoneOffsets(zone).offset(ms)) / MS_PER_DAY);
}

/** Local-clock arithmetic: the instant `count` units before/after `ms` at the same wall-clock time. */
export function shiftInstant(ms: number, unit: TimeUnit, count: number, zone: string): number {
  const z = zoneOffsets(zone);
  const local = ms + z.offset(ms);
  const days = Math.floor(local / MS_PER_DAY);
  const within = local - days * MS_PER_DAY;
  return z.toUtc(addUnits(days, unit, count) * MS_PER_DAY + within);
}
