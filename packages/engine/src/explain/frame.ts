import type { Dim, Expr, TimeUnit, ValueType } from "@yardstick/model";
import type { ContextPlan } from "../plan/plan.js";
import { exprKey } from "../plan/expr-key.js";
import { formatDays, MS_PER_DAY } from "../time/civil.js";
import { periodLabel, shiftPeriod } from "../time/period.js";
import { toNumV, type DatasetView, type RowFn } from "./rows.js";
import type { ExplainValue } from "./types.js";

/** A group key component, as the evaluator keeps it: period index, string, number (ms), boolean, or null. */
export type Raw = string | number | boolean | null;

export interface Group {
  /** JSON of `tuple`. */
  key: string;
  /** One value per dimension of the frame (null for a dimension the KPI cannot be grouped by). */
  tuple: Raw[];
  /** The values of the context's (bound) dimensions only. */
  ctxTuple: Raw[];
  /** Rows of the dataset in the group that pass the context's filters, in row order. */
  rows: number[];
  n: number;
}

/**
 * The groups one expression is evaluated over, like the evaluator's frame: a KPI instance's
 * groups (its requested dimensions, each bound to the KPI's dataset or not), or the finer groups
 * of a `per` aggregate. Groups are listed in order of first appearance in the rows.
 */
export interface ExFrame {
  zone: string;
  ctx: ContextPlan | null;
  ds: DatasetView | null;
  names: string[];
  bound: Array<Dim | null>;
  /** Per dimension: it has a meaning in this frame (the evaluator's non-null `meta`). */
  hasMeta: boolean[];
  units: Array<TimeUnit | null>;
  vtypes: ValueType[];
  groups: Group[];
  index: Map<string, Group>;
  /** Rows passing the context's filters (all rows when there are none); empty without a context. */
  sel: number[];
  /** The context's filters, compiled, in order. */
  filters: RowFn[];
  /** The context's dimensions, compiled. */
  dimFns: RowFn[];
  /** Per row of the dataset, the context tuple and its key (computed on first use). */
  rowTuples: Raw[][] | null;
  rowKeys: string[] | null;
}

export function keyOf(t: Raw[]): string {
  return JSON.stringify(t);
}

export function rawOf(f: RowFn, r: number): Raw {
  const v = f.at(r);
  if (v === null || (typeof v === "number" && v !== v)) return null;
  if (f.vtype === "bool" && typeof v === "number") return v === 1;
  return v;
}

/** The frame of a context plan: its rows filtered and grouped by its dimensions. */
export function contextFrame(cp: ContextPlan, ds: DatasetView | null, names: string[], bound: Array<Dim | null>): ExFrame {
  const J = names.length;
  const f: ExFrame = {
    zone: cp.zone, ctx: cp, ds, names, bound, hasMeta: bound.map((b) => b !== null), units: new Array(J).fill(null),
    vtypes: bound.map((b) => b?.expr.type ?? "string"), groups: [], index: new Map(), sel: [], filters: [], dimFns: [], rowTuples: null, rowKeys: null,
  };
  if (!ds) return f;
  f.filters = cp.filters.map((x) => ds.compile(x, cp.zone));
  f.dimFns = cp.dims.map((d) => ds.compile(d.expr, cp.zone));
  const positions: number[] = [];
  bound.forEach((b, j) => { if (b) positions.push(j); });
  positions.forEach((j, i) => { f.units[j] = f.dimFns[i]!.unit; f.vtypes[j] = f.dimFns[i]!.vtype; });
  for (let r = 0; r < ds.rowCount; r++) {
    if (!f.filters.every((x) => toNumV(x.at(r)) === 1)) continue;
    f.sel.push(r);
    const ctxTuple = f.dimFns.map((d) => rawOf(d, r));
    const tuple: Raw[] = new Array(J).fill(null);
    positions.forEach((j, i) => (tuple[j] = ctxTuple[i]!));
    const key = keyOf(tuple);
    let g = f.index.get(key);
    if (!g) {
      g = { key, tuple, ctxTuple, rows: [], n: 0 };
      f.index.set(key, g);
      f.groups.push(g);
    }
    g.rows.push(r);
    g.n++;
  }
  if (cp.dims.length === 0 && f.groups.length === 0) {
    // Ungrouped, there is always exactly one group, even without rows.
    const g: Group = { key: keyOf(new Array(J).fill(null)), tuple: new Array(J).fill(null), ctxTuple: [], rows: [], n: 0 };
    f.groups.push(g);
    f.index.set(g.key, g);
  }
  return f;
}

