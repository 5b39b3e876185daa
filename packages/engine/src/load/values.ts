import { localToUtc } from "./zone.js";

/**
 * Value parsing per declared column type, on UTF-8 bytes `b[s..e)` (already unquoted and trimmed).
 * Every loader and the fixture tables share these functions; they allocate nothing on the happy path.
 * A numeric parser returns NaN for text that is not a valid value of its type.
 *
 * Accepted spellings:
 * - int: a number whose value is a whole number within ±2^53 (`42`, `-7`, `+3`, `3.0`, `1e3`).
 * - number: `[+-]digits[.digits][e[+-]digits]`, also `.5` and `5.`; no `NaN`, `Infinity`, hex or
 *   thousands separators.
 * - bool: true/false, yes/no, 1/0, t/f, y/n, in any case.
 * - date: `YYYY-MM-DD` -> epoch ms of that day's UTC midnight.
 * - timestamp: `YYYY-MM-DD[T| ]hh:mm[:ss[.fraction]]` with `Z` or `±hh:mm` / `±hhmm` / `±hh`; without
 *   an offset the time is read in the dataset's zone. A bare date
 *   is midnight in that zone. -> epoch ms.
 * - duration: ISO 8601 `PnW`, `PnDTnHnMnS` (no years or months: their length varies), or
 *   `[-]h:mm[:ss[.fraction]]`, or a plain number of seconds. -> milliseconds.
 *
 * DST (Temporal's "compatible" rule, implemented in zone.ts): a local time that occurs
 * twice (clocks turned back) is read as its first occurrence, the earlier offset:
 * 2024-11-03T01:30 in America/Los_Angeles is 08:30Z (PDT); a local time that does not exist
 * (clocks turned forward) is shifted forward by the gap: 2024-03-10T02:30 there is 03:30 PDT = 10:30Z.
 */

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MAX_EXACT = 9007199254740992;
const DAY = 86_400_000;

/** Text of ASCII bytes (only used on rare paths: fallbacks and messages). */
export function latin1(b: Uint8Array, s: number, e: number): string {
  let out = "";
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]!);
  return out;
}

const utf8 = new TextDecoder();
/** Text of UTF-8 bytes. */
export function decodeUtf8(b: Uint8Array, s: number, e: number): string {
  return utf8.decode(b.subarray(s, e));
}

export function parseNumber(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 45 || b[i] === 43)) {
    neg = b[i] === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let d = 0;
  while (i < e && (d = b[i]! - 48) >= 0 && d <= 9) {
    mant = mant * 10 + d;
    digits++;
    i++;
  }
  if (i < e && b[i] === 46) {
    i++;
    while (i < e && (d = b[i]! - 48) >= 0 && d <= 9) {
      mant = mant * 10 + d;
      digits++;
      scale++;
      i++;
    }
  }
  if (digits === 0) return NaN;
  let exp = 0;
  if (i < e && (b[i]! | 0x20) === 101) {
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45;
      i++;
    }
    const start = i;
    while (i < e && (d = b[i]! - 48) >= 0 && d <= 9) {
      if (exp < 100000) exp = exp * 10 + d;
      i++;
    }
    if (i === start) return NaN;
    if (eneg) exp = -exp;
  }
  if (i !== e) return NaN;
  const e10 = exp - scale;
  let v: number;
  if (mant <= MAX_EXACT && e10 >= -22 && e10 <= 22) v = e10 < 0 ? mant / POW10[-e10]! : mant * POW10[e10]!;
  else v = Number(latin1(b, neg || b[s] === 43 ? s + 1 : s, e));
  return neg ? -v : v;
}

export function parseInt_(b: Uint8Array, s: number, e: number): number {
  const v = parseNumber(b, s, e);
  return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? v : NaN;
}

