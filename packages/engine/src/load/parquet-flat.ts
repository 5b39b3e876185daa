import type { Column, Dataset } from "@yardstick/model";
import type { LoadResult } from "./csv.js";
import { Ingest, type RowSource } from "./ingest.js";
import { localToUtc } from "./zone.js";

/**
 * A Parquet reader in plain JavaScript for the common case: a flat schema (no nesting, no
 * repeated fields), UNCOMPRESSED or SNAPPY pages (v1 or v2), PLAIN or dictionary encodings, and
 * the physical/logical type pairs that map directly onto a declared column (UTF8 strings,
 * booleans, signed integers, floats and doubles, DATE, TIMESTAMP). It decodes each row group's
 * pages straight into the ingest's typed arrays and dictionary codes: no Arrow, no WebAssembly
 * (whose compilation alone costs 1–2 s in a fresh process) and one row group in flight at a time.
 *
 * Anything else returns null before a row is written, and the caller falls back to
 * parquet-wasm, which reads every Parquet file and reports the problems of the unreadable ones.
 * Results are the same either way (times are converted with the same arithmetic).
 */
export function loadFlatParquet(dataset: Dataset, bytes: Uint8Array, options: { file?: string; cap?: number; columns?: readonly string[]; signal?: AbortSignal }): LoadResult | null {
  let meta: FileMeta;
  try {
    meta = readFileMeta(bytes);
  } catch {
    return null;
  }
  const ingest = new Ingest(dataset, { file: options.file, cap: options.cap, columns: options.columns });
  const plans: ColumnPlan[] = [];
  for (const c of ingest.columns) {
    const leaf = meta.leaves.find((l) => l.name === c.name);
    if (!leaf) return null; // a missing column: parquet-wasm reports it
    const plan = planColumn(c, leaf, dataset.zone);
    if (!plan) return null;
    plans.push(plan);
  }
  for (const rg of meta.rowGroups) {
    for (const p of plans) {
      const chunk = rg.chunks[p.leaf.index];
      if (!chunk || (chunk.codec !== 0 && chunk.codec !== 1) || chunk.path.length !== 1) return null;
    }
  }
  const source: RowSource = { locate: () => ({ row: ingest.currentLine }) };
  ingest.setSource(source);
  ingest.reserve(meta.numRows);
  let row = 0;
  const scratch = new Scratch();
  try {
    for (const rg of meta.rowGroups) {
      options.signal?.throwIfAborted();
      ingest.beginBatch(rg.numRows, row + 1);
      plans.forEach((p, ci) => readChunk(bytes, rg.chunks[p.leaf.index]!, rg.numRows, p, ingest, ci, scratch));
      ingest.endBatch();
      row += rg.numRows;
    }
  } catch (err) {
    if (options.signal?.aborted) throw err;
    return null; // something this reader does not handle after all: parquet-wasm reads it
  }
  const { table, rowsRead, rowsSkipped } = ingest.finish({ rowUnit: "row" });
  const rowOf = (d: { data?: Record<string, unknown> }) => (typeof d.data?.row === "number" ? d.data.row : Infinity);
  const diagnostics = ingest.report.diagnostics.map((d, i) => [d, i] as const)
    .sort((a, b) => rowOf(a[0]) - rowOf(b[0]) || a[1] - b[1])
    .map(([d]) => d);
  return { table, diagnostics, rowsRead, rowsSkipped };
}

// ---------------------------------------------------------------- metadata (Thrift compact)

interface Leaf {
  index: number;
  name: string;
  type: number;
  optional: boolean;
  converted: number | null;
  logical: ThriftStruct | null;
}

interface Chunk {
  codec: number;
  path: string[];
  start: number;
  size: number;
  numValues: number;
}

interface FileMeta {
  numRows: number;
  leaves: Leaf[];
  rowGroups: Array<{ numRows: number; chunks: Chunk[] }>;
}

type ThriftValue = number | boolean | Uint8Array | ThriftStruct | ThriftValue[];
interface ThriftStruct { [field: number]: ThriftValue }

class Reader {
  pos: number;
  constructor(readonly b: Uint8Array, pos: number, readonly end: number) {
    this.pos = pos;
  }

  byte(): number {
    if (this.pos >= this.end) throw new Error("truncated");
    return this.b[this.pos++]!;
  }

