import {
  diagnostic, type AggExpr, type Dataset, type Diagnostic, type Dim, type Expr, type Kpi, type Model, type Origin,
} from "@yardstick/model";
import { formatDays } from "../time/civil.js";
import { parseInstant } from "../time/parse.js";
import { parsePeriod, periodStartDays } from "../time/period.js";
import { bindDim, kpiTimeColumn } from "./bind.js";
import { exprKey } from "./expr-key.js";
import { dimIndexOf, validOn, walkGroupLevel } from "./walk.js";

/** What to compute: which KPIs, regrouped, refiltered and bounded in time. See evaluate(). */
export interface EvalRequest {
  /** KPIs to report (default: all, in model order). Their dependencies are computed, not reported. */
  kpis?: string[];
  /** Grouping that replaces every KPI's own `by`. */
  by?: Dim[];
  /** Extra row filter on every KPI's dataset; KPIs whose dataset lacks its columns are skipped. */
  where?: Expr;
  /** Inclusive lower bound on the KPI's time column: a date, ISO timestamp or period label (its first day), in the KPI's zone. */
  from?: string;
  /** Exclusive upper bound on the KPI's time column. */
  to?: string;
  /** ISO timestamp used as "now" (now(), today(), windows of ungrouped KPIs); default: the current time. */
  asOf?: string;
}

/** Rows of one dataset, filtered and grouped one way; every aggregate over them is computed in one pass. */
export interface ContextPlan {
  key: string;
  dataset: string;
  zone: string;
  filters: Expr[];
  dims: Dim[];
  time: { column: string; type: "date" | "timestamp" } | null;
  /** Deduplicated by structural key: identical aggregates are computed once per context. */
  aggregates: Map<string, AggExpr>;
  /** Row-level values read at group level that are not dimensions (all rows of a group must agree). */
  uniforms: Map<string, Expr>;
  /** For each `per` aggregate: the context its inner expression is computed in. */
  subs: Map<string, string>;
}

/** One KPI on one grouping. */
export interface InstancePlan {
  key: string;
  kpi: Kpi;
  /** The grouping as requested: names as written are the result's group keys. */
  dims: Dim[];
  /** Per requested dimension: the dimension on this KPI's dataset, or null when it cannot group by it. */
  bound: Array<Dim | null>;
  context: string | null;
  /** Referenced KPI name → instance key (on the same grouping). */
  refs: Map<string, string>;
  skipped: string | null;
}

export interface Plan {
  model: Model;
  request: EvalRequest;
  asOfMs: number;
  instances: Map<string, InstancePlan>;
  /** Instance keys, dependencies first. */
  order: string[];
  /** Instance keys of the KPIs to report, in model order. */
  outputs: string[];
  contexts: Map<string, ContextPlan>;
  diagnostics: Diagnostic[];
}

const at = (o: Origin) => ({ file: o.file, span: { start: o.start, end: o.end } });

/**
 * Plans an evaluation: orders KPI instances so that references come first (cycles are reported),
 * binds the grouping to each KPI's dataset, and gathers every aggregate by context so that each
 * context is scanned once and identical aggregates are computed once.
 */
