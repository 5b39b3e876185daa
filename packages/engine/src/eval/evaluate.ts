import type { Comparator, Diagnostic, Expr, Model } from "@yardstick/model";
import type { Table } from "../table/table.js";
import { plan, type EvalRequest, type InstancePlan, type Plan } from "../plan/plan.js";
import { formatDays, MS_PER_DAY } from "../time/civil.js";
import { periodLabel } from "../time/period.js";
import { Context } from "./context.js";
import { Engine } from "./engine.js";
import { buildIndex, frameEnv, frameOfContext, type Frame } from "./frame.js";
import { compileGroup, type GroupEnv, type GroupView } from "./group-expr.js";
import { keyOf, type DimMeta, type RawValue } from "./grouping.js";
import { REASONS } from "./values.js";

export type { EvalRequest } from "../plan/plan.js";

/** One KPI value for one group. This JSON shape is a stable contract (CLI, playground, scripts). */
export interface ResultRow {
  kpi: string;
  /** Dimension names as written → values; time buckets as labels (2025-01-05, 2025-W02, 2025-01, 2025-Q1, 2025). */
  group: Record<string, string | number | boolean | null>;
  value: number | null;
  /** Why `value` is null. */
  reason?: string;
  /** Rows of the KPI's dataset in the group after filters (for KPIs built from KPIs: the smallest n among them). */
  n: number;
  status: string | null;
  target: number | null;
  /** Ratio KPIs only. */
  numerator?: number | null;
  denominator?: number | null;
}

export interface EvalResult {
  results: ResultRow[];
  /** Filled by rules (not evaluated here); kept so the shape is stable. */
  alerts: unknown[];
  diagnostics: Diagnostic[];
}

/** Every computed series of one KPI instance, before it becomes result rows. */
export interface InstanceResult {
  plan: InstancePlan;
  frame: Frame;
  value: Float64Array;
  reason: Array<string | null>;
  target: Float64Array;
  status: Array<string | null>;
  numerator: Float64Array | null;
  denominator: Float64Array | null;
}

/**
 * Computes KPIs over tables: `plan` then evaluate. Never throws on user errors: problems become
 * diagnostics, and values that cannot be computed are null with a reason.
 */
export function evaluate(model: Model, tables: Map<string, Table>, request: EvalRequest = {}): EvalResult {
  return evaluatePlan(plan(model, request), tables);
}

/** Evaluates a plan (see plan()); exposed so callers can plan once and evaluate on several table sets. */
export function evaluatePlan(p: Plan, tables: Map<string, Table>): EvalResult {
  const ev = new Evaluation(p, tables);
  const failed = new Set<string>();
  for (const key of p.order) {
    try {
      ev.instance(key);
    } catch (err) {
      // A bug, not a user error: report it against the KPI and go on with the others.
      failed.add(key);
      const kpi = p.instances.get(key)!.kpi;
      ev.engine.report("internal-error", { text: `evaluating KPI "${kpi.name}": ${err instanceof Error ? err.message : String(err)}` }, kpi.origin);
    }
  }
  const results: ResultRow[] = [];
  for (const key of p.outputs) if (!failed.has(key)) results.push(...rowsOf(ev.instance(key)));
  return { results, alerts: [], diagnostics: [...p.diagnostics, ...ev.engine.diagnostics] };
}

/** Evaluation state: contexts and KPI instances, each computed once. */
export class Evaluation {
  readonly engine: Engine;
  private readonly contexts = new Map<string, Context | null>();
  private readonly instances = new Map<string, InstanceResult>();

  constructor(readonly plan: Plan, tables: Map<string, Table>) {
    this.engine = new Engine(plan.model, tables, plan.asOfMs);
  }

  context(key: string): Context | null {
    let c = this.contexts.get(key);
    if (c !== undefined) return c;
    const cp = this.plan.contexts.get(key)!;
    const rt = this.engine.dataset(cp.dataset);
    c = rt ? new Context(cp, rt, (k) => this.context(k), (ctx, e) => this.inner(ctx, e)) : null;
    this.contexts.set(key, c);
    return c;
  }

