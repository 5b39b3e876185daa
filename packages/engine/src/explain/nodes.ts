import type { Expr, Kpi, TimeUnit, ValueType } from "@yardstick/model";
import type { Plan } from "../plan/plan.js";
import { PLAIN, rawValue, showValue, type Disp } from "./display.js";
import type { ExFrame, Group } from "./frame.js";
import { printExpr } from "./print-expr.js";
import type { Data, V } from "./rows.js";
import type { ExplainNode, ExplainNodeKind, ExplainTree } from "./types.js";

/** A value of an aggregate-level expression for one group, with its explanation. */
export interface GV {
  v: V;
  kind: "num" | "str";
  vtype: ValueType;
  unit: TimeUnit | null;
  constant?: V;
  /** Why `v` is null: where the first null came from. */
  reason: string | null;
  disp: Disp;
  node: ExplainNode;
}

/** A KPI instance as expressions see it: its values per group and the KPIs it references. */
export interface InstHost {
  kpi: Kpi;
  frame: ExFrame;
  value(g: Group): { v: number; reason: string | null };
  target(g: Group): { t: number; reason: string | null };
  ref(name: string): InstHost | null;
  /** The group of `ref` that corresponds to `g` (same values on the dimensions `ref` is grouped by). */
  mapped(ref: InstHost, g: Group): Group | null;
  /** The full explanation of this KPI for `g` (for KPI references). */
  tree(g: Group): ExplainTree;
}

/** What every evaluation shares: the data, the plan, the sub-frames of `per` aggregates. */
export interface Env {
  data: Data;
  plan: Plan;
  asOfMs: number;
  sampleRows: number;
  kpis: Map<string, Kpi>;
  subFrame(contextKey: string): ExFrame;
}

export interface Scope {
  env: Env;
  frame: ExFrame;
  /** The KPI being explained (null inside a `per` aggregate's inner groups). */
  inst: InstHost | null;
  /** Build the explanation's detail nodes (false when only the value is needed). */
  detail: boolean;
}

export const NO_ROWS = "no rows";
export const DIV_ZERO = "division by zero";

export function node(kind: ExplainNodeKind, text: string, v: V, vtype: ValueType, unit: TimeUnit | null, disp: Disp, extra: Partial<ExplainNode> = {}): ExplainNode {
  const n: ExplainNode = { kind, text, value: rawValue(v, vtype, unit), display: showValue(v, vtype, unit, disp), children: [] };
  return Object.assign(n, extra);
}

export function gv(kind: ExplainNodeKind, e: Expr | string, s: Scope, v: V, vtype: ValueType, unit: TimeUnit | null, disp: Disp, reason: string | null, children: ExplainNode[] = [], extra: Partial<ExplainNode> = {}): GV {
  const text = typeof e === "string" ? e : printExpr(e, s.inst?.kpi.name ?? null);
  const k: "num" | "str" = typeof v === "string" || (v === null && vtype === "string") ? "str" : "num";
  const isNullV = v === null || (typeof v === "number" && v !== v);
  const n = node(kind, text, v, vtype, unit, disp, { children, ...extra });
  if (isNullV && reason) n.reason = reason;
  return { v, kind: k, vtype, unit, reason: isNullV ? reason : null, disp, node: n };
}

/** Display of a KPI's values. */
export function kpiDisp(k: Kpi | undefined | null): Disp {
  return k ? { kind: "kpi", spec: { format: k.format, unit: k.unit } } : PLAIN;
}