export function plan(model: Model, request: EvalRequest = {}): Plan {
  const datasets = new Map(model.datasets.map((d) => [d.name, d]));
  const kpis = new Map(model.kpis.map((k) => [k.name, k]));
  const diagnostics: Diagnostic[] = [];
  let asOfMs = Date.now();
  if (request.asOf !== undefined) {
    const t = parseInstant(request.asOf, "UTC");
    if (t === null) diagnostics.push(diagnostic("invalid-literal", { text: request.asOf, kind: "timestamp", hint: "Write an ISO timestamp such as 2025-03-31T00:00:00Z." }));
    else asOfMs = t;
  }
  const p: Plan = { model, request, asOfMs, instances: new Map(), order: [], outputs: [], contexts: new Map(), diagnostics };
  const stack: string[] = [];
  const requestDims = new Set(request.by ?? []);

  const context = (ds: Dataset, zone: string, filters: Expr[], dims: Dim[], time: ContextPlan["time"]): ContextPlan => {
    const key = exprKey({ dataset: ds.name, zone, filters, dims: dims.map((d) => d.expr) });
    let c = p.contexts.get(key);
    if (!c) {
      c = { key, dataset: ds.name, zone, filters, dims, time, aggregates: new Map(), uniforms: new Map(), subs: new Map() };
      p.contexts.set(key, c);
    }
    return c;
  };

  const addAgg = (c: ContextPlan, ds: Dataset, kpi: Kpi, e: AggExpr): void => {
    const k = exprKey(e);
    if (c.aggregates.has(k)) return;
    c.aggregates.set(k, e);
    if (e.per && e.per.length > 0 && e.arg) {
      const per = e.per.map((d) => bindDim(d, kpi, ds, datasets) ?? d);
      const sub = context(ds, c.zone, e.filter ? [...c.filters, e.filter] : c.filters, [...c.dims, ...per], c.time);
      c.subs.set(k, sub.key);
      walkGroupLevel(e.arg, {
        agg: (a) => addAgg(sub, ds, kpi, a),
        rowLeaf: (x) => { if (dimIndexOf(x, sub.dims, sub.dims.map((d) => d.name)) < 0) sub.uniforms.set(exprKey(x), x); },
        kpi: () => undefined,
      });
    }
  };

  const instance = (name: string, dims: Dim[], origin: Origin | null): string | null => {
    const kpi = kpis.get(name);
    if (!kpi) {
      diagnostics.push(diagnostic("unknown-kpi", { name }, origin ? at(origin) : {}));
      return null;
    }
    const key = `${name}|${exprKey(dims.map((d) => [d.name, d.expr]))}`;
    if (p.instances.has(key)) return key;
    if (stack.includes(key)) {
      const cycle = [...stack.slice(stack.indexOf(key)), key].map((k) => k.slice(0, k.indexOf("|"))).join(" -> ");
      diagnostics.push(diagnostic("circular-kpi", { cycle }, at(kpi.origin)));
      return null;
    }
    stack.push(key);
    const inst: InstancePlan = { key, kpi, dims, bound: dims, context: null, refs: new Map(), skipped: null };
    const exprs = groupLevelExprs(kpi);
    const refNames = new Set<string>();
    const onKpi = (n: string) => { if (n !== name) refNames.add(n); };
    const ds = kpi.from !== null ? datasets.get(kpi.from) : undefined;
    if (kpi.from !== null && !ds) {
      inst.skipped = `unknown dataset "${kpi.from}"`;
      diagnostics.push(diagnostic("unknown-dataset", { name: kpi.from }, at(kpi.origin)));
    } else if (ds) {
      inst.bound = dims.map((d) => {
        const b = bindDim(d, kpi, ds, datasets, requestDims.has(d));
        if (!b) diagnostics.push(diagnostic("dimension-dropped", { kpi: name, dim: d.name }, at(d.origin)));
        return b;
      });
      const filters: Expr[] = [];
      if (kpi.where) filters.push(kpi.where);
      if (request.where) {
        if (validOn(request.where, ds, datasets)) filters.push(request.where);
        else inst.skipped = `the filter reads columns that dataset "${ds.name}" does not have`;
      }
      const time = kpiTimeColumn(kpi, ds);
      if (request.from !== undefined || request.to !== undefined) {
        if (time) filters.push(...boundFilters(time, request, kpi.origin));
        else diagnostics.push(diagnostic("bounds-ignored", { kpi: name }, at(kpi.origin)));
      }
      const boundDims = inst.bound.filter((d): d is Dim => d !== null);
      const c = context(ds, kpi.zone, filters, boundDims, time);
      inst.context = c.key;
      const names = dims.map((d) => d.name);
      for (const e of exprs) {
        walkGroupLevel(e, {
          agg: (a) => addAgg(c, ds, kpi, a),
          rowLeaf: (x) => {
            if (dimIndexOf(x, inst.bound, names) < 0 && validOn(x, ds, datasets)) c.uniforms.set(exprKey(x), x);
          },
          kpi: onKpi,
        });
      }
    } else {
      for (const e of exprs) walkGroupLevel(e, { agg: () => undefined, rowLeaf: () => undefined, kpi: onKpi });
    }
    for (const r of refNames) {
      const rk = instance(r, dims, kpi.origin);
      if (rk === null) { inst.skipped ??= `it depends on "${r}", which cannot be computed`; continue; }
      inst.refs.set(r, rk);
      const ri = p.instances.get(rk);
      if (ri?.skipped) inst.skipped ??= `it depends on "${r}", which was skipped`;
    }
    stack.pop();
    if (inst.skipped) diagnostics.push(diagnostic("kpi-skipped", { kpi: name, reason: inst.skipped }, at(kpi.origin)));
    p.instances.set(key, inst);
    p.order.push(key);
    return key;
  };

  const selected = request.kpis ?? model.kpis.map((k) => k.name);
  for (const n of selected) if (!kpis.has(n)) diagnostics.push(diagnostic("unknown-kpi", { name: n }));
  for (const k of model.kpis) {
    if (!selected.includes(k.name)) continue;
    const key = instance(k.name, request.by ?? k.by, null);
    if (key !== null) p.outputs.push(key);
  }
  return p;
}

