import type { AggExpr, Expr } from "@yardstick/model";
import type { ContextPlan } from "../plan/plan.js";
import { exprKey } from "../plan/expr-key.js";
import { compactOut, runScan, runTasks, type AggOut, type AggTask } from "./aggregate.js";
import type { DatasetRt } from "./engine.js";
import { Gen } from "./gen.js";
import { computeGrouping, decodeKeys, dimMeta, finishSet, inlineDim, keyOf, type DimMeta, type GroupSet, type Sparse } from "./grouping.js";
import { RowCompiler, type Compiled, type RowEnv } from "./row-compiler.js";
import { computeWindow } from "./window.js";

/** How a context gets the per-group values of an aggregate-level expression in another context (for `per`). */
export type InnerValues = (ctx: Context, e: Expr) => { kind: "num" | "str"; num: Float64Array | null; str: Array<string | null> | null };

/** Largest sparse key space for the single-pass scan (accumulators are sized by it). */
const FAST_KEYS = 1 << 16;

/**
 * The rows of one dataset after the filters, grouped, and every aggregate the plan gathered for
 * them. `ensure()` computes the plain aggregates in one generated loop: when every dimension can
 * be computed inline (dictionary codes, time buckets of a column) that loop also filters and
 * groups (a single pass over the table); otherwise the selection and the group ids come first.
 * `per` and window aggregates follow. The row selection and group ids are materialized only when
 * something needs them.
 */
export class Context {
  readonly env: RowEnv;
  private _sel: Int32Array | null = null;
  private _m = 0;
  private _gid: Int32Array | null = null;
  private _set: GroupSet | null = null;
  private sparseKeys: Int32Array | null = null;
  private remap: Int32Array | null = null;
  private readonly outs = new Map<string, AggOut>();
  private readonly uniformOuts = new Map<string, AggOut>();
  private done = false;
  private rowsKept = true;

  constructor(
    readonly plan: ContextPlan,
    readonly rt: DatasetRt,
    private readonly subContext: (key: string) => Context | null,
    private readonly inner: InnerValues,
  ) {
    this.env = rt.env(plan.zone);
  }

  get set(): GroupSet {
    this.ensure();
    return this._set!;
  }

  get G(): number {
    return this.set.G;
  }

  /** Selected rows (null = all rows). Materialized by the single-pass scan only when a window needs it. */
  get sel(): Int32Array | null {
    this.ensure();
    if (this._sel === null && this.plan.filters.length > 0 && !this.rowsKept) throw new Error("internal: rows of a context were not kept");
    return this._sel;
  }

  get m(): number {
    this.ensure();
    return this._m;
  }

  /** Dense group id per selected row (null = one group). */
  get gid(): Int32Array | null {
    this.ensure();
    if (!this.rowsKept && this.plan.dims.length > 0) throw new Error("internal: group ids of a context were not kept");
    if (this._gid === null && this.sparseKeys && this.remap) {
      const keys = this.sparseKeys, remap = this.remap;
      this._gid = Int32Array.from(keys, (k) => remap[k]!);
    }
    return this._gid;
  }

  agg(e: AggExpr): AggOut | null {
    this.ensure();
    return this.outs.get(exprKey(e)) ?? null;
  }

  uniform(e: Expr): AggOut | null {
    this.ensure();
    return this.uniformOuts.get(exprKey(e)) ?? null;
  }

  ensure(): void {
    if (this.done) return;
    this.done = true;
    const plain: Array<[string, AggExpr]> = [];
    const later: Array<[string, AggExpr]> = [];
    for (const entry of this.plan.aggregates) (entry[1].window || (entry[1].per && entry[1].per.length > 0) ? later : plain).push(entry);
    const uniforms = [...this.plan.uniforms];
    const gen = new Gen();
    const rc = new RowCompiler(gen, this.env);
    const tasks: AggTask[] = plain.map(([, a]) => ({
      fn: a.fn, ...(a.p !== undefined ? { p: a.p } : {}),
      value: a.arg ? rc.compile(a.arg) : null,
      filter: a.filter ? rc.toNum(rc.compile(a.filter)) : null,
    }));
    for (const [, x] of uniforms) tasks.push({ fn: "uniform", value: rc.compile(x), filter: null });
    const needRows = later.some(([, a]) => a.window);
    const outs = this.scanFast(gen, rc, tasks, needRows) ?? this.scanSlow(gen, tasks);
    plain.forEach(([k], i) => this.outs.set(k, outs[i]!));
    uniforms.forEach(([k], i) => this.uniformOuts.set(k, outs[plain.length + i]!));
    for (const [k, a] of later) {
      const out = a.window ? computeWindow(this, a) : this.per(k, a);
      if (out) this.outs.set(k, out);
    }
  }

