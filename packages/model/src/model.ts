import { z } from "zod";
import type { Origin } from "./span.js";

/**
 * The resolved KPI model: the only contract between the front end (`.kpi`, `.kpi.yaml`) and the
 * back ends (the engine, SQL). Plain JSON: names instead of references, every node keeps the
 * origin span of the source it came from.
 */

export const ORIGIN = z.object({ file: z.string(), start: z.number().int(), end: z.number().int() });

export const COLUMN_TYPES = ["string", "int", "number", "bool", "date", "timestamp", "duration"] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];
/** Types of expressions: column types plus `period` (a time bucket such as 2025-01). */
export type ValueType = ColumnType | "period" | "null";
export const VALUE_TYPE = z.enum([...COLUMN_TYPES, "period", "null"]);

export const TIME_UNITS = ["day", "week", "month", "quarter", "year"] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];
export const TIME_UNIT = z.enum(TIME_UNITS);

export const AGGREGATES = [
  "count", "count_distinct", "sum", "avg", "min", "max", "median", "percentile",
  "share", "stddev", "variance", "exists", "retention",
] as const;
export type AggregateFn = (typeof AGGREGATES)[number];

export type Perspective = "customer" | "company";
export type Orientation = "customer-over-company" | "company-over-customer" | "same-side" | "unknown";
export type Direction = "higher" | "lower";
export type Comparator = ">=" | ">" | "<=" | "<" | "=" | "!=";
export type BinaryOperator = "+" | "-" | "*" | "/" | "%" | Comparator | "and" | "or";
export type Literal = string | number | boolean | null;


/** A literal. Dates are "YYYY-MM-DD"; timestamps ISO 8601 (no offset = the KPI's zone); periods "2025-01", "2025-Q1", "2025-W02". Durations are milliseconds. */
export interface LitExpr { op: "lit"; type: ValueType; value: Literal; origin: Origin }
/** A column (source or derived) of the dataset in scope. */
export interface ColExpr { op: "col"; name: string; type: ValueType; origin: Origin }
/** Many-to-one: evaluate `arg` on the row of `dataset` that `relation` (on the scope dataset) points to. */
export interface LookupExpr { op: "lookup"; relation: string; dataset: string; arg: Expr; type: ValueType; origin: Origin }
export interface CallExpr { op: "call"; fn: string; args: Expr[]; type: ValueType; origin: Origin }
export interface UnaryExpr { op: "neg" | "not"; arg: Expr; type: ValueType; origin: Origin }
export interface BinaryExpr { op: "binary"; operator: BinaryOperator; left: Expr; right: Expr; type: ValueType; origin: Origin }
export interface InExpr { op: "in"; arg: Expr; values: Expr[]; negated: boolean; type: "bool"; origin: Origin }
export interface BetweenExpr { op: "between"; arg: Expr; low: Expr; high: Expr; negated: boolean; type: "bool"; origin: Origin }
export interface IsNullExpr { op: "is_null"; arg: Expr; negated: boolean; type: "bool"; origin: Origin }
export interface CaseExpr { op: "case"; whens: Array<{ when: Expr; then: Expr }>; else: Expr | null; type: ValueType; origin: Origin }
/** The time bucket (period) of a date or timestamp, in an IANA zone. */
export interface BucketExpr { op: "bucket"; unit: TimeUnit; arg: Expr; zone: string; type: "period"; origin: Origin }

/**
 * One-to-many: the rows of `dataset` whose column `column` (a relation named `relation`)
 * points to the key `key` of the scope row. Used by related-row aggregates.
 */
export interface RelatedSource { dataset: string; relation: string; column: string; key: string }
export interface Window { count: number; unit: TimeUnit }

/**
 * An aggregate. Without `source` it aggregates the rows of the current group; with `source` it is
 * a row-level value computed over related rows. With `per`, `arg` is itself an aggregate-level
 * expression computed per distinct combination of `per` first (nesting). `p` is percentile's 0..1.
 */
export interface AggExpr {
  op: "agg";
  fn: AggregateFn;
  arg: Expr | null;
  p?: number;
  filter?: Expr;
  per?: Dim[];
  source?: RelatedSource;
  window?: Window;
  type: ValueType;
  origin: Origin;
}
/** Another KPI's value, computed on the same grouping and period. */
export interface KpiRefExpr { op: "kpi"; name: string; type: "number"; origin: Origin }
/** previous / change / pct_change of `arg` (a KPI reference or aggregate expression), stepping by calendar period. */
export interface TimeCompareExpr { op: "previous" | "change" | "pct_change"; arg: Expr; period: TimeUnit | null; type: "number"; origin: Origin }
/** In status and rule conditions: the value, target or sample size of a KPI. */
export interface KpiFieldExpr { op: "field"; field: "value" | "target" | "n"; kpi: string; type: "number"; origin: Origin }
/** In message templates: a group key's value. */
export interface GroupKeyExpr { op: "group_key"; name: string; type: ValueType; origin: Origin }

