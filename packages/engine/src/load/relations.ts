import type { Dataset, Diagnostic, Model } from "@yardstick/model";
import { filterRows } from "../table/filter.js";
import type { ColumnData, Table, Tables } from "../table/table.js";
import { Reporter, type Loc } from "./report.js";
import { diagnostic } from "@yardstick/model";

/**
 * Checks, after every dataset has loaded, that each many-to-one relation points at an existing
 * key: a non-null value of the relation column must be a key of the target table. A relation whose
 * target has no table (a test fixture that leaves it out) is not checked. Under `on bad rows skip`
 * the dangling rows are dropped (with a warning each and a `rows-skipped` count); under `fail`
 * they are errors and the dataset's table is left out of the result.
 */
export function checkRelations(model: Model, tables: Tables): { tables: Tables; diagnostics: Diagnostic[] } {
  const out: Tables = new Map(tables);
  const diagnostics: Diagnostic[] = [];
  for (const ds of orderByTargets(model.datasets)) {
    const table = out.get(ds.name);
    if (!table || ds.relations.length === 0) continue;
    const report = new Reporter(ds, table.file ?? undefined);
    const keep = new Uint8Array(table.rowCount).fill(1);
    let dropped = 0;
    for (const rel of ds.relations) {
      const target = out.get(rel.dataset);
      const col = table.columns.get(rel.column);
      const keyCol = target?.columns.get(rel.key);
      if (!target || !col || !keyCol) continue;
      const exists = memberTest(col, keyCol);
      const positions = table.cellColumns?.get(rel.column);
      for (let r = 0; r < table.rowCount; r++) {
        if (col.nulls && col.nulls[r]) continue;
        if (exists(r)) continue;
        if (keep[r]) dropped++;
        keep[r] = 0;
        report.row("dangling-relation", { value: display(col, r), column: rel.column, target: rel.dataset }, locate(table, r, positions), rel.column, { relation: rel.name });
      }
    }
    if (dropped === 0) continue;
    if (ds.onBadRows === "skip") {
      report.diagnostics.push(diagnostic("rows-skipped", { count: dropped, dataset: ds.name, reasons: `${dropped} dangling-relation` }, {
        file: table.file ?? undefined,
        data: { dataset: ds.name, count: dropped, "dangling-relation": dropped },
      }));
      out.set(ds.name, filterRows(table, keep));
    } else out.delete(ds.name);
    report.finish();
    diagnostics.push(...report.diagnostics);
  }
  return { tables: out, diagnostics };
}

/** Datasets whose relation targets come first, so rows dropped from a target are seen by its referrers. */
function orderByTargets(datasets: Dataset[]): Dataset[] {
  const byName = new Map(datasets.map((d) => [d.name, d]));
  const done = new Set<string>();
  const order: Dataset[] = [];
  const visit = (d: Dataset, path: Set<string>) => {
    if (done.has(d.name) || path.has(d.name)) return;
    path.add(d.name);
    for (const r of d.relations) {
      const t = byName.get(r.dataset);
      if (t) visit(t, path);
    }
    done.add(d.name);
    order.push(d);
  };
  for (const d of datasets) visit(d, new Set());
  return order;
}

function memberTest(col: ColumnData, key: ColumnData): (row: number) => boolean {
  if (col.type === "string") {
    if (key.type !== "string") return () => false;
    const keys = new Set<string>();
    for (let r = 0; r < key.codes.length; r++) if (key.codes[r]! >= 0) keys.add(key.dict[key.codes[r]!]!);
    const known = new Int8Array(col.dict.length); // 0 unknown, 1 yes, -1 no
    return (row) => {
      const c = col.codes[row]!;
      if (known[c] === 0) known[c] = keys.has(col.dict[c]!) ? 1 : -1;
      return known[c] === 1;
    };
  }
  if (key.type === "string") return () => false;
  const keys = new Set<number>();
  for (let r = 0; r < key.values.length; r++) if (!(key.nulls && key.nulls[r])) keys.add(key.values[r]!);
  return (row) => keys.has(col.values[row]!);
}

function display(col: ColumnData, r: number): string {
  if (col.type === "string") return col.dict[col.codes[r]!]!;
  if (col.type === "timestamp") return new Date(col.values[r]!).toISOString();
  if (col.type === "date") return new Date(col.values[r]!).toISOString().slice(0, 10);
  return String(col.values[r]);
}

function locate(table: Table, r: number, positions: Int32Array | undefined): Loc {
  if (table.rowSpans) return { span: { start: table.rowSpans[2 * r]!, end: table.rowSpans[2 * r + 1]! } };
  if (!table.rowLines) return { row: r + 1 };
  if (table.rowUnit === "row") return { row: table.rowLines[r]! };
  const column = positions?.[r];
  return column ? { line: table.rowLines[r]!, column } : { line: table.rowLines[r]! };
}
