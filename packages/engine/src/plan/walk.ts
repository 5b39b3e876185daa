import type { AggExpr, Dataset, Dim, Expr } from "@yardstick/model";
import { exprKey } from "./expr-key.js";

/** Direct sub-expressions of a node (a lookup's `arg` is on the related dataset). */
export function children(e: Expr): Expr[] {
  switch (e.op) {
    case "lit": case "col": case "kpi": case "field": case "group_key": return [];
    case "lookup": case "neg": case "not": case "is_null": case "bucket": case "previous": case "change": case "pct_change": return [e.arg];
    case "call": return e.args;
    case "binary": return [e.left, e.right];
    case "in": return [e.arg, ...e.values];
    case "between": return [e.arg, e.low, e.high];
    case "case": return [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case "agg": return [...(e.arg ? [e.arg] : []), ...(e.filter ? [e.filter] : []), ...(e.per ?? []).map((d) => d.expr)];
  }
}

export interface GroupVisitor {
  /** An aggregate over the rows of the group. */
  agg(e: AggExpr): void;
  /** A row-level expression read at group level: a grouping dimension, or a value every row must agree on. */
  rowLeaf(e: Expr): void;
  /** A KPI referenced by name (`kpi` or `field`). */
  kpi(name: string): void;
}

/** Walks an aggregate-level expression (a KPI value, target, status condition). */
export function walkGroupLevel(e: Expr, v: GroupVisitor): void {
  switch (e.op) {
    case "agg": if (e.source) v.rowLeaf(e); else v.agg(e); return;
    case "col": case "lookup": case "bucket": v.rowLeaf(e); return;
    case "kpi": v.kpi(e.name); return;
    case "field": v.kpi(e.kpi); return;
    default: for (const c of children(e)) walkGroupLevel(c, v);
  }
}

/** True when any node of `e` satisfies `pred`. */
export function someNode(e: Expr, pred: (e: Expr) => boolean): boolean {
  return pred(e) || children(e).some((c) => someNode(c, pred));
}

/**
 * The position of the grouping dimension a group-level leaf reads, or -1: the same expression, or
 * a column named like the dimension (`channel`, `customer.segment`).
 */
export function dimIndexOf(e: Expr, bound: Array<Dim | null>, names: string[]): number {
  const k = exprKey(e);
  for (let j = 0; j < bound.length; j++) if (bound[j] && exprKey(bound[j]!.expr) === k) return j;
  if (e.op === "col") return names.indexOf(e.name);
  if (e.op === "lookup" && e.arg.op === "col") return names.indexOf(`${e.relation}.${e.arg.name}`);
  return -1;
}

/** True when every column, relation and related dataset `e` reads exists from dataset `ds`. */
export function validOn(e: Expr, ds: Dataset, datasets: Map<string, Dataset>): boolean {
  switch (e.op) {
    case "col": return ds.columns.some((c) => c.name === e.name);
    case "lookup": {
      const rel = ds.relations.find((r) => r.name === e.relation);
      const target = rel ? datasets.get(rel.dataset) : undefined;
      return !!target && validOn(e.arg, target, datasets);
    }
    case "agg": {
      if (e.source) {
        const src = datasets.get(e.source.dataset);
        if (!src || !ds.columns.some((c) => c.name === e.source!.key)) return false;
        return (!e.arg || validOn(e.arg, src, datasets)) && (!e.filter || validOn(e.filter, src, datasets));
      }
      return children(e).every((c) => validOn(c, ds, datasets));
    }
    default: return children(e).every((c) => validOn(c, ds, datasets));
  }
}