export type Expr =
  | LitExpr | ColExpr | LookupExpr | CallExpr | UnaryExpr | BinaryExpr | InExpr | BetweenExpr
  | IsNullExpr | CaseExpr | BucketExpr | AggExpr | KpiRefExpr | TimeCompareExpr | KpiFieldExpr | GroupKeyExpr;

/** A grouping dimension: `name` as written (`segment`, `customer.segment`, `month`), its row-level expression. */
export interface Dim { name: string; expr: Expr; origin: Origin }

export interface Column {
  name: string;
  type: ColumnType;
  nullable: boolean;
  key: boolean;
  time: boolean;
  perspective: Perspective | null;
  unit: string | null;
  allowed: { kind: "set"; values: Literal[] } | { kind: "range"; min: Literal; max: Literal } | null;
  /** Set for derived (`let`) columns: a row-level expression over the dataset's columns. */
  derived: Expr | null;
  origin: Origin;
}

export interface Relation { name: string; column: string; dataset: string; key: string; origin: Origin }

export interface Dataset {
  name: string;
  label: string | null;
  /** `path` as written, relative to the directory of `origin.file`. */
  source: { path: string; format: "csv" | "json" | "ndjson" | "parquet" } | null;
  zone: string;
  timeColumn: string | null;
  keys: string[];
  onBadRows: "fail" | "skip";
  columns: Column[];
  relations: Relation[];
  origin: Origin;
}

export interface TargetArm { when: Expr | null; comparator: Comparator; value: Expr; origin: Origin }
export interface StatusArm { label: string; when: Expr | null; origin: Origin }
export interface Format { kind: "percent" | "number" | "integer" | "currency" | "duration"; decimals: number | null }

export interface Ratio {
  numerator: Expr;
  denominator: Expr;
  numeratorPerspective: Perspective | "mixed" | null;
  denominatorPerspective: Perspective | "mixed" | null;
  orientation: Orientation;
}

export interface Kpi {
  name: string;
  label: string | null;
  description: string | null;
  owner: string | null;
  tags: string[];
  from: string | null;
  where: Expr | null;
  value: Expr;
  by: Dim[];
  unit: string | null;
  format: Format | null;
  direction: Direction;
  minSamples: number | null;
  zone: string;
  timeColumn: string | null;
  /** Targets in order; the first arm whose `when` holds for the group applies (`when: null` = else). */
  target: TargetArm[];
  status: StatusArm[];
  ratio: Ratio | null;
  /** KPIs this one reads, directly. */
  dependsOn: string[];
  origin: Origin;
}

export interface TemplatePart { text: string; expr: Expr | null; kpi: string | null }

export interface Rule {
  name: string;
  label: string | null;
  description: string | null;
  kpis: string[];
  when: Expr;
  for: number;
  recover: Expr | null;
  severity: "info" | "warning" | "critical";
  onNoData: "keep" | "resolve" | "fire";
  by: Dim[] | null;
  message: TemplatePart[] | null;
  origin: Origin;
}

export interface Fixture {
  dataset: string;
  columns: string[];
  /** Raw cell text, `null` for an empty cell; parsed by the engine per the column's type. */
  rows: Array<Array<string | null>>;
  /** Origin of each row (for data errors). */
  rowOrigins: Origin[];
  origin: Origin;
}

export interface Tolerance { kind: "absolute" | "relative"; amount: number }
export interface GroupValue<T> { group: Record<string, string>; value: T; tolerance?: Tolerance; origin: Origin }

export type Expectation =
  | { kind: "value"; kpi: string; by: Dim[]; where: Expr | null; expected: number | null; groups: Array<GroupValue<number | null>> | null; tolerance: Tolerance; origin: Origin }
  | { kind: "status"; kpi: string; by: Dim[]; where: Expr | null; expected: string | null; groups: Array<GroupValue<string>> | null; origin: Origin }
  | { kind: "alert"; rule: string; negated: boolean; from: string | null; to: string | null; firing: boolean; origin: Origin };

export interface Test {
  name: string;
  asOf: string | null;
  fixtures: Fixture[];
  expectations: Expectation[];
  origin: Origin;
}

export interface Model {
  version: 1;
  datasets: Dataset[];
  kpis: Kpi[];
  rules: Rule[];
  tests: Test[];
  /** Every source file that contributed, in load order. */
  files: string[];
}

