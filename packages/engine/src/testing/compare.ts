import type { Tolerance } from "@yardstick/model";

/** A group value as results show it. */
export type GroupLabel = string | number | boolean | null;

/**
 * Whether an actual value meets an expected one. `null` expected means "no value". Absolute
 * tolerance: |actual − expected| ≤ amount. Relative: |actual − expected| ≤ amount × |expected|, so
 * an expected 0 with a relative tolerance needs exactly 0.
 */
export function valuesMatch(expected: number | null, actual: number | null, tolerance: Tolerance): boolean {
  if (expected === null || actual === null) return expected === actual;
  if (!Number.isFinite(actual)) return false;
  const diff = Math.abs(actual - expected);
  // A few ulps of slack so that `0.3 ± 0` accepts 0.1 + 0.2.
  const ulps = 4 * Number.EPSILON * Math.max(Math.abs(actual), Math.abs(expected));
  if (tolerance.kind === "absolute") return diff <= tolerance.amount + ulps;
  if (expected === 0) return actual === 0;
  return diff <= tolerance.amount * Math.abs(expected) + ulps;
}

/** The text of a group value, as written in an expectation key. */
export function labelText(v: GroupLabel): string {
  if (v === null) return "null";
  return String(v);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T/;

/** Whether the key text of an expectation names an actual group value. */
export function keyMatches(expected: string, actual: GroupLabel): boolean {
  const a = labelText(actual);
  if (a === expected) return true;
  if (typeof actual === "number" || (typeof actual === "string" && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(actual))) {
    const x = Number(expected), y = Number(a);
    if (expected.trim() !== "" && Number.isFinite(x) && x === y) return true;
  }
  if (typeof actual === "boolean") return expected === (actual ? "true" : "false");
  if (typeof actual === "string" && INSTANT.test(actual) && INSTANT.test(expected)) {
    const x = Date.parse(expected), y = Date.parse(actual);
    return Number.isFinite(x) && x === y;
  }
  return false;
}

/** Whether an actual group (all dims) is the expected one. */
export function groupMatches(expected: Record<string, string>, actual: Record<string, GroupLabel>): boolean {
  for (const [k, v] of Object.entries(expected)) {
    if (!(k in actual)) return false;
    if (!keyMatches(v, actual[k] ?? null)) return false;
  }
  return true;
}

/** A number as expectations write it: full precision, `null` for no value. */
export function numberText(v: number | null): string {
  if (v === null) return "null";
  if (Object.is(v, -0)) return "0";
  return String(v);
}

export function toleranceText(t: Tolerance): string {
  return t.kind === "absolute" ? `± ${numberText(t.amount)}` : `± ${numberText(+(t.amount * 100).toPrecision(12))}%`;
}

/** A group as one line: `month=2025-01, channel=phone`, or `(all rows)` for no grouping. */
export function groupText(g: Record<string, GroupLabel> | null): string {
  if (!g) return "(all rows)";
  const parts = Object.entries(g).map(([k, v]) => `${k}=${labelText(v)}`);
  return parts.length ? parts.join(", ") : "(all rows)";
}
