import type { AggExpr, Dim, DiagnosticCode, Expr, Origin, TimeUnit } from "@yardstick/model";
import { dimIndexOf } from "../plan/walk.js";
import { periodDays, periodLabel, shiftPeriod } from "../time/period.js";
import type { AggOut } from "./aggregate.js";
import type { Context } from "./context.js";
import type { GroupEnv, GroupView } from "./group-expr.js";
import { keyOf, type DimMeta, type RawValue } from "./grouping.js";

/** The groups an aggregate-level expression is evaluated over, column-major like GroupSet. */
export interface Frame {
  G: number;
  names: string[];
  bound: Array<Dim | null>;
  metas: Array<DimMeta | null>;
  values: RawValue[][];
  index: Map<string, number>;
  n: Float64Array;
  ctx: Context | null;
}

export function frameOfContext(ctx: Context): Frame {
  const s = ctx.set;
  return { G: s.G, names: ctx.plan.dims.map((d) => d.name), bound: ctx.plan.dims, metas: s.dims, values: s.values, index: s.index, n: s.n, ctx };
}

export function tupleAt(f: Frame, g: number): RawValue[] {
  return f.values.map((v) => v[g]!);
}

export function buildIndex(f: Pick<Frame, "G" | "values">): Map<string, number> {
  const index = new Map<string, number>();
  for (let g = 0; g < f.G; g++) index.set(keyOf(f.values.map((v) => v[g]!)), g);
  return index;
}

/** The position of the time-bucket dimension (the last one), or -1. */
export function timeDim(f: Frame): number {
  for (let j = f.metas.length - 1; j >= 0; j--) if (f.metas[j]?.unit) return j;
  return -1;
}

export interface EnvExtras {
  kpi: string;
  zone: string;
  asOfMs: number;
  ref?: (name: string) => GroupView | null;
  field?: (kpi: string, field: "value" | "target" | "n") => GroupView | null;
  report: (code: DiagnosticCode, args: Record<string, string | number>, origin: Origin) => void;
}

/** The environment of group-level closures over a frame. */
export function frameEnv(f: Frame, x: EnvExtras): GroupEnv {
  const shifts = new Map<string, { index: Int32Array; label: (g: number) => string } | null>();
  const td = timeDim(f);
  return {
    kpi: x.kpi,
    zone: x.zone,
    asOfMs: x.asOfMs,
    reason: { text: null },
    dimOf: (e: Expr) => dimIndexOf(e, f.bound, f.names),
    dimByName: (name: string) => f.names.indexOf(name),
    dim: (j: number) => ({ values: f.values[j]!, meta: f.metas[j] ?? null }),
    agg: (e: AggExpr): AggOut | null => f.ctx?.agg(e) ?? null,
    uniform: (e: Expr): AggOut | null => f.ctx?.uniform(e) ?? null,
    ref: x.ref ?? (() => null),
    field: x.field ?? (() => null),
    shift: (step: TimeUnit | null) => {
      const k = step ?? "";
      if (shifts.has(k)) return shifts.get(k)!;
      if (td < 0) { shifts.set(k, null); return null; }
      const unit = f.metas[td]!.unit!;
      const index = new Int32Array(f.G).fill(-1);
      const prevOf = new Float64Array(f.G).fill(NaN);
      for (let g = 0; g < f.G; g++) {
        const p = f.values[td]![g];
        if (typeof p !== "number") continue;
        const q = shiftPeriod(unit, p, step);
        if (q === null) continue;
        prevOf[g] = q;
        const t = tupleAt(f, g);
        t[td] = q;
        index[g] = f.index.get(keyOf(t)) ?? -1;
      }
      const s = { index, label: (g: number) => (prevOf[g] === prevOf[g] ? periodLabel(unit, prevOf[g]!) : "none") };
      shifts.set(k, s);
      return s;
    },
    periodDays: () => {
      if (td < 0) return null;
      const unit = f.metas[td]!.unit!;
      return Float64Array.from(f.values[td]!, (p) => (typeof p === "number" ? periodDays(unit, p) : NaN));
    },
    report: x.report,
  };
}