// ---------------------------------------------------------------- zod schemas

const LITERAL = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const COMPARATOR = z.enum([">=", ">", "<=", "<", "=", "!="]);

export const EXPR: z.ZodType<Expr> = z.lazy(() =>
  z.discriminatedUnion("op", [
    z.object({ op: z.literal("lit"), type: VALUE_TYPE, value: LITERAL, origin: ORIGIN }).strict(),
    z.object({ op: z.literal("col"), name: z.string(), type: VALUE_TYPE, origin: ORIGIN }).strict(),
    z.object({ op: z.literal("lookup"), relation: z.string(), dataset: z.string(), arg: EXPR, type: VALUE_TYPE, origin: ORIGIN }).strict(),
    z.object({ op: z.literal("call"), fn: z.string(), args: z.array(EXPR), type: VALUE_TYPE, origin: ORIGIN }).strict(),
    z.object({ op: z.enum(["neg", "not"]), arg: EXPR, type: VALUE_TYPE, origin: ORIGIN }).strict(),
    z.object({ op: z.literal("binary"), operator: z.enum(["+", "-", "*", "/", "%", ">=", ">", "<=", "<", "=", "!=", "and", "or"]), left: EXPR, right: EXPR, type: VALUE_TYPE, origin: ORIGIN }).strict(),
    z.object({ op: z.literal("in"), arg: EXPR, values: z.array(EXPR), negated: z.boolean(), type: z.literal("bool"), origin: ORIGIN }).strict(),
    z.object({ op: z.literal("between"), arg: EXPR, low: EXPR, high: EXPR, negated: z.boolean(), type: z.literal("bool"), origin: ORIGIN }).strict(),
    z.object({ op: z.literal("is_null"), arg: EXPR, negated: z.boolean(), type: z.literal("bool"), origin: ORIGIN }).strict(),
    z.object({ op: z.literal("case"), whens: z.array(z.object({ when: EXPR, then: EXPR }).strict()), else: EXPR.nullable(), type: VALUE_TYPE, origin: ORIGIN }).strict(),
    z.object({ op: z.literal("bucket"), unit: TIME_UNIT, arg: EXPR, zone: z.string(), type: z.literal("period"), origin: ORIGIN }).strict(),
    z.object({
      op: z.literal("agg"), fn: z.enum(AGGREGATES), arg: EXPR.nullable(), p: z.number().min(0).max(1).optional(),
      filter: EXPR.optional(), per: z.array(DIM).optional(),
      source: z.object({ dataset: z.string(), relation: z.string(), column: z.string(), key: z.string() }).strict().optional(),
      window: z.object({ count: z.number().int().positive(), unit: TIME_UNIT }).strict().optional(),
      type: VALUE_TYPE, origin: ORIGIN,
    }).strict(),
    z.object({ op: z.literal("kpi"), name: z.string(), type: z.literal("number"), origin: ORIGIN }).strict(),
    z.object({ op: z.enum(["previous", "change", "pct_change"]), arg: EXPR, period: TIME_UNIT.nullable(), type: z.literal("number"), origin: ORIGIN }).strict(),
    z.object({ op: z.literal("field"), field: z.enum(["value", "target", "n"]), kpi: z.string(), type: z.literal("number"), origin: ORIGIN }).strict(),
    z.object({ op: z.literal("group_key"), name: z.string(), type: VALUE_TYPE, origin: ORIGIN }).strict(),
  ]),
) as z.ZodType<Expr>;

export const DIM: z.ZodType<Dim> = z.lazy(() => z.object({ name: z.string(), expr: EXPR, origin: ORIGIN }).strict());

export const COLUMN = z.object({
  name: z.string(),
  type: z.enum(COLUMN_TYPES),
  nullable: z.boolean(),
  key: z.boolean(),
  time: z.boolean(),
  perspective: z.enum(["customer", "company"]).nullable(),
  unit: z.string().nullable(),
  allowed: z.union([
    z.object({ kind: z.literal("set"), values: z.array(LITERAL) }).strict(),
    z.object({ kind: z.literal("range"), min: LITERAL, max: LITERAL }).strict(),
  ]).nullable(),
  derived: EXPR.nullable(),
  origin: ORIGIN,
}).strict();

export const RELATION = z.object({ name: z.string(), column: z.string(), dataset: z.string(), key: z.string(), origin: ORIGIN }).strict();

