import type { AggExpr, Expr } from "@yardstick/model";
import { periodRange, shiftInstant } from "../time/period.js";
import { runTasks, type AggOut } from "./aggregate.js";
import type { Context } from "./context.js";
import { Gen } from "./gen.js";
import { keyOf } from "./grouping.js";
import { materialize } from "./materialize.js";
import type { ColumnRt, Compiled } from "./row-compiler.js";

/**
 * `agg(x) over last N units`: for each group, the rows of the same non-time dimensions whose time
 * lies in [end - N units, end), where `end` is the end of the group's period (or the as-of instant
 * when the grouping has no time bucket). Rows are sorted by time once per base group; each window
 * is two binary searches, and the (row, group) pairs go through the ordinary aggregate kernels.
 */
export function computeWindow(ctx: Context, a: AggExpr): AggOut | null {
  const time = ctx.plan.time;
  const w = a.window!;
  if (!time) {
    ctx.rt.engine.report("no-time-column", { what: "A window", dataset: ctx.plan.dataset, example: "time_column" }, a.origin);
    return null;
  }
  const { G, dims, values } = ctx.set;
  const timeExpr: Expr = { op: "col", name: time.column, type: time.type, origin: a.origin };
  const t = materialize(ctx.env, timeExpr, ctx.sel, ctx.m).data as Float64Array;
  let td = -1;
  for (let d = dims.length - 1; d >= 0; d--) if (dims[d]!.bucket) { td = d; break; }

  // Base groups: the group tuple without its time bucket.
  const baseIndex = new Map<string, number>();
  const baseOf = new Int32Array(G);
  for (let g = 0; g < G; g++) {
    const key = keyOf(values.filter((_, d) => d !== td).map((v) => v[g]!));
    let b = baseIndex.get(key);
    if (b === undefined) { b = baseIndex.size; baseIndex.set(key, b); }
    baseOf[g] = b;
  }
  const B = baseIndex.size;
  const offsets = new Int32Array(B + 1);
  const rowBase = (k: number) => baseOf[ctx.gid ? ctx.gid[k]! : 0]!;
  for (let k = 0; k < ctx.m; k++) if (t[k] === t[k]) offsets[rowBase(k) + 1]!++;
  for (let b = 0; b < B; b++) offsets[b + 1]! += offsets[b]!;
  const order = new Int32Array(offsets[B]!);
  const fill = offsets.slice(0, B);
  for (let k = 0; k < ctx.m; k++) if (t[k] === t[k]) order[fill[rowBase(k)]!++] = k;
  for (let b = 0; b < B; b++) order.subarray(offsets[b]!, offsets[b + 1]!).sort((x, y) => t[x]! - t[y]!);

  const lowerBound = (lo: number, hi: number, v: number) => {
    while (lo < hi) { const mid = (lo + hi) >> 1; if (t[order[mid]!]! < v) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const zone = time.type === "date" ? "UTC" : ctx.plan.zone;
  const ranges: Array<[number, number]> = [];
  let total = 0;
  for (let g = 0; g < G; g++) {
    let end = ctx.rt.engine.asOfMs;
    let z = zone;
    if (td >= 0) {
      const bk = dims[td]!.bucket!;
      z = time.type === "date" ? "UTC" : bk.zone;
      end = periodRange(bk.unit, values[td]![g] as number, time.type, bk.zone)[1];
    }
    const from = shiftInstant(end, w.unit, -w.count, z);
    const b = baseOf[g]!;
    const lo = lowerBound(offsets[b]!, offsets[b + 1]!, from), hi = lowerBound(lo, offsets[b + 1]!, end);
    ranges.push([lo, hi]);
    total += hi - lo;
  }
  const pairPos = new Int32Array(total), pairG = new Int32Array(total);
  let p = 0;
  ranges.forEach(([lo, hi], g) => { for (let r = lo; r < hi; r++) { pairPos[p] = order[r]!; pairG[p++] = g; } });

  const gen = new Gen();
  const read = (c: ColumnRt): Compiled => ({ code: `${gen.slot(c.data)}[i]`, kind: c.kind, nullable: true, vtype: c.vtype, dict: c.dict, unit: c.unit });
  const value = a.arg ? read(materialize(ctx.env, a.arg, ctx.sel, ctx.m)) : null;
  const filter = a.filter ? read(materialize(ctx.env, a.filter, ctx.sel, ctx.m)) : null;
  const [out] = runTasks(gen, [{ fn: a.fn, ...(a.p !== undefined ? { p: a.p } : {}), value, filter }], {
    sel: pairPos, m: total, gid: pairG, G, skipNegative: false,
  });
  return out!;
}
