import type { Column, Dataset, Diagnostic } from "@yardstick/model";
import type { LoadOptions, LoadResult } from "./csv.js";
import { Ingest, type RowSource } from "./ingest.js";
import { readArray, readSchema, type CArray, type CSchema } from "./arrow-c.js";
import { localToUtc } from "./zone.js";
import { loadFlatParquet } from "./parquet-flat.js";

export interface ParquetOptions extends LoadOptions {
  /**
   * Where the browser build of parquet-wasm finds its .wasm file (a URL, Response or bytes); only
   * needed when the bundler does not resolve it by itself. Ignored under Node.
   */
  wasm?: unknown;
}

type ParquetWasm = typeof import("parquet-wasm");
let wasmModule: Promise<ParquetWasm> | null = null;

/** parquet-wasm, loaded on first use (its browser build needs an init call; the Node build does not). */
async function parquetWasm(wasm: unknown): Promise<ParquetWasm> {
  wasmModule ??= (async () => {
    const m = (await import("parquet-wasm")) as ParquetWasm & { default?: unknown };
    if (typeof m.default === "function") await (m.default as (x?: unknown) => Promise<unknown>)(wasm);
    return (typeof m.readParquet === "function" ? m : (m.default as unknown as ParquetWasm));
  })();
  return wasmModule;
}

const DAY = 86_400_000;

/**
 * Loads a Parquet file held in memory. Flat files with the usual encodings (what DuckDB, Spark,
 * pandas and Polars write: UNCOMPRESSED or SNAPPY, PLAIN or dictionary pages) are decoded by our
 * own reader straight into the table's typed arrays (`parquet-flat.ts`); every other file by
 * parquet-wasm (Rust's parquet reader compiled to WebAssembly, into Arrow record batches, read
 * in place through the Arrow C data interface). Either way the values are checked like any other
 * source. Parquet has no lines: diagnostics carry `data.row`, the one-based row number.
 *
 * Logical types map to declared types: integers and floats to int/number (an int column rejects
 * fractions), BOOLEAN to bool, DATE to date (or midnight in the dataset's zone for a timestamp),
 * TIMESTAMP to timestamp (without a zone annotation: wall-clock time in the dataset's zone),
 * integers to timestamp as epoch milliseconds, Arrow durations to duration, UTF8 strings to any
 * type through the text parser.
 */
export async function loadParquet(dataset: Dataset, input: ArrayBuffer | Uint8Array, options: ParquetOptions = {}): Promise<LoadResult> {
  // Flat files with the common encodings: our own reader (parquet-flat.ts); the rest: parquet-wasm.
  const flat = loadFlatParquet(dataset, input instanceof Uint8Array ? input : new Uint8Array(input), options);
  return flat ?? loadParquetWasm(dataset, input, options);
}

/** loadParquet through parquet-wasm only (any Parquet file; also what the tests compare the flat reader with). */
export async function loadParquetWasm(dataset: Dataset, input: ArrayBuffer | Uint8Array, options: ParquetOptions = {}): Promise<LoadResult> {
  const ingest = new Ingest(dataset, { file: options.file, cap: options.cap, columns: options.columns });
  let row = 0;
  const source: RowSource = { locate: () => ({ row: ingest.currentLine }) };
  ingest.setSource(source);
  const pw = await parquetWasm(options.wasm);
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  let wasmTable: ReturnType<ParquetWasm["readParquet"]>;
  try {
    wasmTable = pw.readParquet(bytes, { batchSize: 65536, columns: options.columns ? ingest.columns.map((c) => c.name) : undefined });
  } catch (err) {
    ingest.report.fatal("malformed-data", { text: `This is not a readable Parquet file: ${String((err as Error)?.message ?? err)}` });
    return done(ingest);
  }
  const stream = wasmTable.intoFFI();
  try {
    const mem = new Uint8Array(pw.wasmMemory().buffer);
    const schema = readSchema(mem, stream.schemaAddr());
    const fieldOf = ingest.columns.map((c) => schema.children.findIndex((f) => f.name === c.name));
    let missing = false;
    ingest.columns.forEach((c, ci) => {
      if (fieldOf[ci]! < 0) {
        ingest.report.fatal("missing-data-column", { dataset: dataset.name, column: c.name }, {}, c.name);
        missing = true;
      }
    });
    if (missing) return done(ingest);
    const readers: Array<CellReader | null> = ingest.columns.map((c, ci) => readerFor(c, schema.children[fieldOf[ci]!]!, dataset.zone));
    const writers = readers.map((r, ci) => (r ? writerFor(ingest.columns[ci]!, schema.children[fieldOf[ci]!]!, dataset.zone, r) : null));
    let unsupported = false;
    readers.forEach((r, ci) => {
      if (r) return;
      const f = schema.children[fieldOf[ci]!]!;
      ingest.report.fatal("unsupported-data-type", { column: ingest.columns[ci]!.name, found: `Arrow "${f.format}"`, type: ingest.columns[ci]!.type }, {}, ingest.columns[ci]!.name);
      unsupported = true;
    });
    if (unsupported) return done(ingest);
    const writersOk = writers as ColumnWriter[];
    const total = stream.numArrays();
    let rowsTotal = 0;
    const batches: CArray[] = [];
    for (let b = 0; b < total; b++) {
      const batch = readArray(mem, stream.arrayAddr(b));
      batches.push(batch);
      rowsTotal += batch.length;
    }
    ingest.reserve(rowsTotal);
    const dv = new DataView(mem.buffer);
    for (const batch of batches) {
      options.signal?.throwIfAborted();
      ingest.beginBatch(batch.length, row + 1);
      for (let ci = 0; ci < writersOk.length; ci++) writersOk[ci]!(mem, dv, batch.children[fieldOf[ci]!]!, ingest, ci);
      ingest.endBatch();
      row += batch.length;
    }
  } finally {
    stream.free();
  }
  return done(ingest);
}

