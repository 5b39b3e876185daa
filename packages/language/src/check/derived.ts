import { aOrAn, COLUMN_TYPES, type ColumnType, type Span } from "@yardstick/model";
import type { DatasetSymbol, Reporter } from "./context.js";
import { checkExpr, type ExprEnv } from "./expr.js";
import { ColumnInfoNode, ColumnRecord, originOf } from "./model-nodes.js";

/** Derived columns are row expressions: no KPI names are in scope. */
const NO_KPIS: ReadonlySet<string> = new Set();

/**
 * Adds each dataset's derived (`let`) columns, in declaration order: a derived column may use
 * source columns, relations and derived columns declared before it.
 */
export function addDerivedColumns(datasets: Map<string, DatasetSymbol>, kpiNames: ReadonlySet<string>, r: Reporter): void {
  for (const ds of datasets.values()) {
    r.file = ds.file;
    for (const m of ds.decl.members) {
      if (m.kind !== "DerivedDecl" || !m.name) continue;
      const name = m.name.name;
      if (ds.columns.has(name)) {
        r.report("duplicate-column", { name, dataset: ds.model.name }, m.name.span, {
          related: [{ file: ds.file, span: ds.columns.get(name)!.span, message: `column "${name}" is first declared here` }],
        });
        continue;
      }
      const env: ExprEnv = { file: ds.file, r, datasets, kpiNames: NO_KPIS, scope: ds, zone: ds.model.zone, place: "a derived column", kpiRefs: new Map(), usesTime: null };
      const before = r.errorCount;
      const c = checkExpr(m.expr, env, "row");
      void kpiNames;
      if (r.errorCount !== before) continue;
      let type = c.e.type;
      if (m.type) {
        const declared = m.type.name.name;
        if (!(COLUMN_TYPES as readonly string[]).includes(declared)) {
          r.report("unknown-type", { name: declared }, m.type.name.span);
          continue;
        }
        if (type !== declared && !(type === "int" && declared === "number") && type !== "null") {
          r.report("type-mismatch", { text: `"${name}" is declared ${declared}, but its expression gives ${aOrAn(type)}.` }, m.expr.span);
          continue;
        }
        type = declared as ColumnType;
      }
      if (type === "period" || type === "null") {
        if (type === "null") type = "number";
        else {
          r.report("type-mismatch", { text: `A derived column cannot hold a period; group by the bucket instead (by month).` }, m.expr.span);
          continue;
        }
      }
      const span: Span = m.name.span;
      const perspective = perspectiveOf(c.e, ds);
      ds.model.columns.push(new ColumnRecord({
        name,
        type: type as ColumnType,
        nullable: true,
        key: false,
        time: false,
        perspective,
        unit: null,
        allowed: null,
        derived: c.e,
        origin: originOf(ds.file, span),
      }));
      ds.columns.set(name, new ColumnInfoNode(type as ColumnType, perspective, span, true));
    }
  }
}

function perspectiveOf(e: import("@yardstick/model").Expr, ds: DatasetSymbol): "customer" | "company" | null {
  const found = new Set<string>();
  const walk = (x: unknown): void => {
    if (!x || typeof x !== "object") return;
    const o = x as { op?: string; name?: string };
    if (o.op === "col" && o.name) {
      const p = ds.columns.get(o.name)?.perspective;
      if (p) found.add(p);
    }
    for (const v of Object.values(x)) if (typeof v === "object") walk(v);
  };
  walk(e);
  return found.size === 1 ? ([...found][0] as "customer" | "company") : null;
}
