import type { Dataset, Expr, Model } from "@yardstick/model";
import type { Plan } from "./plan.js";
import { children } from "./walk.js";

/** What to load for some plans: which datasets, and which source columns of each. */
export interface LoadProjection {
  /** Datasets the plans read, with the targets of their relations (transitively). */
  datasets: Set<string>;
  /** Source columns per dataset; a dataset not listed loads every column. */
  columns: Map<string, string[]>;
}

/**
 * The datasets and columns that evaluating `plans` reads: every column of a filter, grouping,
 * aggregate, row-level value and time column; the inputs of derived columns; relation and key
 * columns of lookups and related-row aggregates. Relations of the datasets loaded stay checkable
 * (their columns and the targets' keys are included), so a dangling reference still fails the
 * load. A dataset that skips bad rows (`on bad rows skip`) loads every column: which rows it
 * keeps depends on all of them. Columns nobody reads are not loaded, so their values are not
 * checked either; a load of every column (`yardstick check` of data, tests) still checks them.
 */
export function loadProjection(model: Model, plans: readonly Plan[]): LoadProjection {
  const datasets = new Map(model.datasets.map((d) => [d.name, d]));
  const need = new Map<string, Set<string>>();
  const cols = (ds: Dataset) => {
    let s = need.get(ds.name);
    if (!s) need.set(ds.name, (s = new Set()));
    return s;
  };
  const addCol = (ds: Dataset | undefined, name: string) => {
    if (!ds) return;
    const s = cols(ds);
    if (s.has(name)) return;
    s.add(name);
    const decl = ds.columns.find((c) => c.name === name);
    if (decl?.derived) walk(ds, decl.derived);
  };
  const walk = (ds: Dataset | undefined, e: Expr): void => {
    if (!ds) return;
    cols(ds);
    switch (e.op) {
      case "col": addCol(ds, e.name); return;
      case "lookup": {
        const rel = ds.relations.find((r) => r.name === e.relation);
        if (!rel) return;
        addCol(ds, rel.column);
        const target = datasets.get(rel.dataset);
        addCol(target, rel.key);
        walk(target, e.arg);
        return;
      }
      case "agg":
        if (e.source) {
          const src = datasets.get(e.source.dataset);
          addCol(ds, e.source.key);
          addCol(src, e.source.column);
          if (e.arg) walk(src, e.arg);
          if (e.filter) walk(src, e.filter);
          return;
        }
        break;
      default:
        break;
    }
    for (const c of children(e)) walk(ds, c);
  };
  for (const p of plans) {
    for (const c of p.contexts.values()) {
      const ds = datasets.get(c.dataset);
      if (!ds) continue;
      cols(ds);
      if (c.time) addCol(ds, c.time.column);
      for (const f of c.filters) walk(ds, f);
      for (const d of c.dims) walk(ds, d.expr);
      for (const a of c.aggregates.values()) walk(ds, a);
      for (const u of c.uniforms.values()) walk(ds, u);
    }
  }
  // Relations of everything loaded stay checked: their columns, and their targets' keys.
  const queue = [...need.keys()];
  while (queue.length > 0) {
    const ds = datasets.get(queue.pop()!)!;
    for (const rel of ds.relations) {
      addCol(ds, rel.column);
      const target = datasets.get(rel.dataset);
      if (!target) continue;
      const fresh = !need.has(target.name);
      addCol(target, rel.key);
      if (fresh) queue.push(target.name);
    }
  }
  const columns = new Map<string, string[]>();
  for (const [name, s] of need) {
    const ds = datasets.get(name)!;
    if (ds.onBadRows === "skip") continue;
    const source = ds.columns.filter((c) => !c.derived && s.has(c.name)).map((c) => c.name);
    // A table needs at least one column to have rows.
    if (source.length === 0) {
      const first = ds.columns.find((c) => c.key && !c.derived) ?? ds.columns.find((c) => !c.derived);
      if (first) source.push(first.name);
    }
    columns.set(name, source);
  }
  return { datasets: new Set(need.keys()), columns };
}