function done(ingest: Ingest): LoadResult {
  const { table, rowsRead, rowsSkipped } = ingest.finish({ rowUnit: "row" });
  // Columns are written one after the other: put the row diagnostics back in row order (stable).
  const row = (d: Diagnostic) => (typeof d.data?.row === "number" ? d.data.row : Infinity);
  const diagnostics = ingest.report.diagnostics.map((d, i) => [d, i] as const)
    .sort((a, b) => row(a[0]) - row(b[0]) || a[1] - b[1])
    .map(([d]) => d);
  return { table, diagnostics, rowsRead, rowsSkipped };
}

/** Writes one column of a batch into the ingest (rows batchFirst ..). */
type ColumnWriter = (mem: Uint8Array, dv: DataView, arr: CArray, ingest: Ingest, ci: number) => void;

const INTEGRAL = /^[cCsSiI]$/;
const FLOATING = /^[fg]$/;

/**
 * The column-wise writer: typed loops straight into the column arrays for the common pairs
 * (numbers, times, booleans, strings), then one vectorized constraint check; anything else goes
 * cell by cell through the ingest's setters.
 */
function writerFor(col: Column, field: CSchema, zone: string, cells: CellReader): ColumnWriter {
  const f = field.format;
  const direct =
    !field.dictionary &&
    ((col.type === "number" && (INTEGRAL.test(f) || FLOATING.test(f))) ||
      (col.type === "int" && INTEGRAL.test(f)) ||
      (col.type === "timestamp" && f.startsWith("ts")) ||
      (col.type === "date" && f === "tdD") ||
      (col.type === "bool" && f === "b") ||
      (col.type === "string" && (f === "u" || f === "U")));
  if (!direct) {
    return (mem, dv, arr, ingest, ci) => {
      const cell = cells(mem, dv, arr, ingest, ci);
      for (let i = 0; i < arr.length; i++) {
        ingest.seek(i);
        cell(i);
      }
    };
  }
  return (mem, dv, arr, ingest, ci) => {
    const sink = ingest.sinks[ci]!;
    const r0 = ingest.batchFirst;
    const n = arr.length;
    const bitmap = arr.nullCount > 0 ? arr.buffers[0]! : 0;
    const off = arr.offset;
    const nulls = bitmap ? ingest.nullsOf(ci) : sink.nulls;
    if (bitmap) {
      for (let i = 0; i < n; i++) nulls![r0 + i] = ((mem[bitmap + ((i + off) >> 3)]! >> ((i + off) & 7)) & 1) ^ 1;
    } else if (nulls) nulls.fill(0, r0, r0 + n);
    if (col.type === "string") {
      const codes = sink.codes!;
      const dict = sink.dict!;
      const large = f === "U";
      const offsets = arr.buffers[1]!;
      const data = arr.buffers[2]!;
      const o32 = large ? null : view(Int32Array, 4, mem, offsets, n + off + 1);
      for (let i = 0; i < n; i++) {
        if (bitmap && nulls![r0 + i]) { codes[r0 + i] = -1; continue; }
        const a = o32 ? o32[i + off]! : large ? i64At(dv, offsets + 8 * (i + off)) : dv.getInt32(offsets + 4 * (i + off), true);
        const b = o32 ? o32[i + off + 1]! : large ? i64At(dv, offsets + 8 * (i + off + 1)) : dv.getInt32(offsets + 4 * (i + off + 1), true);
        codes[r0 + i] = dict.code(mem, data + a, data + b);
      }
    } else if (col.type === "bool") {
      const out = sink.u8!;
      const base = arr.buffers[1]!;
      for (let i = 0; i < n; i++) out[r0 + i] = (mem[base + ((i + off) >> 3)]! >> ((i + off) & 7)) & 1;
    } else {
      const out = sink.f64!;
      const get = numberGetter(f, mem, dv, arr)!;
      if (col.type === "timestamp") {
        const scale = UNIT_MS[f[2]!]!;
        const naive = f.length <= 4;
        for (let i = 0; i < n; i++) {
          const ms = get(i) * scale;
          out[r0 + i] = naive ? localToUtc(ms, zone) : ms;
        }
      } else if (col.type === "date") {
        for (let i = 0; i < n; i++) out[r0 + i] = get(i) * DAY;
      } else {
        for (let i = 0; i < n; i++) out[r0 + i] = get(i);
      }
      if (bitmap) for (let i = 0; i < n; i++) if (nulls![r0 + i]) out[r0 + i] = NaN;
    }
    ingest.checkColumn(ci);
  };
}