  varint(): number {
    let v = 0, mul = 1;
    for (;;) {
      const x = this.byte();
      v += (x & 0x7f) * mul;
      if ((x & 0x80) === 0) return v;
      mul *= 128;
      if (mul > 2 ** 63) throw new Error("varint too long");
    }
  }

  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  value(type: number): ThriftValue {
    switch (type) {
      case 1: return true;
      case 2: return false;
      case 3: { const x = this.byte(); return x > 127 ? x - 256 : x; }
      case 4: case 5: case 6: return this.zigzag();
      case 7: {
        if (this.pos + 8 > this.end) throw new Error("truncated");
        const v = new DataView(this.b.buffer, this.b.byteOffset + this.pos, 8).getFloat64(0, true);
        this.pos += 8;
        return v;
      }
      case 8: {
        const n = this.varint();
        if (this.pos + n > this.end) throw new Error("truncated");
        const v = this.b.subarray(this.pos, this.pos + n);
        this.pos += n;
        return v;
      }
      case 9: case 10: {
        const h = this.byte();
        let n = h >> 4;
        if (n === 15) n = this.varint();
        const t = h & 15;
        const out: ThriftValue[] = [];
        for (let i = 0; i < n; i++) out.push(t === 1 || t === 2 ? this.byte() === 1 : this.value(t));
        return out;
      }
      case 11: {
        const n = this.varint();
        if (n > 0) {
          const kv = this.byte();
          for (let i = 0; i < n; i++) { this.value(kv >> 4); this.value(kv & 15); }
        }
        return [];
      }
      case 12: return this.struct();
      default: throw new Error(`thrift type ${type}`);
    }
  }

  struct(): ThriftStruct {
    const out: ThriftStruct = {};
    let id = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return out;
      const delta = h >> 4;
      id = delta === 0 ? this.zigzag() : id + delta;
      out[id] = this.value(h & 15);
    }
  }
}

const num = (v: ThriftValue | undefined): number => (typeof v === "number" ? v : NaN);
const str = (v: ThriftValue | undefined): string => (v instanceof Uint8Array ? new TextDecoder().decode(v) : "");
const list = (v: ThriftValue | undefined): ThriftValue[] => (Array.isArray(v) ? v : []);
const struct = (v: ThriftValue | undefined): ThriftStruct | null => (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array) ? (v as ThriftStruct) : null);

function readFileMeta(b: Uint8Array): FileMeta {
  const n = b.length;
  const magic = (at: number) => b[at] === 0x50 && b[at + 1] === 0x41 && b[at + 2] === 0x52 && b[at + 3] === 0x31;
  if (n < 12 || !magic(0) || !magic(n - 4)) throw new Error("not Parquet");
  const len = b[n - 8]! | (b[n - 7]! << 8) | (b[n - 6]! << 16) | (b[n - 5]! << 24);
  if (len <= 0 || len > n - 12) throw new Error("bad footer");
  const fm = new Reader(b, n - 8 - len, n - 8).struct();
  const schema = list(fm[2]).map((x) => struct(x)!);
  const root = schema[0];
  if (!root || num(root[5]) !== schema.length - 1) throw new Error("nested schema");
  const leaves: Leaf[] = schema.slice(1).map((s, index) => {
    if (s[5] !== undefined && num(s[5]) > 0) throw new Error("nested schema");
    const rep = num(s[3]);
    if (rep !== 0 && rep !== 1) throw new Error("repeated field");
    return { index, name: str(s[4]), type: num(s[1]), optional: rep === 1, converted: s[6] === undefined ? null : num(s[6]), logical: struct(s[10]) };
  });
  const rowGroups = list(fm[4]).map((x) => {
    const rg = struct(x)!;
    const chunks = list(rg[1]).map((y) => {
      const cc = struct(y)!;
      if (cc[1] !== undefined) throw new Error("external column chunk");
      const md = struct(cc[3])!;
      const data = num(md[9]);
      const dict = md[11] === undefined ? NaN : num(md[11]);
      const start = dict === dict && dict > 0 && dict < data ? dict : data;
      return { codec: num(md[4]), path: list(md[3]).map(str), start, size: num(md[7]), numValues: num(md[5]) };
    });
    return { numRows: num(rg[3]), chunks };
  });
  return { numRows: num(fm[3]), leaves, rowGroups };
}

// ---------------------------------------------------------------- what each column becomes

const T_BOOLEAN = 0, T_INT32 = 1, T_INT64 = 2, T_FLOAT = 4, T_DOUBLE = 5, T_BYTE_ARRAY = 6;
const DAY = 86_400_000;
const UNIT_MS = [1, 0.001, 0.000001]; // logical TIMESTAMP units MILLIS, MICROS, NANOS (as the Arrow path)

