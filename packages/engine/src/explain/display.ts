import type { TimeUnit, ValueType } from "@yardstick/model";
import { formatDays, MS_PER_DAY } from "../time/civil.js";
import { periodLabel } from "../time/period.js";
import { zoneOffsets } from "../time/zone.js";
import { formatValue, type DisplaySpec } from "../format/format-value.js";
import type { ExplainValue } from "./types.js";

type V = number | string | null;

/**
 * How a node's number is shown: in a KPI's format and unit (the KPI's value, its target, another
 * KPI), as a count, as a share (percent), or as a plain number with up to four decimals and an
 * optional unit (a sum of `amount` in USD).
 */
export type Disp =
  | { kind: "kpi"; spec: DisplaySpec }
  | { kind: "int" }
  | { kind: "percent" }
  | { kind: "plain"; unit: string | null };

export const PLAIN: Disp = { kind: "plain", unit: null };
export const INT: Disp = { kind: "int" };
export const PERCENT: Disp = { kind: "percent" };

export function sameDisp(a: Disp, b: Disp): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const plainFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });
const intFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const pctFmt = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A timestamp as an ISO instant, without milliseconds when they are zero. */
export function instantLabel(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** An instant as local wall-clock time in `zone`: `2025-06-01` at midnight, else `2025-06-01 14:30`. */
export function localLabel(ms: number, zone: string): string {
  const local = ms + zoneOffsets(zone).offset(ms);
  const days = Math.floor(local / MS_PER_DAY);
  const minutes = Math.round((local - days * MS_PER_DAY) / 60_000);
  if (minutes === 0) return formatDays(days);
  return `${formatDays(days)} ${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** The value as JSON: numbers at full precision, booleans for conditions, labels for time values. */
export function rawValue(v: V, vtype: ValueType, unit: TimeUnit | null): ExplainValue {
  if (v === null || (typeof v === "number" && v !== v)) return null;
  if (typeof v === "string") return v;
  if (!Number.isFinite(v)) return null;
  if (unit) return periodLabel(unit, v);
  switch (vtype) {
    case "bool": return v === 1;
    case "date": return formatDays(Math.floor(v / MS_PER_DAY));
    case "timestamp": return instantLabel(v);
    default: return v;
  }
}

/** The value for display. */
export function showValue(v: V, vtype: ValueType, unit: TimeUnit | null, disp: Disp): string {
  const raw = rawValue(v, vtype, unit);
  // A condition is true, false or null (SQL's unknown); any other missing value is a dash.
  if (raw === null) return vtype === "bool" ? "null" : "—";
  if (typeof raw === "boolean") return raw ? "true" : "false";
  if (typeof raw === "string") return typeof v === "string" ? JSON.stringify(raw) : raw;
  return showNumber(raw, disp);
}

export function showNumber(v: number | null, disp: Disp): string {
  if (v === null || !Number.isFinite(v)) return "—";
  switch (disp.kind) {
    case "kpi": return formatValue(v, disp.spec);
    case "int": return intFmt.format(v);
    case "percent": return `${pctFmt.format(v * 100)}%`;
    case "plain": return disp.unit ? `${plainFmt.format(v)} ${disp.unit}` : plainFmt.format(v);
  }
}

/** A count in words: `6,383`. */
export function showCount(n: number): string {
  return intFmt.format(n);
}

/** A cell of a row sample. */
export function showCell(v: V, vtype: ValueType, unit: TimeUnit | null): ExplainValue {
  return rawValue(v, vtype, unit);
}