/** Given a batch's column, returns the function that writes row i of it into the ingest. */
type CellReader = (mem: Uint8Array, view: DataView, arr: CArray, ingest: Ingest, ci: number) => (i: number) => void;

function validity(mem: Uint8Array, arr: CArray): ((i: number) => boolean) | null {
  const bitmap = arr.buffers[0]!;
  if (!bitmap || arr.nullCount === 0) return null;
  const off = arr.offset;
  return (i) => ((mem[bitmap + ((i + off) >> 3)]! >> ((i + off) & 7)) & 1) === 1;
}

function i64At(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getInt32(at + 4, true) * 4294967296;
}

/** A typed view of `length` elements at byte address `at` when aligned, else null. */
function view<T>(make: new (b: ArrayBufferLike, at: number, n: number) => T, size: number, mem: Uint8Array, at: number, length: number): T | null {
  return at % size === 0 ? new make(mem.buffer, at, length) : null;
}

/** Reads raw numbers of a primitive Arrow format, or null when the format is not numeric. */
function numberGetter(format: string, mem: Uint8Array, dv: DataView, arr: CArray): ((i: number) => number) | null {
  const base = arr.buffers[1]!;
  const off = arr.offset;
  const n = arr.length + off;
  switch (format) {
    case "c": { const a = view(Int8Array, 1, mem, base, n)!; return (i) => a[i + off]!; }
    case "C": return (i) => mem[base + i + off]!;
    case "s": { const a = view(Int16Array, 2, mem, base, n); return a ? (i) => a[i + off]! : (i) => dv.getInt16(base + 2 * (i + off), true); }
    case "S": { const a = view(Uint16Array, 2, mem, base, n); return a ? (i) => a[i + off]! : (i) => dv.getUint16(base + 2 * (i + off), true); }
    case "i": case "tdD": { const a = view(Int32Array, 4, mem, base, n); return a ? (i) => a[i + off]! : (i) => dv.getInt32(base + 4 * (i + off), true); }
    case "I": { const a = view(Uint32Array, 4, mem, base, n); return a ? (i) => a[i + off]! : (i) => dv.getUint32(base + 4 * (i + off), true); }
    case "L": return (i) => dv.getUint32(base + 8 * (i + off), true) + dv.getUint32(base + 8 * (i + off) + 4, true) * 4294967296;
    case "f": { const a = view(Float32Array, 4, mem, base, n); return a ? (i) => a[i + off]! : (i) => dv.getFloat32(base + 4 * (i + off), true); }
    case "g": { const a = view(Float64Array, 8, mem, base, n); return a ? (i) => a[i + off]! : (i) => dv.getFloat64(base + 8 * (i + off), true); }
    default:
      if (format === "l" || format === "tdm" || format.startsWith("ts") || format.startsWith("tD")) {
        const a = view(Int32Array, 4, mem, base, 2 * n);
        return a ? (i) => (a[2 * (i + off)]! >>> 0) + a[2 * (i + off) + 1]! * 4294967296 : (i) => i64At(dv, base + 8 * (i + off));
      }
      if (format.startsWith("d:")) return decimalGetter(format, dv, arr);
      return null;
  }
}