/** Every aggregate-level expression of a KPI: value, ratio parts, targets and status conditions. */
export function groupLevelExprs(kpi: Kpi): Expr[] {
  const out: Expr[] = [kpi.value];
  if (kpi.ratio) out.push(kpi.ratio.numerator, kpi.ratio.denominator);
  for (const t of kpi.target) { if (t.when) out.push(t.when); out.push(t.value); }
  for (const s of kpi.status) if (s.when) out.push(s.when);
  return out;
}

/** A bound as a date or timestamp literal; a period label (2025-03, 2025-Q1, 2025-W10, 2025) means its first day. */
function boundText(text: string): string {
  const t = text.trim();
  const p = /^\d{4}-\d{2}-\d{2}/.test(t) ? null : parsePeriod(t);
  return p ? formatDays(periodStartDays(p.unit, p.index)) : t;
}

function boundFilters(time: { column: string; type: "date" | "timestamp" }, request: EvalRequest, origin: Origin): Expr[] {
  const col: Expr = { op: "col", name: time.column, type: time.type, origin };
  const lit = (text: string): Expr => {
    const t = boundText(text);
    return { op: "lit", type: time.type, value: time.type === "date" ? t.slice(0, 10) : t, origin };
  };
  const out: Expr[] = [];
  if (request.from !== undefined) out.push({ op: "binary", operator: ">=", left: col, right: lit(request.from), type: "bool", origin });
  if (request.to !== undefined) out.push({ op: "binary", operator: "<", left: col, right: lit(request.to), type: "bool", origin });
  return out;
}

/** The plan as compact text (for debugging and golden tests). */
export function formatPlan(p: Plan): string {
  const ctxIds = new Map([...p.contexts.keys()].map((k, i) => [k, `#${i + 1}`]));
  const lines: string[] = [];
  for (const [k, c] of p.contexts) {
    lines.push(`context ${ctxIds.get(k)} ${c.dataset} filters=${c.filters.length} by=[${c.dims.map((d) => d.name).join(", ")}] aggregates=${c.aggregates.size}${c.uniforms.size ? ` uniforms=${c.uniforms.size}` : ""}`);
    for (const [ak, sk] of c.subs) lines.push(`  per ${ak.length > 60 ? ak.slice(0, 57) + "..." : ak} -> ${ctxIds.get(sk)}`);
  }
  for (const k of p.order) {
    const i = p.instances.get(k)!;
    const refs = [...i.refs.keys()];
    lines.push(`kpi ${i.kpi.name} by=[${i.dims.map((d, j) => (i.bound[j] ? d.name : `${d.name}?`)).join(", ")}]` +
      `${i.context ? ` context=${ctxIds.get(i.context)}` : ""}${refs.length ? ` refs=${refs.join(",")}` : ""}${i.skipped ? ` skipped` : ""}${p.outputs.includes(k) ? "" : " (dependency)"}`);
  }
  return lines.join("\n");
}
