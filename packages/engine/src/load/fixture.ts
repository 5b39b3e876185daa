import type { Dataset, Diagnostic, Fixture } from "@yardstick/model";
import type { Table } from "../table/table.js";
import { Ingest, type RowSource } from "./ingest.js";
import type { Loc } from "./report.js";

/**
 * A table from the rows of a test fixture (`given <dataset>` with raw cell text), parsed and
 * checked like a data file. Diagnostics point at the fixture row's span in the spec file. Columns
 * the fixture leaves out are null and exempt from the nullability check, so a test gives only the
 * columns it is about; unknown and derived columns are ignored (the checker reports them).
 */
export function tableFromFixture(dataset: Dataset, fixture: Fixture): { table: Table | null; diagnostics: Diagnostic[] } {
  const file = fixture.origin.file;
  const ingest = new Ingest(dataset, { file, rowsHint: fixture.rows.length, invalidCode: "invalid-fixture-value" });
  const fieldOf = ingest.columns.map((c) => fixture.columns.indexOf(c.name));
  let row = 0;
  const source: RowSource = {
    locate(): Loc {
      const o = fixture.rowOrigins[row] ?? fixture.origin;
      return { span: { start: o.start, end: o.end } };
    },
  };
  ingest.setSource(source);
  for (; row < fixture.rows.length; row++) {
    const cells = fixture.rows[row]!;
    ingest.beginRow(row + 1);
    for (let ci = 0; ci < fieldOf.length; ci++) {
      const fi = fieldOf[ci]!;
      if (fi < 0) {
        ingest.setAbsent(ci);
        continue;
      }
      const cell = cells[fi];
      if (cell === null || cell === undefined) ingest.setNull(ci);
      else ingest.setString(ci, cell);
    }
    ingest.endRow();
  }
  const { table } = ingest.finish({ rowLines: null });
  if (table) {
    const spans = new Int32Array(table.rowCount * 2);
    const kept = ingest.keptRows();
    for (let i = 0; i < table.rowCount; i++) {
      const o = fixture.rowOrigins[kept[i]! - 1] ?? fixture.origin;
      spans[2 * i] = o.start;
      spans[2 * i + 1] = o.end;
    }
    table.rowSpans = spans;
  }
  return { table, diagnostics: ingest.report.diagnostics };
}
