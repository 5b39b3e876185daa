import type { AggExpr, Expr } from "@yardstick/model";
import type { ContextPlan } from "../plan/plan.js";
import { exprKey } from "../plan/expr-key.js";
import { runTasks, type AggOut, type AggTask } from "./aggregate.js";
import type { DatasetRt } from "./engine.js";
import { Gen } from "./gen.js";
import { computeGrouping, keyOf, type GroupSet } from "./grouping.js";
import { selectRows } from "./materialize.js";
import { RowCompiler, type Compiled, type RowEnv } from "./row-compiler.js";
import { computeWindow } from "./window.js";

/** How a context gets the per-group values of an aggregate-level expression in another context (for `per`). */
export type InnerValues = (ctx: Context, e: Expr) => { kind: "num" | "str"; num: Float64Array | null; str: Array<string | null> | null };

/**
 * The rows of one dataset after the filters, grouped: selection vector, dense group ids and the
 * group tuples. `ensure()` computes every aggregate the plan gathered for it: all plain ones in a
 * single generated loop, then `per` and window aggregates.
 */
export class Context {
  readonly env: RowEnv;
  readonly sel: Int32Array | null;
  readonly m: number;
  readonly gid: Int32Array | null;
  readonly set: GroupSet;
  private readonly outs = new Map<string, AggOut>();
  private readonly uniformOuts = new Map<string, AggOut>();
  private done = false;

  constructor(
    readonly plan: ContextPlan,
    readonly rt: DatasetRt,
    private readonly subContext: (key: string) => Context | null,
    private readonly inner: InnerValues,
  ) {
    this.env = rt.env(plan.zone);
    this.sel = selectRows(this.env, plan.filters, rt.rowCount);
    this.m = this.sel ? this.sel.length : rt.rowCount;
    const { gid, set } = computeGrouping(this.env, this.sel, this.m, plan.dims);
    this.gid = gid;
    this.set = set;
  }

  get G(): number {
    return this.set.G;
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
    const gen = new Gen();
    const rc = new RowCompiler(gen, this.env);
    const tasks: AggTask[] = plain.map(([, a]) => ({
      fn: a.fn, ...(a.p !== undefined ? { p: a.p } : {}),
      value: a.arg ? rc.compile(a.arg) : null,
      filter: a.filter ? rc.toNum(rc.compile(a.filter)) : null,
    }));
    const uniforms = [...this.plan.uniforms];
    for (const [, x] of uniforms) tasks.push({ fn: "uniform", value: rc.compile(x), filter: null });
    if (tasks.length > 0) {
      const outs = runTasks(gen, tasks, { sel: this.sel, m: this.m, gid: this.gid, G: this.G, skipNegative: false });
      plain.forEach(([k], i) => this.outs.set(k, outs[i]!));
      uniforms.forEach(([k], i) => this.uniformOuts.set(k, outs[plain.length + i]!));
    }
    for (const [k, a] of later) {
      const out = a.window ? computeWindow(this, a) : this.per(k, a);
      if (out) this.outs.set(k, out);
    }
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
