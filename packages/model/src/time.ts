import type { TimeUnit } from "./model.js";

const zoneCache = new Map<string, boolean>();

/** True when `name` is an IANA time zone this runtime knows (checked through Intl). */
export function isValidTimeZone(name: string): boolean {
  let ok = zoneCache.get(name);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: name });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(name, ok);
  }
  return ok;
}

export type TemporalLiteral =
  | { kind: "date"; text: string }
  | { kind: "timestamp"; text: string; hasOffset: boolean }
  | { kind: "period"; unit: TimeUnit; text: string };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function validYmd(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** ISO weeks in a year: 53 when the year starts on Thursday, or is a leap year starting on Wednesday. */
export function isoWeeksInYear(y: number): number {
  const jan1 = new Date(Date.UTC(y, 0, 1)).getUTCDay();
  const leap = daysInMonth(y, 2) === 29;
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}

/**
 * Reads a bare date, timestamp or period literal (`2025-01-05`, `2025-01-05T10:00Z`, `2025-01`,
 * `2025-Q1`, `2025-W02`, `2025`-as-year is not a literal). Returns null when it is not valid.
 */
export function parseTemporalLiteral(text: string): TemporalLiteral | null {
  let m = DATE_RE.exec(text);
  if (m) return validYmd(+m[1]!, +m[2]!, +m[3]!) ? { kind: "date", text } : null;
  m = TS_RE.exec(text);
  if (m) {
    if (!validYmd(+m[1]!, +m[2]!, +m[3]!)) return null;
    if (+m[4]! > 23 || +m[5]! > 59 || (m[6] !== undefined && +m[6] > 59)) return null;
    return { kind: "timestamp", text, hasOffset: m[8] !== undefined };
  }
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) return +m[2]! >= 1 && +m[2]! <= 12 ? { kind: "period", unit: "month", text } : null;
  m = /^(\d{4})-Q([1-4])$/.exec(text);
  if (m) return { kind: "period", unit: "quarter", text };
  m = /^(\d{4})-W(\d{2})$/.exec(text);
  if (m) return +m[2]! >= 1 && +m[2]! <= isoWeeksInYear(+m[1]!) ? { kind: "period", unit: "week", text } : null;
  return null;
}
