import { z } from "zod";

/**
 * The shape of a `.kpi.yaml` file (see README.md in this folder): one key per `.kpi` clause,
 * expressions as strings in the `.kpi` expression syntax. The schemas check the shape only (types
 * of values, known keys); names, types and expressions are checked by the `.kpi` checker, so a
 * problem that the DSL can have gets the DSL's diagnostic code.
 *
 * Each schema's `error` is the noun phrase of what is expected there ("an expression"), which the
 * validator puts into its messages.
 */

/** Text: strings, and numbers or booleans as written (`label: 2025`). */
const text = z.union([z.string(), z.number(), z.boolean()], { error: "a string" });
/** An expression in the `.kpi` syntax; a bare number or boolean is one too. */
const expr = z.union([z.string(), z.number(), z.boolean()], { error: "an expression (a string in the .kpi expression syntax)" });
/** A name: a dataset, a type, a unit, a format. */
const name = z.string({ error: "a name" });
const number = z.number({ error: "a number" });
const flag = z.boolean({ error: "true or false" });
/** A constant in a list or map: strings, numbers, dates, booleans, null. */
const literal = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: "a constant (a string, number, date, true, false or null)" });
const oneOrMore = <T extends z.ZodType>(item: T, what: string) => z.union([item, z.array(item, { error: what })], { error: what });

export const COLUMN_MAP = z.strictObject({
  type: name.optional(),
  key: flag.optional(),
  time: flag.optional(),
  in: z.union([z.array(literal), z.string(), z.number()], { error: 'a list of allowed values or a range such as "0..10"' }).optional(),
  relation: name.optional(),
  as: name.optional(),
  unit: text.optional(),
  perspective: name.optional(),
  let: expr.optional(),
});

/** A column: its type (`string`, `int?`) or a map with one key per modifier; `let` makes it derived. */
export const COLUMN = z.union([z.string(), COLUMN_MAP], { error: "a column: a type such as `string` or `int?`, or a map with `type`" });

export const DATASET = z.strictObject({
  label: text.optional(),
  from: text.optional(),
  format: name.optional(),
  zone: text.optional(),
  on_bad_rows: name.optional(),
  columns: z.record(z.string(), COLUMN, { error: "a map of columns" }).optional(),
});

export const KPI = z.strictObject({
  label: text.optional(),
  description: text.optional(),
  owner: text.optional(),
  tags: oneOrMore(text, "a string or a list of strings").optional(),
  from: name.optional(),
  where: expr.optional(),
  value: expr.optional(),
  by: oneOrMore(expr, "dimensions: a string such as `channel, month` or a list").optional(),
  unit: text.optional(),
  format: name.optional(),
  decimals: number.optional(),
  direction: z.enum(["higher", "lower"], { error: "higher or lower" }).optional(),
  min_samples: number.optional(),
  zone: text.optional(),
  target: oneOrMore(expr, 'a target such as ">= 30", or a list of them').optional(),
  status: z.record(z.string(), expr, { error: "a map from status label to condition (or `otherwise`)" }).optional(),
});

export const RULE = z.strictObject({
  label: text.optional(),
  description: text.optional(),
  when: expr.optional(),
  for: number.optional(),
  recover_when: expr.optional(),
  severity: name.optional(),
  on_no_data: name.optional(),
  by: oneOrMore(expr, "dimensions: a string such as `channel, month` or a list").optional(),
  message: text.optional(),
});

/** A fixture table: a list of row maps, or `columns` and a `rows` matrix. */
export const TABLE = z.union(
  [
    z.array(z.record(z.string(), literal, { error: "a row: a map from column to value" })),
    z.strictObject({
      columns: z.array(literal, { error: "a list of column names" }).optional(),
      rows: z.array(z.array(literal, { error: "a row: a list of values" }), { error: "a list of rows" }).optional(),
    }),
  ],
  { error: "a table: a list of row maps, or `columns` and `rows`" },
);

/** What an expectation compares with: a value (`25`, `25 ± 1`, `on_target`), a map of groups, or a list of rows. */
const EXPECTED = z.union([literal, z.record(z.string(), literal), z.array(z.array(literal))], {
  error: "an expected value, a map from group to value, or a list of [group..., value] rows",
});

/** `nps = 25` in the `.kpi` syntax, or `{ "nps by month": { 2025-01: 25 } }`. */
export const EXPECTATION = z.union([z.string(), z.record(z.string(), EXPECTED)], { error: "an expectation: a string such as `nps = 25`, or a map such as `{nps: 25}`" });

export const TEST = z.strictObject({
  as_of: literal.optional(),
  given: z.record(z.string(), TABLE, { error: "a map from dataset to table" }).optional(),
  expect: z.union([EXPECTATION, z.array(EXPECTATION)], { error: "a list of expectations" }).optional(),
});

export const FILE = z.strictObject({
  yardstick: number.optional(),
  import: oneOrMore(z.string(), "a path or a list of paths").optional(),
  datasets: z.record(z.string(), DATASET, { error: "a map from dataset name to dataset" }).optional(),
  kpis: z.record(z.string(), KPI, { error: "a map from KPI name to KPI" }).optional(),
  rules: z.record(z.string(), RULE, { error: "a map from rule name to rule" }).optional(),
  tests: z.record(z.string(), TEST, { error: "a map from test name to test" }).optional(),
});

/** Definitions written one per top-level key: `kpi nps:`, `dataset tickets:`, `test "…":`. */
export const DEFINITION_KEY = /^(dataset|kpi|rule|test)\s+(\S.*)$/;

export const DEFINITION_SCHEMAS = { dataset: DATASET, kpi: KPI, rule: RULE, test: TEST } as const;

export type DefinitionKind = keyof typeof DEFINITION_SCHEMAS;

/** The keys each kind of map knows: an unknown key close to one of them is read as it. */
export const KEYS = {
  dataset: Object.keys(DATASET.shape),
  column: Object.keys(COLUMN_MAP.shape),
  kpi: Object.keys(KPI.shape),
  rule: Object.keys(RULE.shape),
  test: Object.keys(TEST.shape),
  table: ["columns", "rows"],
} as const;
