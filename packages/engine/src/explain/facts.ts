import type { AggExpr, Expr, ValueType } from "@yardstick/model";
import { exprKey } from "../plan/expr-key.js";
import type { AggResult } from "./aggregate-values.js";
import { INT, PERCENT, PLAIN, showCount, showNumber, type Disp } from "./display.js";
import { groupLabels, groupText, keyOf, rowKeys, type ExFrame, type Group } from "./frame.js";
import { gv, node, type GV, type Scope } from "./nodes.js";
import { printExpr } from "./print-expr.js";
import { toNumV, type DatasetView, type RowFn } from "./rows.js";
import type { ExplainNode } from "./types.js";

/*
 * The facts explain states about an aggregate: the rows of the group, each filter with the rows
 * it kept and dropped, related rows matched, nulls left out, and the counts and sums the value
 * is computed from.
 */

export function result(e: AggExpr, s: Scope, res: AggResult, argType: ValueType, children: ExplainNode[], extra: Partial<ExplainNode> = {}): GV {
  const vtype: ValueType = e.fn === "min" || e.fn === "max" ? argType : e.type;
  const v = typeof res.value === "number" && !Number.isFinite(res.value) ? NaN : res.value;
  const p = res.parts;
  // The fraction at a glance: promoters / responses, sum / count.
  if (s.detail && extra.detail === undefined && p.values > 0) {
    if (e.fn === "share" && p.trueRows !== undefined) extra = { ...extra, detail: `${showCount(p.trueRows)} / ${showCount(p.values)}` };
    if (e.fn === "avg" && p.sum !== undefined) extra = { ...extra, detail: `${showNumber(p.sum, PLAIN)} / ${showCount(p.values)}` };
  }
  return gv("aggregate", e, s, v, vtype, null, aggDisp(e, s), res.reason, children, extra);
}

/** Counts are integers, shares percentages, sums and averages in the unit of the column they read. */
export function aggDisp(e: AggExpr, s: Scope): Disp {
  switch (e.fn) {
    case "count": case "count_distinct": return INT;
    case "share": case "retention": return PERCENT;
    case "exists": return PLAIN;
    default: return { kind: "plain", unit: columnUnit(e.arg, s) };
  }
}

export function columnUnit(x: Expr | null, s: Scope): string | null {
  if (!x || x.op !== "col") return null;
  return s.frame.ds?.decl.columns.find((c) => c.name === x.name)?.unit ?? null;
}

/** The rows of the dataset in the group before any filter, then each of the context's filters. */
export function groupRows(f: ExFrame, g: Group, s: Scope): ExplainNode[] {
  const ds = f.ds!;
  const keys = rowKeys(f);
  const key = keyOf(g.ctxTuple);
  const all: number[] = [];
  for (let r = 0; r < keys.length; r++) if (keys[r] === key) all.push(r);
  const where = groupText(groupLabels(f, g));
  const out: ExplainNode[] = [node("rows", `rows of ${ds.decl.name}${where === "all rows" ? "" : ` in ${where}`}`, all.length, "int", null, INT)];
  let rows = all;
  f.ctx!.filters.forEach((x, i) => {
    const fn = f.filters[i]!;
    const kept = rows.filter((r) => toNumV(fn.at(r)) === 1);
    out.push(filterNode(x, filterRole(x, s), rows, kept, s, ds, fn));
    rows = kept;
  });
  return out;
}

export function filterRole(x: Expr, s: Scope): string {
  const k = exprKey(x);
  const kpi = s.inst?.kpi;
  if (kpi?.where && exprKey(kpi.where) === k) return "KPI where";
  const req = s.env.plan.request.where;
  if (req && exprKey(req) === k) return "query where";
  return s.inst ? "time bounds" : "aggregate where";
}

export function filterNode(x: Expr, role: string, before: number[], kept: number[], s: Scope, ds: DatasetView, fn?: RowFn): ExplainNode {
  const f = fn ?? ds.compile(x, s.frame.zone);
  let nulls = 0;
  for (const r of before) { const v = toNumV(f.at(r)); if (v !== v) nulls++; }
  const dropped = before.length - kept.length;
  const children = relatedIn(x).map((rel) => relatedNode(rel, before, s, ds));
  return node("filter", `where ${printExpr(x, s.inst?.kpi.name ?? null)}`, kept.length, "int", null, INT, {
    role, detail: `kept ${showCount(kept.length)}, dropped ${showCount(dropped)}${nulls ? ` (${showCount(nulls)} where the condition is null)` : ""}`, children,
  });
}

