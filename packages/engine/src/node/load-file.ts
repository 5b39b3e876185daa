import { open, stat } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { diagnostic, type Dataset, type Diagnostic, type Model } from "@yardstick/model";
import { CsvLoader, type LoadResult } from "../load/csv.js";
import { JsonLoader } from "../load/json.js";
import { loadParquet } from "../load/parquet.js";
import { checkRelations } from "../load/relations.js";
import type { Tables } from "../table/table.js";
import { progressReporter } from "./progress.js";

export type DataFormat = "csv" | "json" | "ndjson" | "parquet";

export interface LoadFileOptions {
  /** Overrides the format guessed from the extension (or declared in the spec). */
  format?: DataFormat;
  /** Called with bytes read and the file size; by default a progress line on stderr (TTY only, after 1 s). */
  onProgress?: (bytes: number, total: number) => void;
  /** false: no progress line at all. */
  progress?: boolean;
  signal?: AbortSignal;
  /** Read size in bytes (default 1 MiB). */
  chunkSize?: number;
  /** Load only these source columns (see `LoadOptions.columns`). */
  columns?: readonly string[];
}

/** The data format of a path by its extension (`.csv`, `.json`, `.ndjson`/`.jsonl`, `.parquet`/`.pq`), or null. */
export function formatOfPath(path: string): DataFormat | null {
  const ext = extname(path.endsWith(".gz") ? path.slice(0, -3) : path).toLowerCase();
  switch (ext) {
    case ".csv": case ".tsv": case ".txt": return "csv";
    case ".json": return "json";
    case ".ndjson": case ".jsonl": return "ndjson";
    case ".parquet": case ".pq": return "parquet";
    default: return null;
  }
}

/**
 * Loads one dataset from a file. CSV and JSON stream through two reused buffers (the next read
 * overlaps parsing), so the file is never one string in memory; Parquet is read whole (its footer
 * comes last) and decoded batch by batch.
 */
export async function loadDatasetFile(dataset: Dataset, path: string, options: LoadFileOptions = {}): Promise<LoadResult> {
  const where = { file: dataset.origin.file, span: { start: dataset.origin.start, end: dataset.origin.end } };
  const format = options.format ?? formatOfPath(path) ?? dataset.source?.format ?? null;
  if (!format) return failed(diagnostic("unsupported-format", { path }, { ...where, data: { dataset: dataset.name, path } }));
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new Error("not a file");
    size = st.size;
  } catch {
    return failed(diagnostic("file-not-found", { path, dataset: dataset.name }, { ...where, data: { dataset: dataset.name, path } }));
  }
  const progress = options.onProgress ?? (options.progress === false ? undefined : progressReporter(path));
  try {
    if (format === "parquet") {
      const fh = await open(path);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(size);
        let at = 0;
        while (at < size) {
          const { bytesRead } = await fh.read(bytes, at, size - at, at);
          if (!bytesRead) break;
          at += bytesRead;
          progress?.(at, size);
        }
      } finally {
        await fh.close();
      }
      return await loadParquet(dataset, bytes, { file: path, signal: options.signal, columns: options.columns });
    }
    const loader = format === "csv"
      ? new CsvLoader(dataset, { file: path, sizeHint: size, columns: options.columns, delimiter: extname(path).toLowerCase() === ".tsv" ? "\t" : "," })
      : new JsonLoader(dataset, { file: path, format, columns: options.columns });
    await readChunks(path, options.chunkSize ?? 1 << 20, (chunk, total) => {
      options.signal?.throwIfAborted();
      loader.push(chunk);
      progress?.(total, size);
    });
    return loader.finish();
  } finally {
    progress?.(-1, size);
  }
}

/** Reads a file in chunks into two alternating buffers; `each` must be done with a chunk when it returns. */
async function readChunks(path: string, chunkSize: number, each: (chunk: Uint8Array, total: number) => void): Promise<void> {
  const fh = await open(path);
  try {
    const bufs = [new Uint8Array(chunkSize), new Uint8Array(chunkSize)];
    let which = 0;
    let total = 0;
    let pending = fh.read(bufs[0]!, 0, chunkSize, null);
    for (;;) {
      const { bytesRead } = await pending;
      if (!bytesRead) break;
      const current = bufs[which]!;
      which ^= 1;
      pending = fh.read(bufs[which]!, 0, chunkSize, null);
      total += bytesRead;
      each(current.subarray(0, bytesRead), total);
    }
  } finally {
    await fh.close();
  }
}

function failed(d: Diagnostic): LoadResult {
  return { table: null, diagnostics: [d], rowsRead: 0, rowsSkipped: 0 };
}

export interface LoadModelOptions {
  /** Dataset name -> path (e.g. from `--data dataset=path`), used instead of the spec's `from`. */
  overrides?: Map<string, string>;
  /** Only these datasets (default: every dataset with a source or an override). */
  only?: Iterable<string>;
  /** Per dataset, the source columns to load (projection); datasets not listed load every column. */
  columns?: Map<string, readonly string[]>;
  progress?: boolean;
  signal?: AbortSignal;
}

/**
 * Loads every dataset of a model (a source path is relative to the directory of the spec file
 * that declares it), then checks relations across them.
 */
export async function loadModelData(model: Model, options: LoadModelOptions = {}): Promise<{ tables: Tables; diagnostics: Diagnostic[] }> {
  const tables: Tables = new Map();
  const diagnostics: Diagnostic[] = [];
  const only = options.only ? new Set(options.only) : null;
  for (const ds of model.datasets) {
    if (only && !only.has(ds.name)) continue;
    const override = options.overrides?.get(ds.name);
    const path = override ?? (ds.source ? resolve(dirname(ds.origin.file), ds.source.path) : null);
    if (!path) continue;
    const format = override ? undefined : ds.source?.format;
    const r = await loadDatasetFile(ds, path, { format: override ? undefined : format, progress: options.progress, signal: options.signal, columns: options.columns?.get(ds.name) });
    diagnostics.push(...r.diagnostics);
    if (r.table) tables.set(ds.name, r.table);
  }
  const rel = checkRelations(model, tables);
  diagnostics.push(...rel.diagnostics);
  return { tables: rel.tables, diagnostics };
}