  /** Values of an aggregate-level expression per group of a context (the inner side of `per`). */
  private inner(ctx: Context, e: Expr) {
    const env = frameEnv(frameOfContext(ctx), this.extras("", ctx.plan.zone));
    const c = compileGroup(e, env);
    if (c.kind === "num") {
      const num = new Float64Array(ctx.G);
      for (let g = 0; g < ctx.G; g++) num[g] = c.fn(g) as number;
      return { kind: "num" as const, num, str: null };
    }
    const str: Array<string | null> = [];
    for (let g = 0; g < ctx.G; g++) str.push(c.fn(g) as string | null);
    return { kind: "str" as const, num: null, str };
  }

  private extras(kpi: string, zone: string) {
    return { kpi, zone, asOfMs: this.plan.asOfMs, report: this.engine.report.bind(this.engine) as GroupEnv["report"] };
  }

  instance(key: string): InstanceResult {
    let r = this.instances.get(key);
    if (!r) {
      r = this.evalInstance(this.plan.instances.get(key)!);
      this.instances.set(key, r);
    }
    return r;
  }

  private frameOf(ip: InstancePlan): Frame {
    const J = ip.dims.length;
    const names = ip.dims.map((d) => d.name);
    const empty = (G: number): Frame => ({ G, names, bound: ip.bound, metas: ip.dims.map(() => null), values: ip.dims.map(() => new Array(G).fill(null)), index: new Map(), n: new Float64Array(G), ctx: null });
    if (ip.skipped) return empty(0);
    if (ip.context) {
      const ctx = this.context(ip.context);
      if (!ctx) return empty(0);
      ctx.ensure();
      const s = ctx.set;
      let pos = 0;
      const metas: Array<DimMeta | null> = [], values: RawValue[][] = [];
      for (let j = 0; j < J; j++) {
        if (ip.bound[j]) { metas.push(s.dims[pos]!); values.push(s.values[pos]!); pos++; }
        else { metas.push(null); values.push(new Array(s.G).fill(null)); }
      }
      const f: Frame = { G: s.G, names, bound: ip.bound, metas, values, index: s.index, n: s.n, ctx };
      if (pos !== J) f.index = buildIndex(f);
      return f;
    }
    // Built from other KPIs: the union of their groups (those bound to the most dimensions).
    const refs = [...ip.refs.values()].map((k) => this.instance(k));
    if (refs.length === 0) {
      const f = empty(J === 0 ? 1 : 0);
      f.index = buildIndex(f);
      return f;
    }
    const boundCount = (r: InstanceResult) => r.frame.metas.filter((m) => m !== null).length;
    const best = Math.max(...refs.map(boundCount));
    const chosen = refs.filter((r) => boundCount(r) === best);
    const values: RawValue[][] = ip.dims.map(() => []);
    const index = new Map<string, number>();
    for (const r of chosen) {
      for (let g = 0; g < r.frame.G; g++) {
        const t = r.frame.values.map((v) => v[g]!);
        const k = keyOf(t);
        if (index.has(k)) continue;
        index.set(k, index.size);
        t.forEach((v, j) => values[j]!.push(v));
      }
    }
    const metas = ip.dims.map((_, j) => chosen.map((r) => r.frame.metas[j]).find((m) => m) ?? null);
    const f: Frame = { G: index.size, names, bound: ip.bound, metas, values, index, n: new Float64Array(index.size), ctx: null };
    f.n.fill(Infinity);
    for (const r of refs) {
      const map = mapGroups(r.frame, f);
      for (let g = 0; g < f.G; g++) f.n[g] = Math.min(f.n[g]!, map[g]! < 0 ? 0 : r.frame.n[map[g]!]!);
    }
    return f;
  }