interface ColumnPlan {
  leaf: Leaf;
  /** How a decoded physical value becomes the column's value. */
  kind: "string" | "bool" | "number" | "time";
  /** For "time": value = raw * scale (then local time -> UTC when `naive`). */
  scale: number;
  naive: boolean;
  zone: string;
}

function planColumn(c: Column, leaf: Leaf, zone: string): ColumnPlan | null {
  const lt = leaf.logical;
  const base = { leaf, scale: 1, naive: false, zone };
  switch (c.type) {
    case "string":
      // UTF8 (converted 0) or STRING (logical 1); plain binary is not text.
      return leaf.type === T_BYTE_ARRAY && (leaf.converted === 0 || (lt !== null && lt[1] !== undefined)) ? { ...base, kind: "string" } : null;
    case "bool":
      return leaf.type === T_BOOLEAN && leaf.converted === null && lt === null ? { ...base, kind: "bool" } : null;
    case "int":
    case "number": {
      if (leaf.type === T_FLOAT || leaf.type === T_DOUBLE) return c.type === "number" && lt === null && leaf.converted === null ? { ...base, kind: "number" } : null;
      if (leaf.type !== T_INT32 && leaf.type !== T_INT64) return null;
      // Signed integers only: INT_8..INT_64 (converted 15..18) or INTEGER(signed) (logical 10).
      const intLogical = lt !== null && lt[10] !== undefined ? struct(lt[10]) : null;
      if (lt !== null && !(intLogical && intLogical[2] === true)) return null;
      if (leaf.converted !== null && !(leaf.converted >= 15 && leaf.converted <= 18)) return null;
      return { ...base, kind: "number" };
    }
    case "date":
      // DATE (converted 6, logical 6): days since the epoch.
      return leaf.type === T_INT32 && (leaf.converted === 6 || (lt !== null && lt[6] !== undefined)) ? { ...base, kind: "time", scale: DAY } : null;
    case "timestamp": {
      if (leaf.type !== T_INT64) return null;
      const ts = lt !== null && lt[8] !== undefined ? struct(lt[8]) : null;
      if (ts) {
        const unit = struct(ts[2]);
        const u = unit ? (unit[1] !== undefined ? 0 : unit[2] !== undefined ? 1 : unit[3] !== undefined ? 2 : -1) : -1;
        if (u < 0) return null;
        return { ...base, kind: "time", scale: UNIT_MS[u]!, naive: ts[1] !== true };
      }
      if (lt !== null) return null;
      // TIMESTAMP_MILLIS / TIMESTAMP_MICROS (converted 9 / 10) are instants.
      if (leaf.converted === 9) return { ...base, kind: "time", scale: 1 };
      if (leaf.converted === 10) return { ...base, kind: "time", scale: 0.001 };
      return null;
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------- pages

class Unsupported extends Error {}

/** Buffers reused from page to page (a page is done with before the next one is read). */
class Scratch {
  private bytes = new Uint8Array(0);
  private defs = new Int32Array(0);
  private idx = new Int32Array(0);
  private dense = new Float64Array(0);
  /** Page bytes: `size` of them, valid until the next call. */
  page(size: number): Uint8Array {
    if (this.bytes.length < size) this.bytes = new Uint8Array(Math.max(size, this.bytes.length * 2));
    return this.bytes.subarray(0, size);
  }
  levels(n: number): Int32Array {
    if (this.defs.length < n) this.defs = new Int32Array(Math.max(n, this.defs.length * 2));
    return this.defs;
  }
  indices(n: number): Int32Array {
    if (this.idx.length < n) this.idx = new Int32Array(Math.max(n, this.idx.length * 2));
    return this.idx;
  }
  values(n: number): Float64Array {
    if (this.dense.length < n) this.dense = new Float64Array(Math.max(n, this.dense.length * 2));
    return this.dense;
  }
}

/** Reads one column chunk (the pages of one row group) into the ingest's arrays for the batch. */
function readChunk(file: Uint8Array, chunk: Chunk, rows: number, p: ColumnPlan, ingest: Ingest, ci: number, scratch: Scratch): void {
  const sink = ingest.sinks[ci]!;
  const r0 = ingest.batchFirst;
  let r = r0;
  const end = Math.min(file.length, chunk.start + chunk.size);
  const rd = new Reader(file, chunk.start, end);
  let dict: Float64Array | Int32Array | null = null;
  let nulls: Uint8Array | null = sink.nulls;
  let seen = 0;
  while (seen < chunk.numValues && rd.pos < end) {
    const h = rd.struct();
    const type = num(h[1]), usize = num(h[2]), csize = num(h[3]);
    const bodyStart = rd.pos;
    if (bodyStart + csize > end) throw new Unsupported("truncated page");
    rd.pos += csize;
    if (type === 2) {
      const dh = struct(h[7])!;
      const enc = num(dh[2]);
      if (enc !== 0 && enc !== 2) throw new Unsupported("dictionary encoding");
      const body = decompress(file.subarray(bodyStart, bodyStart + csize), usize, chunk.codec, scratch);
      dict = decodeDictionary(body, num(dh[1]), p, ingest, ci);
      continue;
    }
    if (type !== 0 && type !== 3) continue; // index pages
    let count: number, enc: number, defs: Int32Array | null = null, values: Uint8Array, at: number;
    let present = -1;
    if (type === 0) {
      const dh = struct(h[5])!;
      count = num(dh[1]);
      enc = num(dh[2]);
      const body = decompress(file.subarray(bodyStart, bodyStart + csize), usize, chunk.codec, scratch);
      at = 0;
      if (p.leaf.optional) {
        if (num(dh[3]) !== 3) throw new Unsupported("definition level encoding");
        const len = body[0]! | (body[1]! << 8) | (body[2]! << 16) | (body[3]! << 24);
        defs = scratch.levels(count);
        present = decodeHybrid(body, 4, 4 + len, 1, defs, count);
        at = 4 + len;
      }
      values = body;
    } else {
      const dh = struct(h[8])!;
      count = num(dh[1]);
      enc = num(dh[4]);
      const defLen = num(dh[5]), repLen = num(dh[6]);
      if (repLen !== 0) throw new Unsupported("repetition levels");
      const raw = file.subarray(bodyStart, bodyStart + csize);
      if (p.leaf.optional && defLen > 0) {
        defs = scratch.levels(count);
        present = decodeHybrid(raw, 0, defLen, 1, defs, count);
      }
      const compressed = dh[7] !== false;
      values = compressed ? decompress(raw.subarray(defLen), usize - defLen, chunk.codec, scratch) : raw.subarray(defLen);
      at = 0;
    }
    seen += count;
    if (r + count > r0 + rows) throw new Unsupported("more values than rows");
    if (defs) {
      const any = present < count;
      if (any && !nulls) {
        nulls = ingest.nullsOf(ci);
        nulls.fill(0, r0, r);
      }
      if (!any) defs = null;
    }
    if (nulls) {
      if (defs) for (let i = 0; i < count; i++) nulls[r + i] = defs[i] === 0 ? 1 : 0;
      else nulls.fill(0, r, r + count);
    }
    if (enc === 2 || enc === 8) {
      if (!dict) throw new Unsupported("dictionary page missing");
      const nonNull = defs ? present : count;
      const idx = scratch.indices(nonNull);
      if (nonNull > 0) decodeHybrid(values, at + 1, values.length, values[at]!, idx, nonNull);
      if (p.kind === "string") writeCodes(idx, count, defs, dict as Int32Array, ingest.sinks[ci]!.codes!, r);
      else if (p.kind === "bool") writeBoolsIndexed(idx, count, defs, dict as Float64Array, ingest.sinks[ci]!.u8!, r);
      else writeNumbersIndexed(idx, count, defs, dict as Float64Array, ingest.sinks[ci]!.f64!, r);
    } else if (enc === 0) {
      writePlain(values, at, count, defs ? present : count, defs, p, ingest, ci, r, scratch);
    } else throw new Unsupported(`encoding ${enc}`);
    r += count;
  }
  if (r !== r0 + rows) throw new Unsupported("fewer values than rows");
  ingest.checkColumn(ci);
}

/** The values of a dictionary page: codes of the column's dictionary, or numbers. */
function decodeDictionary(body: Uint8Array, n: number, p: ColumnPlan, ingest: Ingest, ci: number): Float64Array | Int32Array {
  const sink = ingest.sinks[ci]!;
  if (p.kind === "string") {
    const codes = new Int32Array(n);
    const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
    let at = 0;
    for (let k = 0; k < n; k++) {
      const len = dv.getUint32(at, true);
      at += 4;
      if (at + len > body.length) throw new Unsupported("truncated dictionary");
      codes[k] = sink.dict!.code(body, at, at + len);
      at += len;
    }
    return codes;
  }
  const out = new Float64Array(n);
  writePlainInto(body, 0, n, p, out, 0);
  return out;
}

function checkIndices(idx: Int32Array, n: number, D: number): void {
  for (let k = 0; k < n; k++) if (idx[k]! >= D) throw new Unsupported("dictionary index out of range");
}

function writeCodes(idx: Int32Array, count: number, defs: Int32Array | null, d: Int32Array, codes: Int32Array, r: number): void {
  if (!defs) {
    checkIndices(idx, count, d.length);
    for (let i = 0; i < count; i++) codes[r + i] = d[idx[i]!]!;
    return;
  }
  let k = 0;
  for (let i = 0; i < count; i++) {
    if (defs[i] === 0) { codes[r + i] = -1; continue; }
    const x = idx[k++]!;
    if (x >= d.length) throw new Unsupported("dictionary index out of range");
    codes[r + i] = d[x]!;
  }
}

function writeNumbersIndexed(idx: Int32Array, count: number, defs: Int32Array | null, d: Float64Array, out: Float64Array, r: number): void {
  if (!defs) {
    checkIndices(idx, count, d.length);
    for (let i = 0; i < count; i++) out[r + i] = d[idx[i]!]!;
    return;
  }
  let k = 0;
  for (let i = 0; i < count; i++) {
    if (defs[i] === 0) { out[r + i] = NaN; continue; }
    const x = idx[k++]!;
    if (x >= d.length) throw new Unsupported("dictionary index out of range");
    out[r + i] = d[x]!;
  }
}

function writeBoolsIndexed(idx: Int32Array, count: number, defs: Int32Array | null, d: Float64Array, out: Uint8Array, r: number): void {
  let k = 0;
  for (let i = 0; i < count; i++) {
    if (defs && defs[i] === 0) { out[r + i] = 0; continue; }
    const x = idx[k++]!;
    if (x >= d.length) throw new Unsupported("dictionary index out of range");
    out[r + i] = d[x]!;
  }
}

function writePlain(b: Uint8Array, at: number, count: number, nonNull: number, defs: Int32Array | null, p: ColumnPlan, ingest: Ingest, ci: number, r: number, scratch: Scratch): void {
  const sink = ingest.sinks[ci]!;
  if (p.kind === "string") {
    const codes = sink.codes!, dict = sink.dict!;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < count; i++) {
      if (defs && defs[i] === 0) { codes[r + i] = -1; continue; }
      if (at + 4 > b.length) throw new Unsupported("truncated values");
      const len = dv.getUint32(at, true);
      at += 4;
      if (at + len > b.length) throw new Unsupported("truncated values");
      codes[r + i] = dict.code(b, at, at + len);
      at += len;
    }
    return;
  }
  if (p.kind !== "bool" && !defs) {
    writePlainInto(b, at, count, p, sink.f64!, r);
    return;
  }
  // Dense non-null values first, then spread over the rows.
  const dense = scratch.values(nonNull);
  writePlainInto(b, at, nonNull, p, dense, 0);
  if (p.kind === "bool") {
    const out = sink.u8!;
    for (let i = 0, k = 0; i < count; i++) out[r + i] = defs && defs[i] === 0 ? 0 : dense[k++]!;
    return;
  }
  const out = sink.f64!;
  for (let i = 0, k = 0; i < count; i++) out[r + i] = defs![i] === 0 ? NaN : dense[k++]!;
}

/** Decodes n PLAIN values of the column's physical type, converted, into out[o..o + n). */
function writePlainInto(b: Uint8Array, at: number, n: number, p: ColumnPlan, out: Float64Array, o: number): void {
  const t = p.leaf.type;
  const width = t === T_BOOLEAN ? 0 : t === T_INT32 || t === T_FLOAT ? 4 : 8;
  if (at + (width === 0 ? Math.ceil(n / 8) : n * width) > b.length) throw new Unsupported("truncated values");
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (t) {
    case T_BOOLEAN:
      for (let k = 0; k < n; k++) out[o + k] = (b[at + (k >> 3)]! >> (k & 7)) & 1;
      return;
    case T_INT32: {
      const scale = p.kind === "time" ? p.scale : 1;
      for (let k = 0; k < n; k++) out[o + k] = dv.getInt32(at + 4 * k, true) * scale;
      return;
    }
    case T_FLOAT:
      for (let k = 0; k < n; k++) out[o + k] = dv.getFloat32(at + 4 * k, true);
      return;
    case T_DOUBLE:
      if ((b.byteOffset + at) % 8 === 0) out.set(new Float64Array(b.buffer, b.byteOffset + at, n), o);
      else for (let k = 0; k < n; k++) out[o + k] = dv.getFloat64(at + 8 * k, true);
      return;
    case T_INT64: {
      if (p.kind !== "time") {
        for (let k = 0; k < n; k++) out[o + k] = dv.getInt32(at + 8 * k + 4, true) * 4294967296 + dv.getUint32(at + 8 * k, true);
        return;
      }
      const scale = p.scale;
      if (p.naive) {
        for (let k = 0; k < n; k++) out[o + k] = localToUtc((dv.getInt32(at + 8 * k + 4, true) * 4294967296 + dv.getUint32(at + 8 * k, true)) * scale, p.zone);
      } else {
        for (let k = 0; k < n; k++) out[o + k] = (dv.getInt32(at + 8 * k + 4, true) * 4294967296 + dv.getUint32(at + 8 * k, true)) * scale;
      }
      return;
    }
    default:
      throw new Unsupported("physical type");
  }
}

/**
 * The RLE / bit-packed hybrid encoding: `n` values of `width` bits from b[at..end) into out.
 * Returns the sum of the values (for definition levels: the number of non-null values).
 */
function decodeHybrid(b: Uint8Array, at: number, end: number, width: number, out: Int32Array, n: number): number {
  if (width > 24) throw new Unsupported("bit width");
  let k = 0, sum = 0;
  const bytes = (width + 7) >> 3;
  const mask = (1 << width) - 1;
  while (k < n) {
    if (at >= end) throw new Unsupported("truncated levels");
    let h = 0, shift = 0, x: number;
    do { x = b[at++]!; h += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
    if (h % 2 === 0) {
      const run = h / 2;
      let v = 0;
      for (let i = 0; i < bytes; i++) v |= b[at++]! << (8 * i);
      const stop = Math.min(n, k + run);
      out.fill(v, k, stop);
      sum += v * (stop - k);
      k = stop;
    } else {
      const count = ((h - 1) / 2) * 8;
      if (width === 1) {
        for (let i = 0; i < count && k < n; i++, k++) sum += out[k] = (b[at + (i >> 3)]! >> (i & 7)) & 1;
      } else {
        let acc = 0, bits = 0, pos = at;
        for (let i = 0; i < count; i++) {
          while (bits < width) { acc |= b[pos++]! << bits; bits += 8; }
          if (k < n) out[k++] = acc & mask;
          acc >>>= width;
          bits -= width;
        }
      }
      at += (count * width) >> 3;
    }
  }
  return sum;
}

function decompress(input: Uint8Array, size: number, codec: number, scratch: Scratch): Uint8Array {
  if (codec === 0) return input;
  const out = scratch.page(size);
  if (snappy(input, out) !== size) throw new Unsupported("snappy length");
  return out;
}

/** Snappy block decompression; returns the number of bytes written. */
function snappy(src: Uint8Array, dst: Uint8Array): number {
  let ip = 0, len = 0, shift = 0, x: number;
  do { x = src[ip++]!; len += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
  if (len > dst.length) throw new Unsupported("snappy output");
  let op = 0;
  const n = src.length;
  while (ip < n) {
    const tag = src[ip++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let l = tag >> 2;
      if (l >= 60) {
        const extra = l - 59;
        l = 0;
        for (let i = 0; i < extra; i++) l |= src[ip++]! << (8 * i);
        l >>>= 0;
      }
      l += 1;
      if (ip + l > n || op + l > len) throw new Unsupported("snappy literal");
      if (l > 16) dst.set(src.subarray(ip, ip + l), op);
      else for (let i = 0; i < l; i++) dst[op + i] = src[ip + i]!;
      ip += l;
      op += l;
      continue;
    }
    let l: number, off: number;
    if (kind === 1) { l = ((tag >> 2) & 7) + 4; off = ((tag >> 5) << 8) | src[ip++]!; }
    else if (kind === 2) { l = (tag >> 2) + 1; off = src[ip]! | (src[ip + 1]! << 8); ip += 2; }
    else { l = (tag >> 2) + 1; off = (src[ip]! | (src[ip + 1]! << 8) | (src[ip + 2]! << 16) | (src[ip + 3]! << 24)) >>> 0; ip += 4; }
    if (off === 0 || off > op || op + l > len) throw new Unsupported("snappy copy");
    let from = op - off;
    if (off >= l && l > 16) { dst.copyWithin(op, from, from + l); op += l; }
    else for (let i = 0; i < l; i++) dst[op++] = dst[from++]!;
  }
  return op;
}
