import type { ColumnType } from "@yardstick/model";

/**
 * Columnar, typed storage of one dataset. No row objects: every column is a typed array of
 * `rowCount` entries plus an optional null mask (1 = null; `null` when the column has no nulls).
 *
 * Encodings:
 * - int, number: Float64Array of the value.
 * - duration: Float64Array of milliseconds.
 * - timestamp: Float64Array of epoch milliseconds (UTC instant).
 * - date: Float64Array of epoch milliseconds of the date's UTC midnight (a calendar date, no zone).
 * - bool: Uint8Array of 0/1.
 * - string: Int32Array of codes into `dict` (dictionary encoding); a null row has code -1.
 */
export type ColumnData =
  | { type: "int" | "number" | "duration" | "timestamp" | "date"; values: Float64Array; nulls: Uint8Array | null }
  | { type: "bool"; values: Uint8Array; nulls: Uint8Array | null }
  | { type: "string"; codes: Int32Array; dict: string[]; nulls: Uint8Array | null };

export interface Table {
  /** The dataset this table holds. */
  dataset: string;
  rowCount: number;
  columns: Map<string, ColumnData>;
  /** Where the rows came from, for diagnostics: a file name and each row's one-based line (if known). */
  file: string | null;
  rowLines: Int32Array | null;
  /** What `rowLines` counts: lines of a text file (the default), or one-based row numbers (Parquet). */
  rowUnit?: "line" | "row";
  /** Rows from a spec file (test fixtures): UTF-16 start/end offsets of each row in `file`, two entries per row. */
  rowSpans?: Int32Array;
  /** One-based column of each row's cell in its line (0 = unknown), kept for the columns checked after load (relation columns). */
  cellColumns?: Map<string, Int32Array>;
}

export type Tables = Map<string, Table>;

export function columnType(c: ColumnData): ColumnType {
  return c.type;
}

export function isNull(c: ColumnData, row: number): boolean {
  return c.nulls !== null && c.nulls[row] === 1;
}