  private evalInstance(ip: InstancePlan): InstanceResult {
    const kpi = ip.kpi;
    const f = this.frameOf(ip);
    const G = f.G;
    const value = new Float64Array(G), target = new Float64Array(G).fill(NaN);
    const reason: Array<string | null> = new Array(G).fill(null);
    const status: Array<string | null> = new Array(G).fill(null);
    const views = new Map<string, { r: InstanceResult; map: Int32Array }>();
    const view = (name: string) => {
      let v = views.get(name);
      if (!v) {
        const rk = ip.refs.get(name);
        if (!rk) return null;
        const r = this.instance(rk);
        v = { r, map: mapGroups(r.frame, f) };
        views.set(name, v);
      }
      return v;
    };
    const mapped = (name: string, pick: (r: InstanceResult) => Float64Array, why: (r: InstanceResult, rg: number) => string): GroupView | null => {
      const v = view(name);
      if (!v) return null;
      const src = pick(v.r);
      const out = Float64Array.from(v.map, (rg) => (rg < 0 ? NaN : src[rg]!));
      return { value: out, reason: (g) => (v.map[g]! < 0 ? `no value of "${name}" for this group` : why(v.r, v.map[g]!)) };
    };
    const nArr = f.n;
    const env = frameEnv(f, {
      ...this.extras(kpi.name, kpi.zone),
      ref: (name) => mapped(name, (r) => r.value, (r, rg) => `${name}: ${r.reason[rg] ?? "no value"}`),
      field: (name, field) => {
        if (name === kpi.name) {
          const arr = field === "value" ? value : field === "target" ? target : nArr;
          return { value: arr, reason: (g) => (field === "target" ? "no target" : reason[g] ?? "no value") };
        }
        return mapped(name, (r) => (field === "value" ? r.value : field === "target" ? r.target : r.frame.n), () => `no ${field} of "${name}"`);
      },
    });
    const run = (e: Expr) => compileGroup(e, env);
    const valueFn = run(kpi.value);
    for (let g = 0; g < G; g++) {
      env.reason.text = null;
      let v = valueFn.fn(g);
      let why: string | null = null;
      if (kpi.from !== null && f.n[g] === 0) { v = NaN; why = REASONS.noRows; }
      else if (typeof v !== "number") { why = v === null ? env.reason.text ?? "no value" : REASONS.notNumber; v = NaN; }
      else if (v !== v) why = env.reason.text ?? "no value";
      else if (!Number.isFinite(v)) { v = NaN; why = REASONS.notFinite; }
      value[g] = v as number;
      reason[g] = why;
    }
    const ratioPart = (e: Expr | undefined) => {
      if (!e) return null;
      const c = run(e);
      return Float64Array.from({ length: G }, (_, g) => { const v = c.fn(g); return typeof v === "number" && Number.isFinite(v) ? v : NaN; });
    };
    const numerator = ratioPart(kpi.ratio?.numerator), denominator = ratioPart(kpi.ratio?.denominator);
    const arms = kpi.target.map((t) => ({ when: t.when ? run(t.when).fn : null, value: run(t.value).fn, cmp: t.comparator }));
    const cmps: Array<Comparator | null> = new Array(G).fill(null);
    for (let g = 0; g < G; g++) {
      const arm = arms.find((a) => a.when === null || a.when(g) === 1);
      if (!arm) continue;
      const t = arm.value(g);
      target[g] = typeof t === "number" && Number.isFinite(t) ? t : NaN;
      cmps[g] = arm.cmp;
    }
    const statusArms = kpi.status.map((s) => ({ label: s.label, when: s.when ? run(s.when).fn : null }));
    const minSamples = kpi.minSamples ?? 0;
    for (let g = 0; g < G; g++) {
      const v = value[g]!;
      if (v !== v || f.n[g]! < minSamples) { status[g] = "insufficient_data"; continue; }
      if (statusArms.length > 0) {
        status[g] = statusArms.find((s) => s.when === null || s.when(g) === 1)?.label ?? null;
        continue;
      }
      const t = target[g]!;
      if (cmps[g] && t === t) status[g] = compareNum(v, cmps[g]!, t) ? "on_target" : "off_target";
    }
    return { plan: ip, frame: f, value, reason, target, status, numerator, denominator };
  }
}