/** Related-row aggregates (`sum(orders.amount)`, `exists(usage)`) a row-level expression reads. */
export function relatedIn(x: Expr | null | undefined): AggExpr[] {
  const out: AggExpr[] = [];
  const seen = new Set<string>();
  const walk = (e: Expr) => {
    if (e.op === "agg" && e.source) {
      const k = exprKey(e);
      if (!seen.has(k)) { seen.add(k); out.push(e); }
      return;
    }
    for (const c of childExprs(e)) walk(c);
  };
  if (x) walk(x);
  return out;
}

export function childExprs(e: Expr): Expr[] {
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

/** A related-row aggregate over the scope rows `rows`: the related rows it matched. */
export function relatedNode(a: AggExpr, rows: number[], s: Scope, ds: DatasetView): ExplainNode {
  const rel = ds.relatedRows(a);
  const text = printExpr(a, s.inst?.kpi.name ?? null);
  if (!rel) return node("related", text, NaN, "int", null, INT, { reason: `no data for dataset "${a.source!.dataset}"` });
  const filter = a.filter ? rel.src.compile(a.filter, s.frame.zone) : null;
  let matched = 0, kept = 0, withAny = 0;
  for (const r of rows) {
    const list = rel.rows[r]!;
    matched += list.length;
    const k = filter ? list.filter((x) => toNumV(filter.at(x)) === 1).length : list.length;
    kept += k;
    if (k > 0) withAny++;
  }
  const src = a.source!.dataset, scope = ds.decl.name;
  const children: ExplainNode[] = [node("part", `${src} rows related to these ${showCount(rows.length)} ${scope} rows (via ${a.source!.relation})`, matched, "int", null, INT)];
  if (a.filter) children.push(node("filter", `where ${printExpr(a.filter)}`, kept, "int", null, INT, { role: "related where", detail: `kept ${showCount(kept)}, dropped ${showCount(matched - kept)}` }));
  children.push(node("part", `${scope} rows with at least one related row`, withAny, "int", null, INT, { detail: `${showCount(rows.length - withAny)} with none` }));
  return node("related", text, kept, "int", null, INT, {
    role: "related rows", detail: `one value per ${scope} row, over its ${src} rows; ${showCount(kept)} matched`, children,
  });
}

/** The counts and sums an aggregate is computed from. */
export function partNodes(e: AggExpr, res: AggResult, s: Scope, what = e.arg ? printExpr(e.arg, s.inst?.kpi.name ?? null) : "rows"): ExplainNode[] {
  const p = res.parts;
  const out: ExplainNode[] = [];
  const part = (text: string, v: number | undefined, disp: Disp = INT, extra: Partial<ExplainNode> = {}) =>
    out.push(node("part", text, v ?? NaN, "number", null, disp, extra));
  if (e.arg && p.nulls > 0) out.push(node("nulls", `${what} is null (left out)`, p.nulls, "int", null, INT));
  else if (e.arg && e.fn !== "count") out.push(node("nulls", `${what} is null (left out)`, 0, "int", null, INT));
  const unit: Disp = { kind: "plain", unit: columnUnit(e.arg, s) };
  switch (e.fn) {
    case "count": if (e.arg) part(`values of ${what} counted`, p.values); break;
    case "count_distinct": part(`non-null values of ${what}`, p.values); part(`distinct values`, p.distinct); break;
    case "sum": part(`values of ${what} summed`, p.values); break;
    case "avg":
      part(`sum of ${what}`, p.sum, unit, { role: "numerator" });
      part(`values of ${what}`, p.values, INT, { role: "denominator" });
      break;
    case "share":
      part(`rows where ${what}`, p.trueRows, INT, { role: "numerator" });
      part(`rows where ${what} is true or false`, p.values, INT, { role: "denominator" });
      break;
    case "min": case "max": part(`values of ${what} compared`, p.values); break;
    case "median": case "percentile":
      part(`values of ${what}`, p.values);
      if (p.rank !== undefined) {
        part(`rank ${e.fn === "median" ? 0.5 : e.p} × (n − 1)`, p.rank, PLAIN, {
          detail: p.lower === p.upper ? "an exact rank" : `between ${p.lower} and ${p.upper}, interpolated`,
        });
      }
      break;
    case "stddev": case "variance": part(`values of ${what}`, p.values); if (p.mean !== undefined) part("mean", p.mean, unit); break;
    case "exists": part(`non-null values of ${what}`, p.values); break;
    case "retention": break;
  }
  return out;
}
