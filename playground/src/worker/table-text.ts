/** Cells of a columnar table as text, for the data preview and hover samples. */
import { formatDuration, type ColumnData, type Table } from "@yardstick/engine";


function valueText(c: ColumnData, row: number): string | null {
  if (c.nulls !== null && c.nulls[row] === 1) return null;
  switch (c.type) {
    case "string": {
      const code = c.codes[row]!;
      return code < 0 ? null : c.dict[code]!;
    }
    case "bool": return c.values[row] ? "true" : "false";
    case "timestamp": return new Date(c.values[row]!).toISOString().replace(".000Z", "Z");
    case "date": return new Date(c.values[row]!).toISOString().slice(0, 10);
    case "duration": return formatDuration(c.values[row]!);
    default: return String(c.values[row]!);
  }
}

/** The first `limit` rows of the named columns (null cells as ""). */
export function previewRows(table: Table, columns: string[], limit: number): string[][] {
  const out: string[][] = [];
  const cols = columns.map((name) => table.columns.get(name));
  for (let row = 0; row < Math.min(limit, table.rowCount); row++) out.push(cols.map((c) => (c ? (valueText(c, row) ?? "") : "")));
  return out;
}

/** Up to `limit` distinct non-null values per column, in order of first appearance (reads at most 10,000 rows). */
export function sampleValues(table: Table, limit: number): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const rows = Math.min(table.rowCount, 10_000);
  for (const [name, c] of table.columns) {
    const seen = new Set<string>();
    for (let row = 0; row < rows && seen.size < limit; row++) {
      const v = valueText(c, row);
      if (v !== null) seen.add(v);
    }
    out[name] = [...seen];
  }
  return out;
}
