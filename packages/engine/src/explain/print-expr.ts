import { printExpr as printModelExpr, printName, type Expr } from "@yardstick/model";

export { printName };

/**
 * A model expression as spec text (`100 * (share(recommend >= 9) - share(recommend <= 6))`), for
 * explain. `kpi` is the KPI the expression belongs to: its own `value`, `target` and `n` print
 * bare, other KPIs' as `target(other)`.
 */
export function printExpr(e: Expr, kpi: string | null = null): string {
  return printModelExpr(e, { self: kpi, bareValue: true });
}