export const DATASET = z.object({
  name: z.string(),
  label: z.string().nullable(),
  source: z.object({ path: z.string(), format: z.enum(["csv", "json", "ndjson", "parquet"]) }).strict().nullable(),
  zone: z.string(),
  timeColumn: z.string().nullable(),
  keys: z.array(z.string()),
  onBadRows: z.enum(["fail", "skip"]),
  columns: z.array(COLUMN),
  relations: z.array(RELATION),
  origin: ORIGIN,
}).strict();

const PERSPECTIVE_OR_MIXED = z.enum(["customer", "company", "mixed"]).nullable();

export const KPI = z.object({
  name: z.string(),
  label: z.string().nullable(),
  description: z.string().nullable(),
  owner: z.string().nullable(),
  tags: z.array(z.string()),
  from: z.string().nullable(),
  where: EXPR.nullable(),
  value: EXPR,
  by: z.array(DIM),
  unit: z.string().nullable(),
  format: z.object({ kind: z.enum(["percent", "number", "integer", "currency", "duration"]), decimals: z.number().int().min(0).max(12).nullable() }).strict().nullable(),
  direction: z.enum(["higher", "lower"]),
  minSamples: z.number().int().nonnegative().nullable(),
  zone: z.string(),
  timeColumn: z.string().nullable(),
  target: z.array(z.object({ when: EXPR.nullable(), comparator: COMPARATOR, value: EXPR, origin: ORIGIN }).strict()),
  status: z.array(z.object({ label: z.string(), when: EXPR.nullable(), origin: ORIGIN }).strict()),
  ratio: z.object({
    numerator: EXPR, denominator: EXPR,
    numeratorPerspective: PERSPECTIVE_OR_MIXED, denominatorPerspective: PERSPECTIVE_OR_MIXED,
    orientation: z.enum(["customer-over-company", "company-over-customer", "same-side", "unknown"]),
  }).strict().nullable(),
  dependsOn: z.array(z.string()),
  origin: ORIGIN,
}).strict();

export const RULE = z.object({
  name: z.string(),
  label: z.string().nullable(),
  description: z.string().nullable(),
  kpis: z.array(z.string()).min(1),
  when: EXPR,
  for: z.number().int().positive(),
  recover: EXPR.nullable(),
  severity: z.enum(["info", "warning", "critical"]),
  onNoData: z.enum(["keep", "resolve", "fire"]),
  by: z.array(DIM).nullable(),
  message: z.array(z.object({ text: z.string(), expr: EXPR.nullable(), kpi: z.string().nullable() }).strict()).nullable(),
  origin: ORIGIN,
}).strict();

const TOLERANCE = z.object({ kind: z.enum(["absolute", "relative"]), amount: z.number().nonnegative() }).strict();
const groupValue = <T extends z.ZodTypeAny>(v: T) => z.object({ group: z.record(z.string(), z.string()), value: v, tolerance: TOLERANCE.optional(), origin: ORIGIN }).strict();

export const EXPECTATION = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("value"), kpi: z.string(), by: z.array(DIM), where: EXPR.nullable(), expected: z.number().nullable(), groups: z.array(groupValue(z.number().nullable())).nullable(), tolerance: TOLERANCE, origin: ORIGIN }).strict(),
  z.object({ kind: z.literal("status"), kpi: z.string(), by: z.array(DIM), where: EXPR.nullable(), expected: z.string().nullable(), groups: z.array(groupValue(z.string())).nullable(), origin: ORIGIN }).strict(),
  z.object({ kind: z.literal("alert"), rule: z.string(), negated: z.boolean(), from: z.string().nullable(), to: z.string().nullable(), firing: z.boolean(), origin: ORIGIN }).strict(),
]);

export const FIXTURE = z.object({
  dataset: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string().nullable())),
  rowOrigins: z.array(ORIGIN),
  origin: ORIGIN,
}).strict();

export const TEST = z.object({
  name: z.string(),
  asOf: z.string().nullable(),
  fixtures: z.array(FIXTURE),
  expectations: z.array(EXPECTATION),
  origin: ORIGIN,
}).strict();

export const MODEL = z.object({
  version: z.literal(1),
  datasets: z.array(DATASET),
  kpis: z.array(KPI),
  rules: z.array(RULE),
  tests: z.array(TEST),
  files: z.array(z.string()),
}).strict();

/** Validates a model (for example one read from JSON); returns the zod issues as strings. */
export function validateModel(value: unknown): { ok: true; model: Model } | { ok: false; issues: string[] } {
  const r = MODEL.safeParse(value);
  if (r.success) return { ok: true, model: r.data as Model };
  return { ok: false, issues: r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
}

/** The built-in status every KPI can have, on top of its own labels. */
export const BUILTIN_STATUSES = ["on_target", "off_target", "insufficient_data"] as const;
