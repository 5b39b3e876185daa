import type { Expr, Kpi } from "@yardstick/model";
import { exprKey } from "../plan/expr-key.js";
import { rawValue } from "./display.js";
import { childExprs } from "./facts.js";
import type { ExFrame } from "./frame.js";
import { printExpr } from "./print-expr.js";
import type { RowSample } from "./types.js";

/**
 * The row-level values a KPI reads from its dataset: columns, related columns
 * (`customer.segment`) and related-row aggregates (`sum(orders.amount)`), time columns first.
 * Dimensions the group is keyed by are left out: they are the same on every row of the group.
 */
export function columnsRead(kpi: Kpi, f: ExFrame): Expr[] {
  const time: Expr[] = [], other: Expr[] = [];
  const seen = new Set<string>();
  const add = (x: Expr, list: Expr[]) => {
    const k = exprKey(x);
    if (!seen.has(k)) { seen.add(k); list.push(x); }
  };
  const rowLevel = (x: Expr, list: Expr[]): void => {
    switch (x.op) {
      case "col": case "lookup": add(x, list); return;
      case "agg": if (x.source) { add(x, list); return; } break;
      case "bucket": rowLevel(x.arg, time); return;
    }
    for (const c of childExprs(x)) rowLevel(c, list);
  };
  const groupLevel = (x: Expr): void => {
    if (x.op === "agg" && !x.source) {
      if (x.window && f.ctx?.time) add({ op: "col", name: f.ctx.time.column, type: f.ctx.time.type, origin: x.origin }, time);
      for (const d of x.per ?? []) rowLevel(d.expr, other);
      if (x.per && x.per.length > 0 && x.arg) groupLevel(x.arg);
      else if (x.arg) rowLevel(x.arg, other);
      if (x.filter) rowLevel(x.filter, other);
      return;
    }
    if (x.op === "col" || x.op === "lookup" || x.op === "bucket" || x.op === "agg") return;
    for (const c of childExprs(x)) groupLevel(c);
  };
  for (const d of f.ctx?.dims ?? []) if (d.expr.op === "bucket") rowLevel(d.expr, time);
  if (kpi.where) rowLevel(kpi.where, other);
  groupLevel(kpi.value);
  return [...time, ...other];
}

/** The first `limit` of `rows` (row indexes of the frame's dataset) with the columns the KPI reads. */
export function rowSample(kpi: Kpi, f: ExFrame, rows: number[], limit: number): RowSample | null {
  const ds = f.ds;
  if (!ds) return null;
  const cols = columnsRead(kpi, f);
  const fns = cols.map((c) => ds.compile(c, f.zone));
  const t = ds.table;
  return {
    dataset: ds.decl.name,
    file: t.file,
    unit: t.rowUnit ?? "line",
    columns: cols.map((c) => printExpr(c, kpi.name)),
    rows: rows.slice(0, Math.max(0, limit)).map((r) => ({
      line: t.rowLines ? t.rowLines[r]! : null,
      values: fns.map((fn) => rawValue(fn.at(r), fn.vtype, fn.unit)),
    })),
    total: rows.length,
  };
}