/** Context tuples of every row of the dataset, filters ignored. */
export function rowTuples(f: ExFrame): Raw[][] {
  if (!f.rowTuples) {
    const n = f.ds?.rowCount ?? 0;
    f.rowTuples = new Array(n);
    for (let r = 0; r < n; r++) f.rowTuples[r] = f.dimFns.map((d) => rawOf(d, r));
  }
  return f.rowTuples;
}

/** Context tuple keys of every row of the dataset, filters ignored. */
export function rowKeys(f: ExFrame): string[] {
  if (!f.rowKeys) f.rowKeys = rowTuples(f).map(keyOf);
  return f.rowKeys;
}

/** The position of the dimension a group-level leaf reads, or -1 (as the evaluator decides it). */
export function dimIndexOf(e: Expr, f: ExFrame): number {
  const k = exprKey(e);
  for (let j = 0; j < f.bound.length; j++) if (f.bound[j] && exprKey(f.bound[j]!.expr) === k) return j;
  if (e.op === "col") return f.names.indexOf(e.name);
  if (e.op === "lookup" && e.arg.op === "col") return f.names.indexOf(`${e.relation}.${e.arg.name}`);
  return -1;
}

/** The position of the time bucket (the last dimension with a period unit), or -1. */
export function timeDim(f: ExFrame): number {
  for (let j = f.units.length - 1; j >= 0; j--) if (f.hasMeta[j] && f.units[j]) return j;
  return -1;
}

/** A dimension value as the result shows it. */
export function labelOf(f: ExFrame, j: number, v: Raw): ExplainValue {
  if (v === null || !f.hasMeta[j]) return v;
  if (typeof v === "number") {
    if (f.units[j]) return periodLabel(f.units[j]!, v);
    if (f.vtypes[j] === "date") return formatDays(Math.floor(v / MS_PER_DAY));
    if (f.vtypes[j] === "timestamp") return new Date(v).toISOString();
  }
  return v;
}

export function groupLabels(f: ExFrame, g: Group): Record<string, ExplainValue> {
  const out: Record<string, ExplainValue> = {};
  f.names.forEach((name, j) => (out[name] = labelOf(f, j, g.tuple[j] ?? null)));
  return out;
}

/** `customer.segment=smb, month=2025-07`, or `all rows` when ungrouped. */
export function groupText(labels: Record<string, ExplainValue>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v === null ? "∅" : String(v)}`);
  return parts.length ? parts.join(", ") : "all rows";
}

/** The group of the period `step` before `g` (or null), and its label. */
export function previousGroup(f: ExFrame, g: Group, step: TimeUnit | null): { group: Group | null; label: string; current: string } | null {
  const td = timeDim(f);
  if (td < 0) return null;
  const unit = f.units[td]!;
  const p = g.tuple[td];
  const current = typeof p === "number" ? periodLabel(unit, p) : "none";
  if (typeof p !== "number") return { group: null, label: "none", current };
  const q = shiftPeriod(unit, p, step);
  if (q === null) return { group: null, label: "none", current };
  const t = [...g.tuple];
  t[td] = q;
  return { group: f.index.get(keyOf(t)) ?? null, label: periodLabel(unit, q), current };
}
