import type { Dataset, Dim, Expr, Kpi } from "@yardstick/model";
import { someNode, validOn } from "./walk.js";

/** The time column a KPI buckets by: its own, else its dataset's. */
export function kpiTimeColumn(kpi: Kpi, ds: Dataset): { column: string; type: "date" | "timestamp" } | null {
  const name = kpi.timeColumn ?? ds.timeColumn;
  const col = name ? ds.columns.find((c) => c.name === name) : undefined;
  if (!col) return null;
  return { column: col.name, type: col.type === "date" ? "date" : "timestamp" };
}

/**
 * A grouping dimension as it applies to a KPI on dataset `ds`: the same expression when `ds` can
 * evaluate it; a time bucket re-pointed at the KPI's time column (`by month` means each KPI's own
 * time column); a related column reached from `ds` itself or through another relation to the
 * same dataset. Null when the KPI cannot be grouped by it.
 */
export function bindDim(dim: Dim, kpi: Kpi, ds: Dataset, datasets: Map<string, Dataset>, fromRequest = false): Dim | null {
  const e = dim.expr;
  // A bucket that reads no column (KPIs built from other KPIs write `by quarter` as a bucket of a
  // placeholder) means the time column of whichever KPI is grouped. So does a query-time bucket
  // of some dataset's time column (`--by month`), in the KPI's own zone.
  const placeholder = e.op === "bucket" && !someNode(e.arg, (x) => x.op === "col" || x.op === "lookup");
  const queryTime = fromRequest && e.op === "bucket" && e.arg.op === "col" && [...datasets.values()].some((d) => d.timeColumn === (e.arg as { name: string }).name);
  if (!placeholder && !queryTime && validOn(e, ds, datasets)) return dim;
  if (e.op === "bucket") {
    const time = kpiTimeColumn(kpi, ds);
    if (!time) return null;
    const arg: Expr = { op: "col", name: time.column, type: time.type, origin: e.arg.origin };
    return { ...dim, expr: { ...e, arg, ...(queryTime ? { zone: kpi.zone } : {}) } };
  }
  if (e.op === "lookup") {
    if (e.dataset === ds.name && validOn(e.arg, ds, datasets)) return { ...dim, expr: e.arg };
    const rel = ds.relations.find((r) => r.dataset === e.dataset);
    if (rel) {
      const expr: Expr = { ...e, relation: rel.name };
      if (validOn(expr, ds, datasets)) return { ...dim, expr };
    }
  }
  return null;
}
