import type { Span } from "@yardstick/model";
import type { Reporter } from "./context.js";
import type { CheckedKpi } from "./kpis.js";

/**
 * Reports every cycle of KPI references once, naming the whole cycle (a -> b -> a), at the first
 * reference of each KPI in the cycle. Returns the names of the KPIs on a cycle.
 */
export function findKpiCycles(kpis: Map<string, CheckedKpi>, r: Reporter): Set<string> {
  const state = new Map<string, 0 | 1 | 2>();
  const stack: string[] = [];
  const onCycle = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, 1);
    stack.push(name);
    const k = kpis.get(name);
    for (const dep of k?.refs.keys() ?? []) {
      if (!kpis.has(dep)) continue;
      const s = state.get(dep) ?? 0;
      if (s === 0) visit(dep);
      else if (s === 1) {
        const cycle = stack.slice(stack.indexOf(dep));
        cycle.forEach((c) => onCycle.add(c));
        const text = [...cycle, dep].map((c) => `"${c}"`).join(" -> ");
        const first = kpis.get(cycle[0]!)!;
        const span: Span = first.refs.get(cycle[1] ?? cycle[0]!) ?? first.refs.values().next().value!;
        r.file = first.file;
        r.report("circular-kpi", { cycle: text }, span, {
          related: cycle.slice(1).map((c) => {
            const ck = kpis.get(c)!;
            const next = cycle[(cycle.indexOf(c) + 1) % cycle.length]!;
            return { file: ck.file, span: ck.refs.get(next)!, message: `"${c}" refers to "${next}" here` };
          }),
        });
      }
    }
    stack.pop();
    state.set(name, 2);
  };
  for (const name of kpis.keys()) if ((state.get(name) ?? 0) === 0) visit(name);
  return onCycle;
}
