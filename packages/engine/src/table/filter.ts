import type { ColumnData, Table } from "./table.js";

/** A copy of `table` with only the rows where keep[row] is 1 (dictionaries are kept as they are). */
export function filterRows(table: Table, keep: Uint8Array): Table {
  let n = 0;
  for (let i = 0; i < table.rowCount; i++) n += keep[i]!;
  const pick = <T extends Float64Array | Uint8Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(n);
    for (let i = 0, j = 0; i < table.rowCount; i++) if (keep[i]) out[j++] = a[i]!;
    return out;
  };
  const columns = new Map<string, ColumnData>();
  for (const [name, c] of table.columns) {
    const nulls = c.nulls ? pick(c.nulls) : null;
    if (c.type === "string") columns.set(name, { type: "string", codes: pick(c.codes), dict: c.dict, nulls });
    else if (c.type === "bool") columns.set(name, { type: "bool", values: pick(c.values), nulls });
    else columns.set(name, { type: c.type, values: pick(c.values), nulls });
  }
  const out: Table = { ...table, rowCount: n, columns, rowLines: table.rowLines ? pick(table.rowLines) : null };
  if (table.rowSpans) {
    const spans = new Int32Array(n * 2);
    for (let i = 0, j = 0; i < table.rowCount; i++) {
      if (keep[i]) {
        spans[j++] = table.rowSpans[2 * i]!;
        spans[j++] = table.rowSpans[2 * i + 1]!;
      }
    }
    out.rowSpans = spans;
  }
  if (table.cellColumns) out.cellColumns = new Map([...table.cellColumns].map(([k, v]) => [k, pick(v)]));
  return out;
}
