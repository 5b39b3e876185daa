import type { Comparator } from "@yardstick/model";
import { PLAIN, showCount, showNumber } from "./display.js";
import type { Group } from "./frame.js";
import { evalGroup } from "./group-eval.js";
import { kpiDisp, node, type Scope } from "./nodes.js";
import { printExpr } from "./print-expr.js";
import type { ExplainNode } from "./types.js";

export interface TargetResult {
  /** The target (NaN when no arm applies or its value is not a number). */
  t: number;
  cmp: Comparator | null;
  node: ExplainNode | null;
}

/** The operands of a condition: the arm's text already says what the condition is. */
function conditionChildren(n: ExplainNode): ExplainNode[] {
  return n.children.length > 0 ? n.children : [n];
}

const notReached = (text: string): ExplainNode => node("arm", text, null, "bool", null, PLAIN, { detail: "not reached", display: "" });

/** The target of the group: the first arm whose `when` holds (the last arm has none), and its value. */
export function targetOf(s: Scope, g: Group): TargetResult {
  const kpi = s.inst!.kpi;
  if (kpi.target.length === 0) return { t: NaN, cmp: null, node: null };
  const disp = kpiDisp(kpi);
  const arms: ExplainNode[] = [];
  let chosen = -1, t = NaN, cmp: Comparator | null = null;
  kpi.target.forEach((arm, i) => {
    const text = `${arm.comparator} ${printExpr(arm.value, kpi.name)}${arm.when ? ` when ${printExpr(arm.when, kpi.name)}` : kpi.target.length > 1 ? " otherwise" : ""}`;
    if (chosen >= 0) { arms.push(notReached(text)); return; }
    const cond = arm.when ? evalGroup(arm.when, s, g) : null;
    const holds = cond === null || cond.v === 1;
    const n = node("arm", text, cond ? cond.v : 1, "bool", null, PLAIN, { children: cond ? conditionChildren(cond.node) : [] });
    if (holds) {
      chosen = i;
      const value = evalGroup(arm.value, s, g);
      const tv = typeof value.v === "number" && Number.isFinite(value.v) ? value.v : NaN;
      t = tv;
      cmp = arm.comparator;
      // A constant target says all in the arm's text; a computed one shows how it was computed.
      if (arm.value.op !== "lit") {
        value.node.role = "target value";
        value.node.display = showNumber(tv === tv ? tv : null, disp);
        n.children.push(value.node);
      }
      n.chosen = true;
    }
    arms.push(n);
  });
  const root = node("info", "target", t, "number", null, disp, {
    children: arms,
    ...(chosen < 0 ? { reason: "no target arm applies to this group" } : kpi.target.length > 1 ? { detail: `arm ${chosen + 1} of ${kpi.target.length} applies` } : {}),
  });
  return { t, cmp, node: root };
}

export function compareNum(v: number, cmp: Comparator, t: number): boolean {
  switch (cmp) {
    case ">=": return v >= t;
    case ">": return v > t;
    case "<=": return v <= t;
    case "<": return v < t;
    case "=": return v === t;
    case "!=": return v !== t;
  }
}

/** The comparison of the value with the target. */
export function comparisonNode(s: Scope, v: number, target: TargetResult): ExplainNode | null {
  if (target.cmp === null || target.t !== target.t || v !== v) return null;
  const disp = kpiDisp(s.inst!.kpi);
  const holds = compareNum(v, target.cmp, target.t);
  return node("comparison", `value ${target.cmp} target`, holds ? 1 : 0, "bool", null, PLAIN, {
    detail: `${showNumber(v, disp)} ${target.cmp} ${showNumber(target.t, disp)}`,
  });
}

/**
 * How the status was decided, with the evaluator's rules: `insufficient_data` first (null value or
 * n below min samples), then the status block's arms in order (first match wins), else
 * on_target / off_target from the target's comparison.
 */
export function statusOf(s: Scope, g: Group, v: number, reason: string | null, target: TargetResult): { status: string | null; node: ExplainNode } {
  const kpi = s.inst!.kpi;
  const arms: ExplainNode[] = [];
  let status: string | null = null;
  const min = kpi.minSamples;
  const insufficient = v !== v || (min !== null && g.n < min);
  const why = v !== v ? `the value is null${reason ? ` (${reason})` : ""}` : min !== null ? `n = ${showCount(g.n)}, min samples ${showCount(min)}` : `n = ${showCount(g.n)}`;
  arms.push(node("arm", `insufficient_data when the value is null${min !== null ? " or n < min samples" : ""}`, insufficient ? 1 : 0, "bool", null, PLAIN, {
    detail: why, ...(insufficient ? { chosen: true } : {}),
  }));
  if (insufficient) status = "insufficient_data";
  if (kpi.status.length > 0) {
    for (const arm of kpi.status) {
      const text = arm.when ? `${arm.label} when ${printExpr(arm.when, kpi.name)}` : `${arm.label} otherwise`;
      if (status !== null) { arms.push(notReached(text)); continue; }
      const cond = arm.when ? evalGroup(arm.when, s, g) : null;
      const holds = cond === null || cond.v === 1;
      const n = node("arm", text, cond ? cond.v : 1, "bool", null, PLAIN, { children: cond ? conditionChildren(cond.node) : [] });
      if (holds) { n.chosen = true; status = arm.label; }
      arms.push(n);
    }
  } else if (target.cmp !== null) {
    const cmp = comparisonNode(s, v, target);
    const onText = `on_target when value ${target.cmp} target`;
    if (status !== null) arms.push(notReached(onText), notReached("off_target otherwise"));
    else if (!cmp) arms.push(node("arm", onText, NaN, "bool", null, PLAIN, { reason: "no target for this group" }));
    else {
      const holds = cmp.value === true;
      arms.push({ ...node("arm", onText, holds ? 1 : 0, "bool", null, PLAIN, { children: [cmp] }), ...(holds ? { chosen: true } : {}) });
      const off = node("arm", "off_target otherwise", holds ? null : 1, "bool", null, PLAIN, holds ? { detail: "not reached", display: "" } : { chosen: true });
      arms.push(off);
      status = holds ? "on_target" : "off_target";
    }
  }
  const root = node("info", "status", status, "string", null, PLAIN, { children: arms, display: status ?? "—" });
  if (status === null) root.reason = kpi.status.length > 0 ? "no status arm matches" : "no target applies";
  return { status, node: root };
}
