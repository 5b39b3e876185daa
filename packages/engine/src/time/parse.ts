import { MS_PER_DAY, daysFromCivil, daysInMonth } from "./civil.js";
import { zoneOffsets } from "./zone.js";

const DATE_RE = /^(-?\d{4,})-(\d{2})-(\d{2})$/;
const TS_RE = /^(-?\d{4,})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Epoch day of `YYYY-MM-DD`; null when invalid. */
export function parseDateDays(text: string): number | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const y = +m[1]!, mo = +m[2]!, d = +m[3]!;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return daysFromCivil(y, mo, d);
}

/**
 * An ISO 8601 timestamp (or a bare date, meaning local midnight) as epoch ms. Without an offset it
 * is wall-clock time in `zone`. Null when invalid.
 */
export function parseInstant(text: string, zone: string): number | null {
  const t = text.trim();
  const days = parseDateDays(t);
  if (days !== null) return zoneOffsets(zone).toUtc(days * MS_PER_DAY);
  const m = TS_RE.exec(t);
  if (!m) return null;
  const y = +m[1]!, mo = +m[2]!, d = +m[3]!, h = +m[4]!, mi = +m[5]!, s = m[6] ? +m[6] : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const frac = m[7] ? Math.floor(+("0." + m[7]) * 1000 + 1e-9) : 0;
  const local = daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000 + frac;
  const off = m[8];
  if (off === undefined) return zoneOffsets(zone).toUtc(local);
  if (off === "Z" || off === "z") return local;
  const sign = off[0] === "-" ? -1 : 1;
  const digits = off.slice(1).replace(":", "");
  const oh = +digits.slice(0, 2), om = digits.length > 2 ? +digits.slice(2, 4) : 0;
  return local - sign * (oh * 60 + om) * 60_000;
}
