import type { Diagnostic } from "@yardstick/model";
import type { EvalRequest } from "../plan/plan.js";
import type { ResultRow } from "../eval/evaluate.js";

/** A value as explain reports it: numbers (never NaN), time values as labels, booleans for conditions. */
export type ExplainValue = number | string | boolean | null;

/**
 * What a node of the tree stands for:
 * - `expr`: an expression (arithmetic, comparison, function call, a group key);
 * - `literal`: a constant, already visible in its parent's text;
 * - `aggregate`: an aggregate over the rows of the group (`share(recommend >= 9)`);
 * - `kpi`: a reference to another KPI, with that KPI's own tree in `explain`;
 * - `time`: `previous` / `change` / `pct_change`, with the two periods as children;
 * - `rows`: rows of a dataset in the group, before any filter;
 * - `filter`: a row filter (the KPI's `where`, a query `--where`, time bounds, an aggregate's
 *   `where`) with the rows it kept (`value`) and dropped (`detail`);
 * - `nulls`: values left out of an aggregate because they are null;
 * - `part`: a count or sum an aggregate is computed from (its numerator, its denominator, ...);
 * - `inner`: the value of a `per` aggregate's inner expression for one inner group;
 * - `window`: the bounds of a trailing window;
 * - `related`: a related-row aggregate: the related rows it matched;
 * - `arm`: one arm of a target or status block, with its condition's value;
 * - `comparison`: the value compared with the target;
 * - `info`: anything else worth saying.
 */
export type ExplainNodeKind =
  | "expr" | "literal" | "aggregate" | "kpi" | "time" | "rows" | "filter" | "nulls" | "part" | "inner"
  | "window" | "related" | "arm" | "comparison" | "info";

export interface ExplainNode {
  kind: ExplainNodeKind;
  /** The expression as it would be written in a spec (`share(recommend >= 9)`), or a description. */
  text: string;
  /** The node's role in its parent: "numerator", "denominator", "previous period 2025-06", ... */
  role?: string;
  /** The raw value for the group: full precision; periods, dates and timestamps as labels. */
  value: ExplainValue;
  /** The value formatted for display (the KPI's format and unit where the value is in its units). */
  display: string;
  /** Why `value` is null. */
  reason?: string;
  /** More facts in words: "kept 34, dropped 2", "15 / 34". */
  detail?: string;
  /** For arms of a status or target block: this arm is the one that applied. */
  chosen?: boolean;
  children: ExplainNode[];
  /** KPI references: the referenced KPI's own explanation for the same group. */
  explain?: ExplainTree;
  /** Windows: a sample of the rows in the window. */
  sample?: RowSample;
}

/** A few rows that contributed, with the columns the KPI reads. */
export interface RowSample {
  dataset: string;
  /** The data file the rows came from, when known. */
  file: string | null;
  /** What `line` counts: lines of a text file, or rows (Parquet). */
  unit: "line" | "row";
  columns: string[];
  rows: Array<{ line: number | null; values: ExplainValue[] }>;
  /** How many rows contributed in all (the sample shows the first ones). */
  total: number;
}

/** The explanation of one KPI value for one group. */
export interface ExplainTree {
  kpi: string;
  label: string | null;
  /** The group explained, as `eval` shows it (dimension name → label). Empty when ungrouped. */
  group: Record<string, ExplainValue>;
  value: number | null;
  display: string;
  reason?: string;
  /** Rows of the KPI's dataset in the group after its filters (KPIs built from KPIs: the smallest n among them). */
  n: number;
  /** The formula as a tree; its root is the KPI's value expression. */
  formula: ExplainNode | null;
  /** The target that applied: its arms in order, and the comparison with the value. Null without a target. */
  target: ExplainNode | null;
  /** How the status was decided: insufficient data, then each status arm in order. Null when the KPI has neither target nor status. */
  status: ExplainNode | null;
  /** The first rows of the group that the KPI read. Null for KPIs built from other KPIs. */
  sample: RowSample | null;
  /** What `evaluate` gives for the same group: explain recomputes the value and must agree with it. */
  evaluated: ResultRow | null;
  /** The groups of the KPI (as `eval` lists them); only on the top-level tree. */
  groups?: Array<Record<string, ExplainValue>>;
  /** How the group was chosen, and anything else the reader should know. */
  notes: string[];
  /** Set when nothing could be explained (unknown KPI, no group matches); `groups` then lists the choices. */
  error?: string;
  diagnostics: Diagnostic[];
}

export interface ExplainOptions {
  kpi: string;
  /** The group to explain: dimension name (or its last part: `segment` for `customer.segment`) → label. */
  group?: Record<string, string>;
  /** Regrouping, filters, bounds and as-of, as for `evaluate`. `kpis` is ignored. */
  request?: EvalRequest;
  /** Rows in each sample (default 5). */
  rows?: number;
}