function decimalGetter(format: string, view: DataView, arr: CArray): ((i: number) => number) | null {
  const [, spec] = format.split(":");
  const [, scaleText, bits] = spec!.split(",");
  const width = Number(bits ?? 128) / 8;
  if (width !== 16 && width !== 32) return null;
  const scale = 10 ** Number(scaleText ?? 0);
  const base = arr.buffers[1]!;
  return (i) => {
    const at = base + width * (i + arr.offset);
    let v = 0n;
    for (let k = width / 8 - 1; k >= 0; k--) v = (v << 64n) | view.getBigUint64(at + 8 * k, true);
    v = BigInt.asIntN(width * 8, v);
    return Number(v) / scale;
  };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 1, u: 0.001, n: 0.000001 };

function readerFor(col: Column, field: CSchema, zone: string): CellReader | null {
  const valueFormat = field.dictionary ? field.dictionary.format : field.format;
  if (valueFormat === "u" || valueFormat === "U") return stringReader(field.dictionary !== null, valueFormat === "U", field.format);
  if (valueFormat === "b") {
    if (field.dictionary || (col.type !== "bool" && col.type !== "string")) return null;
    return (mem, _view, arr, ingest, ci) => {
      const valid = validity(mem, arr);
      const base = arr.buffers[1]!;
      const off = arr.offset;
      return (i) => {
        if (valid && !valid(i)) return ingest.setNull(ci);
        const bit = (mem[base + ((i + off) >> 3)]! >> ((i + off) & 7)) & 1;
        if (col.type === "bool") ingest.setNumber(ci, bit);
        else ingest.setValue(ci, bit === 1);
      };
    };
  }
  if (field.dictionary) return null;
  const f = field.format;
  let convert: ((raw: number) => number) | null = null;
  if (f.startsWith("ts")) {
    if (col.type !== "timestamp" && col.type !== "date") return null;
    const scale = UNIT_MS[f[2]!]!;
    const naive = f.length <= 4; // "tsu:" has no zone after the colon
    convert = col.type === "date"
      ? (raw) => Math.floor((raw * scale) / DAY) * DAY
      : naive ? (raw) => localToUtc(raw * scale, zone) : (raw) => raw * scale;
  } else if (f === "tdD" || f === "tdm") {
    if (col.type !== "date" && col.type !== "timestamp") return null;
    const toMs = f === "tdD" ? DAY : 1;
    convert = col.type === "date" ? (raw) => raw * toMs : (raw) => localToUtc(raw * toMs, zone);
  } else if (f.startsWith("tD")) {
    if (col.type !== "duration") return null;
    const scale = UNIT_MS[f[2]!]!;
    convert = (raw) => raw * scale;
  } else if (col.type === "date") return null;
  if (!convert && !/^[cCsSiIlLfg]$|^d:/.test(f)) return null;
  return (mem, dv, arr, ingest, ci) => {
    const valid = validity(mem, arr);
    const get = numberGetter(f, mem, dv, arr)!;
    if (convert) {
      const c = convert;
      if (!valid) return (i) => ingest.setNumber(ci, c(get(i)));
      return (i) => (valid(i) ? ingest.setNumber(ci, c(get(i))) : ingest.setNull(ci));
    }
    if (!valid) return (i) => ingest.setValue(ci, get(i));
    return (i) => (valid(i) ? ingest.setValue(ci, get(i)) : ingest.setNull(ci));
  };
}

function stringReader(dictionary: boolean, large: boolean, indexFormat: string): CellReader {
  return (mem, dv, arr, ingest, ci) => {
    const valid = validity(mem, arr);
    const values = dictionary ? arr.dictionary! : arr;
    const offsets = values.buffers[1]!;
    const data = values.buffers[2]!;
    const vOff = values.offset;
    const o32 = large ? null : view(Int32Array, 4, mem, offsets, values.length + vOff + 1);
    const start = o32
      ? (k: number) => o32[k + vOff]!
      : large
        ? (k: number) => i64At(dv, offsets + 8 * (k + vOff))
        : (k: number) => dv.getInt32(offsets + 4 * (k + vOff), true);
    if (!dictionary) {
      if (!valid) return (i) => ingest.setBytes(ci, mem, data + start(i), data + start(i + 1));
      return (i) => {
        if (!valid(i)) return ingest.setNull(ci);
        ingest.setBytes(ci, mem, data + start(i), data + start(i + 1));
      };
    }
    // Dictionary-encoded: one lookup per distinct value of the batch's dictionary.
    const index = numberGetter(indexFormat, mem, dv, arr)!;
    const sink = ingest.sinks[ci]!;
    const codes = new Int32Array(values.length).fill(-1);
    return (i) => {
      if (valid && !valid(i)) return ingest.setNull(ci);
      const k = index(i);
      let c = codes[k]!;
      if (c < 0) c = codes[k] = sink.dict!.code(mem, data + start(k), data + start(k + 1));
      ingest.setCode(ci, c);
    };
  };
}
