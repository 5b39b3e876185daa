/**
 * Messages between the page and the engine worker. Everything here is structured-clone data: the
 * page never imports the engine, and the worker never touches the DOM.
 */
import type { Diagnostic } from "@yardstick/model";
import type { ResultRow, StatusTone } from "@yardstick/engine";
import type { SpecFile } from "../editor/types";

export type DataFormat = "csv" | "json" | "ndjson" | "parquet";

/** A data file the worker can read: an example's CSV (fetched by URL) or one the user brought. */
export interface DataFile {
  /** The path a spec's `from "…"` resolves to (`/airline/data/flights.csv`), or `upload:<name>`. */
  path: string;
  /** Shown in the data panel and in diagnostics. */
  name: string;
  format: DataFormat;
  /**
   * Where the bytes are: in memory, in a file the user picked or dropped (a `File` is a handle:
   * the worker streams it, the page never reads it), or at a URL (example data ships with the site).
   */
  bytes?: ArrayBuffer;
  blob?: Blob;
  url?: string;
}

export interface RunOptions {
  /** ISO timestamp used as "now"; default: the current time. */
  asOf?: string;
  /** Query-time regrouping (`customer.segment, month`) and filter, as on the command line. */
  by?: string;
  where?: string;
}

export type ToWorker =
  /** Adds or replaces data files (kept across runs; a file is read again only when its bytes change). */
  | { type: "files"; files: DataFile[] }
  /** Binds datasets to data files by path, overriding the spec's `from` (null: back to the spec's own). */
  | { type: "bind"; bindings: Record<string, string | null> }
  /** Checks, loads what changed, evaluates, runs the rules and the tests. A newer run cancels an older one. */
  | { type: "run"; id: number; files: SpecFile[]; options: RunOptions }
  /** Explains one value of the last successful run. */
  | { type: "explain"; id: number; kpi: string; group: Record<string, string> };

/** A result row as the engine's JSON contract has it, plus display text in the KPI's format. */
export interface ResultView extends ResultRow {
  display: string;
  targetDisplay: string;
  /** How the status reads: good, warn, bad, neutral (no status or too few samples). */
  tone: StatusTone;
}

export interface KpiInfo {
  name: string;
  label: string | null;
  description: string | null;
  unit: string | null;
  direction: string | null;
  /** Ratio KPIs: customer-over-company, company-over-customer, same side. */
  orientation: string | null;
  file: string;
  start: number;
  end: number;
}

/** One KPI over time: the chart of the Charts tab. */
export interface SeriesView {
  kpi: string;
  /** The time dimension's name as written (`month`), and its labels in order. */
  bucket: string;
  periods: string[];
  /** One line per combination of the other dimensions (at most a handful, the largest first). */
  lines: Array<{ label: string; values: Array<number | null> }>;
  /** The target per period for the first line (null where there is none). */
  target: Array<number | null>;
  /** Alert episodes of rules on this KPI, as period labels (`to` null: still firing). */
  episodes: Array<{ rule: string; from: string; to: string | null; severity: string; group: string }>;
  /** The first line, formatted as the KPI's values are (for the chart's axis and legend). */
  format: { unit: string | null; percent: boolean; decimals: number | null };
  /** Why there is no chart (no time column, no data). */
  note?: string;
}

export interface AlertView {
  rule: string;
  label: string | null;
  group: Record<string, string | number | boolean | null>;
  from: string;
  to: string | null;
  severity: string;
  message: string;
}

export interface TestView {
  name: string;
  file: string;
  line: number | null;
  passed: boolean;
  expectations: number;
  failures: Array<{ message: string; expectation: string; expected: string; actual: string; line: number | null; start: number; end: number; file: string }>;
  start: number;
  end: number;
}

export interface DatasetView {
  name: string;
  label: string | null;
  /** Where its rows came from: a path, an uploaded file's name, or null (no data). */
  source: string | null;
  uploaded: boolean;
  rows: number;
  skipped: number;
  columns: Array<{ name: string; type: string; nullable: boolean; perspective: string | null }>;
  /** The first rows, as text, for the preview. */
  preview: string[][];
  /** A few distinct values per column, for hover. */
  samples: Record<string, string[]>;
  loadMs: number;
}

export type FromWorker =
  | { type: "ready" }
  | { type: "progress"; id: number; phase: string; detail?: string }
  | {
      type: "result";
      id: number;
      /** False when the spec has errors: only the diagnostics (and the model, if any) are meaningful. */
      ok: boolean;
      /** False for the first answer of a run (values, alerts, data); the second adds the tests and the charts. */
      complete: boolean;
      kpis: KpiInfo[];
      results: ResultView[];
      series: SeriesView[];
      alerts: AlertView[];
      tests: TestView[];
      datasets: DatasetView[];
      /** The spec's own diagnostics (what the editor shows as squiggles). */
      specDiagnostics: Diagnostic[];
      /** Data, query and evaluation diagnostics, each with file and span, or line and column. */
      diagnostics: Diagnostic[];
      /** The compiled model as JSON (the Model tab). */
      model: unknown;
      timings: Record<string, number>;
    }
  | { type: "explained"; id: number; tree: unknown }
  /** A run was dropped because a newer one arrived. */
  | { type: "cancelled"; id: number }
  | { type: "error"; id: number; message: string };
