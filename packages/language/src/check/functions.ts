import type { ValueType } from "@yardstick/model";

/** How a function behaves in the checker. */
export type FunctionKind = "aggregate" | "scalar" | "bucket" | "time-compare" | "kpi-field";

/** Argument kinds: a type family the argument must belong to. */
export type ArgKind = "any" | "number" | "string" | "time" | "bool" | "constant-number" | "unit" | "kpi";

export interface FunctionInfo {
  name: string;
  kind: FunctionKind;
  params: ArgKind[];
  /** Extra trailing params that may be repeated or omitted: min count is `required`. */
  required: number;
  variadic?: boolean;
  /** Return type; "arg" = the type of the first argument; "numeric-arg" = number unless the arg is int. */
  returns: ValueType | "arg";
  signature: string;
  doc: string;
}

const f = (
  name: string,
  kind: FunctionKind,
  params: ArgKind[],
  required: number,
  returns: FunctionInfo["returns"],
  signature: string,
  doc: string,
  variadic = false,
): FunctionInfo => ({ name, kind, params, required, returns, signature, doc, variadic });

/**
 * Every function of the language, with the documentation the editor shows. The checker, the
 * language service and the reference in docs/language.md read this one table.
 */
export const FUNCTIONS: ReadonlyMap<string, FunctionInfo> = new Map(
  [
    f("count", "aggregate", ["any"], 0, "int", "count() | count(x) | count(related_dataset)", "Rows in the group (`count()`), non-null values of `x`, or related rows."),
    f("count_distinct", "aggregate", ["any"], 1, "int", "count_distinct(x)", "Distinct non-null values of `x`."),
    f("sum", "aggregate", ["number"], 1, "arg", "sum(x)", "Sum of the non-null values of `x`; null when there are none."),
    f("avg", "aggregate", ["number"], 1, "number", "avg(x)", "Mean of the non-null values of `x`."),
    f("min", "aggregate", ["any"], 1, "arg", "min(x)", "Smallest non-null value of `x` (numbers, times or strings)."),
    f("max", "aggregate", ["any"], 1, "arg", "max(x)", "Largest non-null value of `x`."),
    f("median", "aggregate", ["number"], 1, "number", "median(x)", "Median, interpolated between the two middle values (percentile_cont 0.5): the median of 1, 2, 3, 4 is 2.5."),
    f("percentile", "aggregate", ["number", "constant-number"], 2, "number", "percentile(x, p)", "The p-th quantile (p in 0..1), interpolated as SQL's percentile_cont."),
    f("share", "aggregate", ["bool"], 1, "number", "share(condition)", "Fraction (0..1) of rows where the condition is true, among rows where it is not null."),
    f("stddev", "aggregate", ["number"], 1, "number", "stddev(x)", "Sample standard deviation (n - 1), as SQL's stddev_samp."),
    f("variance", "aggregate", ["number"], 1, "number", "variance(x)", "Sample variance (n - 1), as SQL's var_samp."),
    f("exists", "aggregate", ["any"], 1, "bool", "exists(related_dataset [where condition])", "True when at least one related row (matching the condition) exists."),
    f("retention", "aggregate", ["any"], 1, "number", "retention(entity)", "Share of the previous period's active entities that are active again in this period."),
    f("previous", "time-compare", ["kpi", "unit"], 1, "number", "previous(kpi [, period])", "The value in the previous period (or the same period one `year` back...). A missing period is missing."),
    f("change", "time-compare", ["kpi", "unit"], 1, "number", "change(kpi [, period])", "Value minus the previous period's value."),
    f("pct_change", "time-compare", ["kpi", "unit"], 1, "number", "pct_change(kpi [, period])", "(value - previous) / |previous|, as a fraction."),
    f("target", "kpi-field", ["kpi"], 1, "number", "target(kpi)", "The target of a KPI for the current group (in status and rule conditions)."),
    f("n", "kpi-field", ["kpi"], 1, "number", "n(kpi)", "The sample size of a KPI for the current group (in status and rule conditions)."),
    f("day", "bucket", ["time"], 1, "period", "day(t)", "The calendar day of `t` in the KPI's time zone."),
    f("week", "bucket", ["time"], 1, "period", "week(t)", "The ISO week of `t` (2025-W02)."),
    f("month", "bucket", ["time"], 1, "period", "month(t)", "The month of `t` (2025-01)."),
    f("quarter", "bucket", ["time"], 1, "period", "quarter(t)", "The quarter of `t` (2025-Q1)."),
    f("year", "bucket", ["time"], 1, "period", "year(t)", "The year of `t` (2025)."),
    f("hours_between", "scalar", ["time", "time"], 2, "number", "hours_between(start, end)", "Hours from `start` to `end` (fractional; negative when end is earlier)."),
    f("days_between", "scalar", ["time", "time"], 2, "number", "days_between(start, end)", "Days from `start` to `end` (fractional; 24-hour days)."),
    f("minutes_between", "scalar", ["time", "time"], 2, "number", "minutes_between(start, end)", "Minutes from `start` to `end`."),
    f("seconds_between", "scalar", ["time", "time"], 2, "number", "seconds_between(start, end)", "Seconds from `start` to `end`."),
    f("date", "scalar", ["time"], 1, "date", "date(t)", "The calendar date of a timestamp in the KPI's time zone."),
    f("now", "scalar", [], 0, "timestamp", "now()", "The evaluation instant (`--as-of`, or the test's `as of`)."),
    f("today", "scalar", [], 0, "date", "today()", "The date of now() in the KPI's time zone."),
    f("period_days", "scalar", [], 0, "int", "period_days()", "Calendar days of the current period, empty days included (for calendar averages)."),
    f("abs", "scalar", ["number"], 1, "arg", "abs(x)", "Absolute value."),
    f("round", "scalar", ["number", "constant-number"], 1, "number", "round(x [, digits])", "Rounds half away from zero to `digits` decimals (default 0)."),
    f("floor", "scalar", ["number"], 1, "number", "floor(x)", "Largest integer not above `x`."),
    f("ceil", "scalar", ["number"], 1, "number", "ceil(x)", "Smallest integer not below `x`."),
    f("sqrt", "scalar", ["number"], 1, "number", "sqrt(x)", "Square root; null for negative `x`."),
    f("ln", "scalar", ["number"], 1, "number", "ln(x)", "Natural logarithm; null for x <= 0."),
    f("exp", "scalar", ["number"], 1, "number", "exp(x)", "e to the power `x`."),
    f("pow", "scalar", ["number", "number"], 2, "number", "pow(x, y)", "`x` to the power `y`."),
    f("greatest", "scalar", ["any", "any"], 1, "arg", "greatest(a, b, ...)", "The largest non-null argument.", true),
    f("least", "scalar", ["any", "any"], 1, "arg", "least(a, b, ...)", "The smallest non-null argument.", true),
    f("coalesce", "scalar", ["any", "any"], 1, "arg", "coalesce(a, b, ...)", "The first argument that is not null.", true),
    f("if", "scalar", ["bool", "any", "any"], 3, "arg", "if(condition, then, else)", "`then` when the condition is true, else `else`."),
    f("lower", "scalar", ["string"], 1, "string", "lower(s)", "Lower-case."),
    f("upper", "scalar", ["string"], 1, "string", "upper(s)", "Upper-case."),
    f("trim", "scalar", ["string"], 1, "string", "trim(s)", "Without leading and trailing white space."),
    f("length", "scalar", ["string"], 1, "int", "length(s)", "Number of characters (Unicode code points)."),
    f("concat", "scalar", ["any", "any"], 1, "string", "concat(a, b, ...)", "Text of the arguments joined; null arguments count as empty.", true),
    f("contains", "scalar", ["string", "string"], 2, "bool", "contains(s, part)", "True when `part` occurs in `s`."),
    f("starts_with", "scalar", ["string", "string"], 2, "bool", "starts_with(s, prefix)", "True when `s` starts with `prefix`."),
    f("ends_with", "scalar", ["string", "string"], 2, "bool", "ends_with(s, suffix)", "True when `s` ends with `suffix`."),
    f("substr", "scalar", ["string", "number", "number"], 2, "string", "substr(s, start [, length])", "Part of `s` from the 1-based `start`."),
  ].map((x) => [x.name, x]),
);

export const BUCKET_UNITS = ["day", "week", "month", "quarter", "year"] as const;

/** Plural and singular spellings of time units in windows and time comparisons. */
export function timeUnit(word: string): (typeof BUCKET_UNITS)[number] | undefined {
  const w = word.toLowerCase().replace(/s$/, "");
  return (BUCKET_UNITS as readonly string[]).includes(w) ? (w as (typeof BUCKET_UNITS)[number]) : undefined;
}