/** 1 for true, 0 for false, -1 when not a boolean. */
export function parseBool(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  const c0 = b[s]! | 0x20;
  switch (n) {
    case 1:
      if (c0 === 116 || c0 === 121 || b[s] === 49) return 1; // t y 1
      if (c0 === 102 || c0 === 110 || b[s] === 48) return 0; // f n 0
      return -1;
    case 2:
      return c0 === 110 && (b[s + 1]! | 0x20) === 111 ? 0 : -1; // no
    case 3:
      return c0 === 121 && (b[s + 1]! | 0x20) === 101 && (b[s + 2]! | 0x20) === 115 ? 1 : -1; // yes
    case 4:
      return c0 === 116 && (b[s + 1]! | 0x20) === 114 && (b[s + 2]! | 0x20) === 117 && (b[s + 3]! | 0x20) === 101 ? 1 : -1;
    case 5:
      return c0 === 102 && (b[s + 1]! | 0x20) === 97 && (b[s + 2]! | 0x20) === 108 && (b[s + 3]! | 0x20) === 115 && (b[s + 4]! | 0x20) === 101 ? 0 : -1;
    default:
      return -1;
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digit(b: Uint8Array, i: number): number {
  const d = b[i]! - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}
function two(b: Uint8Array, i: number): number {
  return digit(b, i) * 10 + digit(b, i + 1);
}

/** Epoch days of the first of each month from 1900 to 2155, filled on first use (NaN = not yet). */
const MONTH_START = new Float64Array(256 * 12).fill(NaN);
const MONTH_BASE = 1900;

/** Epoch day of `YYYY-MM-DD` at b[s], or NaN. */
function dateAt(b: Uint8Array, s: number): number {
  const y0 = b[s]! - 48, y1 = b[s + 1]! - 48, y2 = b[s + 2]! - 48, y3 = b[s + 3]! - 48;
  const m0 = b[s + 5]! - 48, m1 = b[s + 6]! - 48, d0 = b[s + 8]! - 48, d1 = b[s + 9]! - 48;
  // A negative digit becomes large as unsigned: one test for all eight.
  if ((y0 >>> 0) > 9 || (y1 >>> 0) > 9 || (y2 >>> 0) > 9 || (y3 >>> 0) > 9 || (m0 >>> 0) > 9 || (m1 >>> 0) > 9 || (d0 >>> 0) > 9 || (d1 >>> 0) > 9) return NaN;
  if (b[s + 4] !== 45 || b[s + 7] !== 45) return NaN;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (m < 1 || m > 12 || d < 1 || (d > 28 && d > daysInMonth(y, m))) return NaN;
  const k = (y - MONTH_BASE) * 12 + m - 1;
  if (k >= 0 && k < MONTH_START.length) {
    let first = MONTH_START[k]!;
    if (first !== first) first = MONTH_START[k] = daysFromCivil(y, m, 1);
    return first + d - 1;
  }
  return daysFromCivil(y, m, d);
}

export function parseDate(b: Uint8Array, s: number, e: number): number {
  if (e - s !== 10) return NaN;
  return dateAt(b, s) * DAY;
}

/** Epoch ms of an ISO timestamp; `zone` applies when the text has no offset. */
export function parseTimestamp(b: Uint8Array, s: number, e: number, zone: string): number {
  const n = e - s;
  if (n < 10) return NaN;
  const day = dateAt(b, s);
  if (day !== day) return NaN;
  if (n === 10) return localToUtc(day * DAY, zone);
  const sep = b[s + 10];
  if ((sep !== 84 && sep !== 32 && sep !== 116) || n < 16 || b[s + 13] !== 58) return NaN;
  const h = two(b, s + 11);
  const mi = two(b, s + 14);
  if (h < 0 || h > 23 || mi < 0 || mi > 59) return NaN;
  let ms = h * 3600_000 + mi * 60_000;
  let i = s + 16;
  if (i < e && b[i] === 58) {
    const sec = two(b, i + 1);
    if (i + 3 > e || sec < 0 || sec > 59) return NaN;
    ms += sec * 1000;
    i += 3;
    if (i < e && (b[i] === 46 || b[i] === 44)) {
      i++;
      let frac = 0;
      let scale = 1;
      const start = i;
      let d = 0;
      while (i < e && (d = b[i]! - 48) >= 0 && d <= 9) {
        if (scale < 1e9) {
          frac = frac * 10 + d;
          scale *= 10;
        }
        i++;
      }
      if (i === start) return NaN;
      ms += (frac * 1000) / scale;
    }
  }
  const local = day * DAY + ms;
  if (i === e) return localToUtc(local, zone);
  const c = b[i];
  if ((c === 90 || c === 122) && i + 1 === e) return local; // Z
  if (c !== 43 && c !== 45) return NaN;
  const oh = two(b, i + 1);
  let om = 0;
  const rest = e - i - 3;
  if (rest === 3 && b[i + 3] === 58) om = two(b, i + 4);
  else if (rest === 2) om = two(b, i + 3);
  else if (rest !== 0) return NaN;
  if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
  const off = (oh * 60 + om) * 60_000;
  return c === 43 ? local - off : local + off;
}

/** Milliseconds of a duration, or NaN. */
export function parseDuration(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let sign = 1;
  if (i < e && (b[i] === 45 || b[i] === 43)) {
    if (b[i] === 45) sign = -1;
    i++;
  }
  if (i < e && (b[i]! | 0x20) === 112) return sign * isoDuration(b, i + 1, e);
  for (let k = i; k < e; k++) if (b[k] === 58) return sign * clockDuration(b, i, e);
  const secs = parseNumber(b, i, e);
  return secs === secs && b[i] !== 45 && b[i] !== 43 ? sign * secs * 1000 : NaN;
}

const UNIT_MS: Record<number, number> = { 119: 7 * DAY, 100: DAY, 104: 3600_000, 109: 60_000, 115: 1000 }; // w d h m s

function isoDuration(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let total = 0;
  let inTime = false;
  let parts = 0;
  let lastRank = -1;
  while (i < e) {
    if ((b[i]! | 0x20) === 116) {
      if (inTime) return NaN;
      inTime = true;
      i++;
      continue;
    }
    const start = i;
    while (i < e && ((b[i]! >= 48 && b[i]! <= 57) || b[i] === 46 || b[i] === 44)) i++;
    if (i === start || i >= e) return NaN;
    const v = parseNumber(b, start, i);
    if (v !== v) return NaN;
    const u = b[i]! | 0x20;
    // Designators in order: W D | T H M S. M before T means months: refused.
    const rank = inTime ? (u === 104 ? 2 : u === 109 ? 3 : u === 115 ? 4 : -1) : u === 119 ? 0 : u === 100 ? 1 : -1;
    if (rank <= lastRank) return NaN;
    lastRank = rank;
    total += v * UNIT_MS[u]!;
    parts++;
    i++;
  }
  return parts > 0 && !(inTime && lastRank < 2) ? total : NaN;
}

function clockDuration(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let h = 0;
  let d = 0;
  while (i < e && (d = b[i]! - 48) >= 0 && d <= 9) {
    h = h * 10 + d;
    i++;
  }
  if (i === s || b[i] !== 58 || i + 3 > e) return NaN;
  const m = two(b, i + 1);
  if (m < 0 || m > 59) return NaN;
  i += 3;
  let sec = 0;
  if (i < e) {
    if (b[i] !== 58) return NaN;
    sec = parseNumber(b, i + 1, e);
    if (!(sec >= 0 && sec < 60) || e - i - 1 < 2 || b[i + 1]! < 48 || b[i + 2]! < 48 || b[i + 2]! > 57) return NaN;
  }
  return h * 3600_000 + m * 60_000 + sec * 1000;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);
/** UTF-8 bytes of `text` in a shared scratch buffer, for running the byte parsers on a string. */
export function utf8Scratch(text: string): { bytes: Uint8Array; length: number } {
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3 + 64);
  const { written } = encoder.encodeInto(text, scratch);
  return { bytes: scratch, length: written };
}
