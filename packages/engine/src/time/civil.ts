/**
 * Proleptic Gregorian calendar arithmetic on "epoch days" (days since 1970-01-01), after Howard
 * Hinnant's `days_from_civil` / `civil_from_days`. Pure integer math: no Date objects, so it is
 * cheap enough for the per-row hot path.
 */

export const MS_PER_DAY = 86_400_000;

/** Epoch day of a calendar date (month 1..12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year of an epoch day. */
export function yearOfDays(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

/** Month index (year * 12 + month - 1) of an epoch day. */
export function monthIndexOfDays(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 12 + m - 1;
}

/** [year, month 1..12, day 1..31] of an epoch day. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** ISO week index: weeks since the Monday 1969-12-29 (epoch day -3). Consecutive weeks differ by one. */
export function weekIndexOfDays(days: number): number {
  return Math.floor((days + 3) / 7);
}

/** Epoch day of the Monday that starts ISO week index `w`. */
export function mondayOfWeekIndex(w: number): number {
  return w * 7 - 3;
}

/** ISO year and week number (1..53) of an ISO week index. */
export function isoYearWeek(w: number): [number, number] {
  const thursday = mondayOfWeekIndex(w) + 3;
  const y = yearOfDays(thursday);
  return [y, Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1];
}

/** ISO week index of week `week` of ISO year `y` (January 4th is always in week 1). */
export function weekIndexOfIsoWeek(y: number, week: number): number {
  return weekIndexOfDays(daysFromCivil(y, 1, 4)) + week - 1;
}

/** Epoch day plus `months` calendar months; null when that day does not exist (31 Jan + 1 month). */
export function addMonthsExact(days: number, months: number): number | null {
  const [y, m, d] = civilFromDays(days);
  const mi = y * 12 + m - 1 + months;
  const ny = Math.floor(mi / 12);
  const nm = mi - ny * 12 + 1;
  return d > daysInMonth(ny, nm) ? null : daysFromCivil(ny, nm, d);
}

/** Epoch day plus `months` calendar months, clamping the day to the end of the month. */
export function addMonthsClamped(days: number, months: number): number {
  const [y, m, d] = civilFromDays(days);
  const mi = y * 12 + m - 1 + months;
  const ny = Math.floor(mi / 12);
  const nm = mi - ny * 12 + 1;
  return daysFromCivil(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

const pad = (n: number, w: number) => (n < 0 ? "-" + String(-n).padStart(w, "0") : String(n).padStart(w, "0"));

/** `YYYY-MM-DD` of an epoch day. */
export function formatDays(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

export { pad as padNumber };