  /** Filter, group and aggregate in one pass; null when a dimension cannot be computed inline. */
  private scanFast(gen: Gen, rc: RowCompiler, tasks: AggTask[], needRows: boolean): AggOut[] | null {
    const dims = this.plan.dims;
    const metas: DimMeta[] = [];
    const parts: Sparse[] = [];
    const terms: string[] = [];
    let total = 1;
    for (const d of dims) {
      const inline = inlineDim(d, rc, this.env);
      if (!inline) return null;
      metas.push(dimMeta(d, inline.col));
      parts.push(inline.part);
      terms.push(inline.term);
      total *= inline.part.K;
      if (total > FAST_KEYS) return null;
    }
    let key: string | null = null;
    parts.forEach((p, d) => { key = d === 0 ? terms[d]! : `(${key}) * ${p.K} + ${terms[d]}`; });
    const filters = this.plan.filters.map((f) => `${rc.toNum(rc.compile(f)).code} === 1`);
    const r = runScan(gen, tasks, {
      n: this.rt.rowCount, filter: filters.length ? filters.join(" && ") : null, key, G: total,
      recordRows: needRows && filters.length > 0, recordKeys: needRows && dims.length > 0,
    });
    this._sel = r.sel;
    this._m = r.m;
    this.rowsKept = needRows;
    if (dims.length === 0) {
      this._set = { G: 1, dims: [], values: [], n: Float64Array.of(r.m), keys: [keyOf([])], index: new Map([[keyOf([]), 0]]) };
      return r.outs;
    }
    const present: number[] = [];
    const remap = new Int32Array(total).fill(-1);
    for (let k = 0; k < total; k++) if (r.counts[k]! > 0) { remap[k] = present.length; present.push(k); }
    const keep = Int32Array.from(present);
    this.sparseKeys = r.keys;
    this.remap = remap;
    this._set = finishSet(metas, decodeKeys(parts, keep), Float64Array.from(keep, (k) => r.counts[k]!), keep.length);
    return r.outs.map((o) => compactOut(o, keep));
  }

  /** Selection, group ids, then one loop over the selected rows. */
  private scanSlow(gen: Gen, tasks: AggTask[]): AggOut[] {
    this._sel = this.rt.select(this.plan.zone, this.plan.filters);
    this._m = this._sel ? this._sel.length : this.rt.rowCount;
    const { gid, set } = computeGrouping(this.env, this._sel, this._m, this.plan.dims);
    this._gid = gid;
    this._set = set;
    if (tasks.length === 0) return [];
    return runTasks(gen, tasks, { sel: this._sel, m: this._m, gid: this._gid, G: set.G, skipNegative: false });
  }

  /** `agg(inner per dims)`: the inner expression per sub-group, then `agg` over the sub-groups of each group. */
  private per(key: string, a: AggExpr): AggOut | null {
    const subKey = this.plan.subs.get(key);
    const sub = subKey ? this.subContext(subKey) : null;
    if (!sub || !a.arg) return null;
    const vals = this.inner(sub, a.arg);
    const D = this.set.dims.length;
    const parent = new Int32Array(sub.G);
    for (let s = 0; s < sub.G; s++) parent[s] = this.set.index.get(keyOf(sub.set.values.slice(0, D).map((v) => v[s]!))) ?? -1;
    const gen = new Gen();
    const data = vals.kind === "num" ? vals.num! : vals.str!;
    const value: Compiled = { code: `${gen.slot(data)}[i]`, kind: vals.kind, nullable: true, vtype: a.arg.type, dict: null, unit: null };
    const [out] = runTasks(gen, [{ fn: a.fn, ...(a.p !== undefined ? { p: a.p } : {}), value, filter: null }], {
      sel: null, m: sub.G, gid: parent, G: this.G, skipNegative: true,
    });
    return out!;
  }
}
