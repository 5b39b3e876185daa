import type { Expr, Kpi, Perspective, Ratio } from "@yardstick/model";
import type { DatasetSymbol } from "./context.js";
import { RatioRecord } from "./model-nodes.js";

type Side = Perspective | "mixed" | null;

/**
 * The perspective of an expression: the tag its columns carry (`@customer`, `@company`), through
 * related datasets and referenced KPIs; "mixed" when both appear, null when none does.
 */
export function perspectiveOf(e: Expr, scope: string | null, datasets: Map<string, DatasetSymbol>, kpis: ReadonlyMap<string, Kpi>, seen?: Set<string>): Side {
  const found = new Set<Perspective>();
  const walk = (x: Expr, ds: string | null): void => {
    switch (x.op) {
      case "col": {
        const p = ds ? datasets.get(ds)?.columns.get(x.name)?.perspective : null;
        if (p) found.add(p);
        return;
      }
      case "lookup":
        return walk(x.arg, x.dataset);
      case "agg":
        if (x.arg) walk(x.arg, x.source ? x.source.dataset : ds);
        return;
      case "kpi": {
        const k = kpis.get(x.name);
        if (!k || seen?.has(x.name)) return;
        (seen ??= new Set()).add(x.name);
        const p = perspectiveOf(k.value, k.from, datasets, kpis, seen);
        if (p === "mixed") { found.add("customer"); found.add("company"); }
        else if (p) found.add(p);
        return;
      }
      default:
        for (const v of Object.values(x)) {
          if (v && typeof v === "object" && "op" in (v as object)) walk(v as Expr, ds);
          else if (Array.isArray(v)) for (const it of v) if (it && typeof it === "object" && "op" in it) walk(it as Expr, ds);
        }
    }
  };
  walk(e, scope);
  if (found.size === 2) return "mixed";
  return found.size === 1 ? [...found][0]! : null;
}

/** For a value of the form `a / b`: both sides, their perspectives and the orientation. */
export function ratioOf(kpi: Kpi, datasets: Map<string, DatasetSymbol>, kpis: ReadonlyMap<string, Kpi>): Ratio | null {
  const v = kpi.value;
  if (v.op !== "binary" || v.operator !== "/") return null;
  const np = perspectiveOf(v.left, kpi.from, datasets, kpis);
  const dp = perspectiveOf(v.right, kpi.from, datasets, kpis);
  let orientation: Ratio["orientation"] = "unknown";
  if (np === "customer" && dp === "company") orientation = "customer-over-company";
  else if (np === "company" && dp === "customer") orientation = "company-over-customer";
  else if (np && dp && np === dp && np !== "mixed") orientation = "same-side";
  return new RatioRecord({ numerator: v.left, denominator: v.right, numeratorPerspective: np, denominatorPerspective: dp, orientation });
}
