import type { ValueType } from "@yardstick/model";

/**
 * Values inside the evaluator. Two representations, chosen statically per expression:
 * - "num": a JS number; null is NaN. Used for int, number, duration, date and timestamp (epoch
 *   ms), bool (1 / 0) and period (an integer per unit, see time/period.ts).
 * - "str": a JS string; null is `null`.
 * Row-level generated code has a third, "code": an index into a string column's dictionary
 * (null is -1), which keeps comparisons and grouping on strings integer work.
 */
export type V = number | string | null;
export type ValueKind = "num" | "str";

export function kindOfType(t: ValueType): ValueKind {
  return t === "string" ? "str" : "num";
}

export function isNullV(v: V): boolean {
  return v === null || v !== v;
}

/** Why a value is null: the `reason` of a result row. */
export const REASONS = {
  noRows: "no rows",
  divisionByZero: "division by zero",
  tooFew: "needs at least 2 values",
  notFinite: "not a finite number",
  notNumber: "the value is not a number",
} as const;

/** Reason codes of aggregate outputs (index into AGG_REASONS). */
export const AGG_REASONS = ["", REASONS.noRows, REASONS.tooFew] as const;
