import type { Format } from "@yardstick/model";

/** How to show a KPI value: its `format` (percent, number, integer, currency, duration) and `unit`. */
export interface DisplaySpec {
  format: Format | null;
  unit: string | null;
}

const CURRENCY = /^[A-Z]{3}$/;
const DURATION_UNITS: Record<string, number> = {
  ms: 1, milliseconds: 1, seconds: 1000, s: 1000, minutes: 60_000, min: 60_000, hours: 3_600_000, h: 3_600_000, days: 86_400_000, d: 86_400_000,
};

function fixed(v: number, decimals: number, grouping = true): string {
  return new Intl.NumberFormat("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: grouping }).format(v);
}

/** Up to `max` decimals, trailing zeros dropped (12.5, 3, 0.333). */
function trimmed(v: number, max: number): string {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: max }).format(v);
}

/**
 * Formats a value for display; full precision stays in the data, only display rounds.
 * - percent: fractions 0..1 as percentages (0.756 → "75.6%", 1 decimal by default);
 * - integer: rounded, with thousands separators;
 * - currency: the unit as ISO 4217 code when it is one (USD → "$1,234.50"), else number + unit;
 * - duration: the value in its unit (hours, days, minutes, seconds; milliseconds by default) as "2d 4h", "3h 15m", "45s";
 * - number (and no format): up to 2 decimals, then the unit ("33.33 points").
 * Null shows as "—".
 */
export function formatValue(value: number | null, spec: DisplaySpec): string {
  if (value === null || !Number.isFinite(value)) return "—";
  const f = spec.format;
  const unit = spec.unit;
  const d = f?.decimals ?? null;
  switch (f?.kind) {
    case "percent": return `${fixed(value * 100, d ?? 1)}%`;
    case "integer": return withUnit(fixed(Math.round(value), 0), unit);
    case "currency": {
      if (unit && CURRENCY.test(unit)) {
        try {
          return new Intl.NumberFormat("en-US", { style: "currency", currency: unit, minimumFractionDigits: d ?? 2, maximumFractionDigits: d ?? 2 }).format(value);
        } catch {
          // not a currency this runtime knows: fall through to number + unit
        }
      }
      return withUnit(fixed(value, d ?? 2), unit);
    }
    case "duration": return formatDuration(value * (DURATION_UNITS[unit ?? "ms"] ?? 1));
    default: return withUnit(d === null ? trimmed(value, 2) : fixed(value, d), unit);
  }
}

function withUnit(text: string, unit: string | null): string {
  return unit ? `${text} ${unit}` : text;
}

/** Milliseconds as the two largest units: "2d 4h", "3h 15m", "4m 30s", "45s", "250ms". */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let rest = Math.round(Math.abs(ms));
  if (rest < 1000) return `${sign}${rest}ms`;
  const parts: Array<[number, string]> = [[86_400_000, "d"], [3_600_000, "h"], [60_000, "m"], [1000, "s"]];
  const out: string[] = [];
  for (const [size, label] of parts) {
    if (rest >= size || out.length > 0) {
      const q = Math.floor(rest / size);
      rest -= q * size;
      if (q > 0 || out.length > 0) out.push(`${q}${label}`);
      if (out.length === 2) break;
    }
  }
  return sign + out.filter((p) => !/^0/.test(p)).join(" ");
}