/** For each group of `to`, the group of `from` with the same values on the dimensions `from` is grouped by. */
function mapGroups(from: Frame, to: Frame): Int32Array {
  const P: number[] = [];
  from.metas.forEach((m, j) => { if (m !== null && j < to.values.length) P.push(j); });
  const index = new Map<string, number>();
  for (let g = 0; g < from.G; g++) index.set(keyOf(P.map((j) => from.values[j]![g]!)), g);
  const out = new Int32Array(to.G);
  for (let g = 0; g < to.G; g++) out[g] = index.get(keyOf(P.map((j) => to.values[j]![g]!))) ?? -1;
  return out;
}

function compareNum(v: number, cmp: Comparator, t: number): boolean {
  switch (cmp) {
    case ">=": return v >= t;
    case ">": return v > t;
    case "<=": return v <= t;
    case "<": return v < t;
    case "=": return v === t;
    case "!=": return v !== t;
  }
}

function rank(v: RawValue): number {
  return v === null ? 3 : typeof v === "boolean" ? 0 : typeof v === "number" ? 1 : 2;
}

/** Orders group values: false before true, numbers and periods ascending, strings by code unit, null last. */
export function compareRaw(a: RawValue, b: RawValue): number {
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === b || a === null) return 0;
  return (a as number | string | boolean) < (b as number | string | boolean) ? -1 : 1;
}

/** A group value as the result shows it. */
export function displayValue(meta: DimMeta | null, v: RawValue): string | number | boolean | null {
  if (v === null || meta === null) return v;
  if (meta.unit && typeof v === "number") return periodLabel(meta.unit, v);
  if (meta.vtype === "date" && typeof v === "number") return formatDays(Math.floor(v / MS_PER_DAY));
  if (meta.vtype === "timestamp" && typeof v === "number") return new Date(v).toISOString();
  return v;
}

const labelCache = new WeakMap<RawValue[], Array<string | number | boolean | null>>();

/** Display labels of one group column (shared by every KPI on the same context). */
function labelsOf(meta: DimMeta | null, values: RawValue[]): Array<string | number | boolean | null> {
  let labels = labelCache.get(values);
  if (!labels) {
    labels = values.map((v) => displayValue(meta, v));
    labelCache.set(values, labels);
  }
  return labels;
}

function rowsOf(r: InstanceResult): ResultRow[] {
  const { frame: f, plan: ip } = r;
  const order = Array.from({ length: f.G }, (_, g) => g);
  order.sort((a, b) => {
    for (let j = 0; j < f.values.length; j++) {
      const c = compareRaw(f.values[j]![a]!, f.values[j]![b]!);
      if (c !== 0) return c;
    }
    return 0;
  });
  const nul = (x: number) => (x === x ? x : null);
  const labels = ip.dims.map((_, j) => labelsOf(f.metas[j] ?? null, f.values[j]!));
  const name = ip.kpi.name, ratio = ip.kpi.ratio !== null;
  return order.map((g) => {
    const group: ResultRow["group"] = {};
    for (let j = 0; j < labels.length; j++) group[ip.dims[j]!.name] = labels[j]![g]!;
    const value = nul(r.value[g]!);
    const n = f.n[g]!, status = r.status[g]!, target = nul(r.target[g]!);
    const row: ResultRow = value === null
      ? { kpi: name, group, value, reason: r.reason[g] ?? "no value", n, status, target }
      : { kpi: name, group, value, n, status, target };
    if (ratio) {
      row.numerator = r.numerator ? nul(r.numerator[g]!) : null;
      row.denominator = r.denominator ? nul(r.denominator[g]!) : null;
    }
    return row;
  });
}
