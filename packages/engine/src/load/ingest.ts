import { diagnostic, type Column, type Dataset, type DiagnosticCode, type Literal } from "@yardstick/model";
import { ByteDict } from "../table/byte-dict.js";
import type { ColumnData, Table } from "../table/table.js";
import { Reporter, type Loc } from "./report.js";
import { decodeUtf8, parseBool, parseDate, parseDuration, parseInt_, parseNumber, parseTimestamp, utf8Scratch } from "./values.js";

const K_INT = 0, K_NUMBER = 1, K_BOOL = 2, K_DATE = 3, K_TIMESTAMP = 4, K_DURATION = 5, K_STRING = 6;
const KINDS: Record<Column["type"], number> = { int: K_INT, number: K_NUMBER, bool: K_BOOL, date: K_DATE, timestamp: K_TIMESTAMP, duration: K_DURATION, string: K_STRING };

/** The loader side of an ingest: where the cells of the current row are, for diagnostics. */
export interface RowSource {
  locate(ci: number): Loc;
  /** One-based column of the cell (0 when unknown); asked once per row for relation columns only. */
  cellColumn?(ci: number): number;
}

const HINTS: Record<Column["type"], string> = {
  int: "Write a whole number such as 42.",
  number: "Write a number such as 3.14 (a dot for decimals, no thousands separators).",
  bool: "Write true or false (also yes/no, 1/0, t/f, y/n).",
  date: "Write a date as YYYY-MM-DD, e.g. 2025-01-31.",
  timestamp: "Write a timestamp such as 2025-01-31T09:30:00Z, 2025-01-31 09:30 (in the dataset's zone) or 2025-01-31.",
  duration: "Write a duration such as PT2H30M, 02:30:00 or 9000 (seconds).",
  string: "",
};

export interface IngestOptions {
  /** Load only these source columns (projection); constraints of the others are not checked. Default: all. */
  columns?: readonly string[];
  /** The code of an unparsable value: `invalid-value` for data files, `invalid-fixture-value` for test fixtures. */
  invalidCode?: "invalid-value" | "invalid-fixture-value";
  file?: string;
  /** Expected row count, to size the arrays once. */
  rowsHint?: number;
  cap?: number;
}

/** Column-wise state while rows stream in. */
class Sink {
  readonly kind: number;
  f64: Float64Array | null = null;
  u8: Uint8Array | null = null;
  codes: Int32Array | null = null;
  dict: ByteDict | null = null;
  nulls: Uint8Array | null = null;
  hasNull = false;
  // constraints
  min = -Infinity;
  max = Infinity;
  hasRange = false;
  set: Set<number> | null = null;
  strSet: Set<string> | null = null;
  allowedByCode: Uint8Array | null = null; // 0 unknown, 1 allowed, 2 not allowed
  rangeText = "";
  positions: Int32Array | null = null;

  readonly nullable: boolean;

  constructor(readonly col: Column, readonly zone: string, capacity: number) {
    this.kind = KINDS[col.type];
    this.nullable = col.nullable;
    if (this.kind === K_STRING) {
      this.codes = new Int32Array(capacity);
      this.dict = new ByteDict();
    } else if (this.kind === K_BOOL) this.u8 = new Uint8Array(capacity);
    else this.f64 = new Float64Array(capacity);
    this.compileAllowed();
  }

  private compileAllowed(): void {
    const a = this.col.allowed;
    if (!a) return;
    if (a.kind === "range") {
      const lo = a.min === null ? -Infinity : this.literal(a.min);
      const hi = a.max === null ? Infinity : this.literal(a.max);
      if (lo === lo && hi === hi) {
        this.min = lo;
        this.max = hi;
        this.hasRange = true;
        this.rangeText = `${a.min ?? ""}..${a.max ?? ""}`;
      }
      return;
    }
    if (this.kind === K_STRING) {
      this.strSet = new Set(a.values.filter((v) => typeof v === "string") as string[]);
      this.allowedByCode = new Uint8Array(1024);
    } else {
      this.set = new Set();
      for (const v of a.values) {
        const n = this.literal(v);
        if (n === n) this.set.add(n);
      }
    }
  }

  /** A constraint literal in this column's encoding (range bounds of durations are seconds). */
  private literal(v: Literal): number {
    if (typeof v === "number") return this.kind === K_DURATION ? v * 1000 : v;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "string") {
      const { bytes, length } = utf8Scratch(v);
      return this.kind === K_DATE ? parseDate(bytes, 0, length)
        : this.kind === K_TIMESTAMP ? parseTimestamp(bytes, 0, length, this.zone)
        : this.kind === K_DURATION ? parseDuration(bytes, 0, length)
        : parseNumber(bytes, 0, length);
    }
    return NaN;
  }

  grow(capacity: number): void {
    const g = <T extends Float64Array | Uint8Array | Int32Array>(a: T | null): T | null => {
      if (!a) return a;
      const next = new (a.constructor as new (n: number) => T)(capacity);
      next.set(a);
      return next;
    };
    this.f64 = g(this.f64);
    this.u8 = g(this.u8);
    this.codes = g(this.codes);
    this.nulls = g(this.nulls);
    this.positions = g(this.positions);
  }
}

/**
 * Builds a columnar table row by row from any loader: parses each cell per the declared type,
 * checks nullability, `in` sets, ranges and keys, and applies the load policy. Cells are written
 * into typed arrays at the current row; a skipped row is simply overwritten by the next one.
 */
export class Ingest {
  readonly sinks: Sink[];
  readonly columns: Column[];
  readonly report: Reporter;
  readonly skip: boolean;
  private capacity: number;
  rows = 0;
  rowsRead = 0;
  private rowLines: Int32Array;
  private rowReason: DiagnosticCode | null = null;
  /** The row as a whole is unusable (its cells were not all written). */
  private rowRejected = false;
  /** Where cell setters write: the current row (row by row), or the row `seek` chose in a batch. */
  private cur = 0;
  private batchStart = 0;
  private batchLen = 0;
  private batchFirstLine = 0;
  private batchReasons: Array<DiagnosticCode | null> | null = null;
  private readonly skipped = new Map<DiagnosticCode, number>();
  private source: RowSource | null = null;
  private line = 0;
  // keys
  private readonly keyCols: number[];
  private keyFirstByCode: Int32Array | null = null;
  private keyFirstByValue: Map<number | string, number> | null = null;
  private readonly relationCols: number[];
  /** No keys to check and no cell positions to keep: ending a clean row only counts it. */
  private readonly plainRows: boolean;

  constructor(readonly dataset: Dataset, readonly options: IngestOptions = {}) {
    const only = options.columns ? new Set(options.columns) : null;
    this.columns = dataset.columns.filter((c) => c.derived === null && (!only || only.has(c.name)));
    this.capacity = Math.max(16, options.rowsHint ?? 1024);
    this.sinks = this.columns.map((c) => new Sink(c, dataset.zone, this.capacity));
    this.rowLines = new Int32Array(this.capacity);
    this.report = new Reporter(dataset, options.file, options.cap);
    this.skip = dataset.onBadRows === "skip";
    this.keyCols = this.columns.flatMap((c, i) => (c.key ? [i] : []));
    if (this.keyCols.length === 1 && this.sinks[this.keyCols[0]!]!.kind === K_STRING) this.keyFirstByCode = new Int32Array(1024).fill(-1);
    else if (this.keyCols.length > 0) this.keyFirstByValue = new Map();
    const relCols = new Set(dataset.relations.map((r) => r.column));
    this.relationCols = this.columns.flatMap((c, i) => (relCols.has(c.name) ? [i] : []));
    for (const ci of this.relationCols) this.sinks[ci]!.positions = new Int32Array(this.capacity);
    this.plainRows = this.keyCols.length === 0 && this.relationCols.length === 0;
  }

  /** Index of a declared source column, or -1. */
  indexOf(name: string): number {
    return this.columns.findIndex((c) => c.name === name);
  }

  setSource(source: RowSource): void {
    this.source = source;
  }

  /** Starts a row; `line` is its one-based line (or row number). */
  beginRow(line: number): void {
    if (this.rows === this.capacity) this.grow();
    this.cur = this.rows;
    this.line = line;
    this.rowReason = null;
    this.rowRejected = false;
    this.rowsRead++;
  }

  /** Makes room for `rows` rows at once (from a size estimate), instead of doubling step by step. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = Math.ceil(rows);
    this.resize();
    if (this.keyCols.length === 1) this.sinks[this.keyCols[0]!]!.dict?.reserve(rows);
  }

  private grow(): void {
    this.capacity *= 2;
    this.resize();
  }

  private resize(): void {
    for (const s of this.sinks) s.grow(this.capacity);
    const rl = new Int32Array(this.capacity);
    rl.set(this.rowLines);
    this.rowLines = rl;
  }

  private fail(code: DiagnosticCode, ci: number, args: Record<string, string | number>, data?: Record<string, string | number>): void {
    this.reason(code);
    this.report.row(code, args, this.source!.locate(ci), this.columns[ci]!.name, data);
  }

  /** Rejects the whole row (e.g. a wrong number of fields); the loader reported why. */
  rejectRow(code: DiagnosticCode): void {
    this.reason(code);
    this.rowRejected = true;
  }

  /** Records the first problem of the current row. */
  private reason(code: DiagnosticCode): void {
    if (this.rowReason !== null) return;
    this.rowReason = code;
    if (this.batchReasons) this.batchReasons[this.cur - this.batchStart] = code;
  }

  // ---------------------------------------------------------------- column-wise batches

  /**
   * Starts a batch of `n` rows written column by column (Parquet): `seek(i)` selects row i of the
   * batch for the cell setters, or a loader writes `sinks[ci]` arrays directly at `batchStart + i`
   * and calls `checkColumn(ci)`. `endBatch()` then applies keys and the load policy row by row.
   */
  beginBatch(n: number, firstLine: number): void {
    if (this.rows + n > this.capacity) this.reserve(Math.max(this.rows + n, this.capacity * 1.5));
    this.batchStart = this.rows;
    this.batchLen = n;
    this.batchFirstLine = firstLine;
    this.batchReasons = new Array<DiagnosticCode | null>(n).fill(null);
    this.rowsRead += n;
  }

  get batchFirst(): number {
    return this.batchStart;
  }

  /** The line (or row number) of the row being written. */
  get currentLine(): number {
    return this.line;
  }

  /** Selects row i of the current batch. */
  seek(i: number): void {
    this.cur = this.batchStart + i;
    this.line = this.batchFirstLine + i;
    this.rowReason = this.batchReasons![i]!;
  }

  /** The null mask of a column, created on first use. */
  nullsOf(ci: number): Uint8Array {
    const s = this.sinks[ci]!;
    if (!s.nulls) s.nulls = new Uint8Array(this.capacity);
    s.hasNull = true;
    return s.nulls;
  }

  /** Checks nullability, ranges, sets and allowed strings of a column written directly for the batch. */
  checkColumn(ci: number): void {
    const s = this.sinks[ci]!;
    const r0 = this.batchStart;
    const n = this.batchLen;
    const nulls = s.nulls;
    const checkNull = !s.col.nullable && nulls !== null;
    if (s.codes) {
      const codes = s.codes;
      for (let i = 0; i < n; i++) {
        const c = codes[r0 + i]!;
        if (c < 0) {
          if (checkNull && nulls![r0 + i]) { this.seek(i); this.fail("null-value", ci, { column: s.col.name, type: s.col.type }); }
        } else if (s.allowedByCode) {
          this.seek(i);
          this.setCode(ci, c);
        }
      }
      return;
    }
    const vals = s.f64 ?? s.u8!;
    const ranged = s.hasRange || s.set !== null;
    if (!checkNull && !ranged) return;
    for (let i = 0; i < n; i++) {
      const r = r0 + i;
      if (nulls !== null && nulls[r]) {
        if (checkNull) { this.seek(i); this.fail("null-value", ci, { column: s.col.name, type: s.col.type }); }
      } else if (ranged) {
        const v = vals[r]!;
        if ((s.hasRange && !(v >= s.min && v <= s.max)) || (s.set && !s.set.has(v))) {
          this.seek(i);
          this.setNumber(ci, v);
        }
      }
    }
  }

  /** Ends the batch: keys and the load policy, row by row; dropped rows are closed up. */
  endBatch(): void {
    const reasons = this.batchReasons!;
    const start = this.batchStart;
    this.batchReasons = null;
    for (let i = 0; i < this.batchLen; i++) {
      const src = start + i;
      if (src !== this.rows) this.moveRow(src, this.rows);
      this.cur = this.rows;
      this.rowReason = reasons[i]!;
      this.rowRejected = false;
      this.line = this.batchFirstLine + i;
      this.endRow();
    }
  }

  private moveRow(from: number, to: number): void {
    for (const s of this.sinks) {
      if (s.f64) s.f64[to] = s.f64[from]!;
      if (s.u8) s.u8[to] = s.u8[from]!;
      if (s.codes) s.codes[to] = s.codes[from]!;
      if (s.nulls) s.nulls[to] = s.nulls[from]!;
      if (s.positions) s.positions[to] = s.positions[from]!;
    }
  }

  /** A column the source does not give at all (a fixture that leaves it out): null, without a nullability error. */
  setAbsent(ci: number): void {
    const c = this.columns[ci]!;
    if (c.nullable) return this.setNull(ci);
    this.markNull(ci);
  }

  setNull(ci: number): void {
    this.markNull(ci);
    const s = this.sinks[ci]!;
    if (!s.col.nullable) this.fail("null-value", ci, { column: s.col.name, type: s.col.type });
  }

  /** Null without any check, for a cell whose problem was already reported. */
  markNull(ci: number): void {
    const s = this.sinks[ci]!;
    const r = this.cur;
    if (!s.nulls) s.nulls = new Uint8Array(this.capacity);
    s.nulls[r] = 1;
    s.hasNull = true;
    if (s.f64) s.f64[r] = NaN;
    else if (s.u8) s.u8[r] = 0;
    else s.codes![r] = -1;
  }

  /**
   * The fast path of a text row: cells as spans b[start[f]..end[f]) of fields f (field f goes to
   * column `map[f]`, none when negative; `flags[f]` > 1 marks a field that needs unquoting).
   * When every cell is a clean value (parses, meets its constraints, or is an allowed null) the
   * row is written and ended, and the result is true. Otherwise nothing is counted and the result
   * is false: the caller converts the row cell by cell (`beginRow`, `setBytes`, `endRow`), which
   * overwrites whatever this wrote and reports the problems.
   */
  tryRow(b: Uint8Array, start: Int32Array, end: Int32Array, flags: Uint8Array, map: Int32Array, nf: number, line: number): boolean {
    const r = this.rows;
    if (r === this.capacity) return false;
    const sinks = this.sinks;
    for (let f = 0; f < nf; f++) {
      const ci = map[f]!;
      if (ci < 0) continue;
      if (flags[f]! > 1) return false;
      const s = start[f]!, e = end[f]!;
      const sink = sinks[ci]!;
      const kind = sink.kind;
      if (s === e) {
        if (!sink.nullable) return false;
        let nulls = sink.nulls;
        if (nulls === null) nulls = sink.nulls = new Uint8Array(this.capacity);
        sink.hasNull = true;
        nulls[r] = 1;
        if (sink.f64 !== null) sink.f64[r] = NaN;
        else if (sink.u8 !== null) sink.u8[r] = 0;
        else sink.codes![r] = -1;
        continue;
      }
      if (kind === K_STRING) {
        const code = sink.dict!.code(b, s, e);
        const allowed = sink.allowedByCode;
        if (allowed !== null && (code >= allowed.length || allowed[code] !== 1)) return false;
        sink.codes![r] = code;
        if (sink.nulls !== null) sink.nulls[r] = 0;
        continue;
      }
      const c0 = b[s]!, c1 = b[e - 1]!;
      if (c0 === 32 || c0 === 9 || c1 === 32 || c1 === 9) return false;
      let v: number;
      switch (kind) {
        case K_NUMBER: v = parseNumber(b, s, e); break;
        case K_TIMESTAMP: v = parseTimestamp(b, s, e, sink.zone); break;
        case K_INT: v = parseInt_(b, s, e); break;
        case K_BOOL: v = parseBool(b, s, e); if (v < 0) return false; break;
        case K_DATE: v = parseDate(b, s, e); break;
        default: v = parseDuration(b, s, e); break;
      }
      if (v !== v) return false;
      if (sink.hasRange && !(v >= sink.min && v <= sink.max)) return false;
      if (sink.set !== null && !sink.set.has(v)) return false;
      if (sink.f64 !== null) sink.f64[r] = v;
      else sink.u8![r] = v;
      if (sink.nulls !== null) sink.nulls[r] = 0;
    }
    this.cur = r;
    this.line = line;
    this.rowReason = null;
    this.rowRejected = false;
    this.rowsRead++;
    if (this.plainRows) {
      this.rowLines[r] = line;
      this.rows = r + 1;
    } else this.endRow();
    return true;
  }

  /** A cell as UTF-8 bytes b[s..e). Empty (or, for non-strings, blank) is null. */
  setBytes(ci: number, b: Uint8Array, s: number, e: number): void {
    const sink = this.sinks[ci]!;
    const kind = sink.kind;
    if (kind !== K_STRING) {
      while (s < e && (b[s] === 32 || b[s] === 9)) s++;
      while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
    }
    if (s === e) return this.setNull(ci);
    if (kind === K_STRING) return this.setCode(ci, sink.dict!.code(b, s, e));
    let v: number;
    switch (kind) {
      case K_INT: v = parseInt_(b, s, e); break;
      case K_NUMBER: v = parseNumber(b, s, e); break;
      case K_BOOL: v = parseBool(b, s, e); if (v < 0) v = NaN; break;
      case K_DATE: v = parseDate(b, s, e); break;
      case K_TIMESTAMP: v = parseTimestamp(b, s, e, sink.zone); break;
      default: v = parseDuration(b, s, e); break;
    }
    if (v !== v) {
      this.invalid(ci, decodeUtf8(b, s, e));
      return;
    }
    this.setNumber(ci, v, b, s, e);
  }

  /** A non-string cell already in the column's encoding (ms for times, 0/1 for bools). */
  setNumber(ci: number, v: number, b?: Uint8Array, s = 0, e = 0): void {
    const sink = this.sinks[ci]!;
    const r = this.cur;
    if (sink.f64) sink.f64[r] = v;
    else sink.u8![r] = v;
    if (sink.nulls) sink.nulls[r] = 0;
    if (sink.hasRange && !(v >= sink.min && v <= sink.max)) {
      this.fail("value-out-of-range", ci, { value: b ? decodeUtf8(b, s, e) : this.display(ci, v), range: sink.rangeText, column: sink.col.name });
    } else if (sink.set && !sink.set.has(v)) {
      this.fail("value-not-allowed", ci, { value: b ? decodeUtf8(b, s, e) : this.display(ci, v), column: sink.col.name });
    }
  }

  /** A string cell as a dictionary code of this column's dictionary. */
  setCode(ci: number, code: number): void {
    const sink = this.sinks[ci]!;
    const r = this.cur;
    sink.codes![r] = code;
    if (sink.nulls) sink.nulls[r] = 0;
    if (sink.allowedByCode) {
      if (code >= sink.allowedByCode.length) {
        const next = new Uint8Array(Math.max(code + 1, sink.allowedByCode.length * 2));
        next.set(sink.allowedByCode);
        sink.allowedByCode = next;
      }
      let a = sink.allowedByCode[code]!;
      if (a === 0) a = sink.allowedByCode[code] = sink.strSet!.has(sink.dict!.value(code)) ? 1 : 2;
      if (a === 2) this.fail("value-not-allowed", ci, { value: sink.dict!.value(code), column: sink.col.name });
    }
  }

  /** A string cell given as a JS string. */
  setString(ci: number, text: string): void {
    const { bytes, length } = utf8Scratch(text);
    this.setBytes(ci, bytes, 0, length);
  }

  /**
   * A cell given as a JS value (JSON, or a non-Arrow Parquet value): numbers for numeric columns
   * (seconds for durations, epoch ms for timestamps), booleans, or strings read as text.
   */
  setValue(ci: number, v: unknown): void {
    if (v === null || v === undefined) return this.setNull(ci);
    const kind = this.sinks[ci]!.kind;
    switch (typeof v) {
      case "string":
        return this.setString(ci, v);
      case "number":
        if (kind === K_STRING) return this.setString(ci, String(v));
        if (kind === K_INT && !Number.isSafeInteger(v)) return this.invalid(ci, String(v));
        if (kind === K_INT || kind === K_NUMBER || kind === K_TIMESTAMP) return Number.isFinite(v) ? this.setNumber(ci, v) : this.invalid(ci, String(v));
        if (kind === K_DURATION) return Number.isFinite(v) ? this.setNumber(ci, v * 1000) : this.invalid(ci, String(v));
        if (kind === K_BOOL && (v === 0 || v === 1)) return this.setNumber(ci, v);
        return this.invalid(ci, String(v));
      case "boolean":
        if (kind === K_BOOL) return this.setNumber(ci, v ? 1 : 0);
        if (kind === K_STRING) return this.setString(ci, String(v));
        return this.invalid(ci, String(v));
      case "bigint":
        return this.setValue(ci, Number(v));
      default: {
        let text: string;
        try {
          text = JSON.stringify(v) ?? String(v);
        } catch {
          text = String(v);
        }
        return this.invalid(ci, text, "Nested objects and arrays are not values; flatten them into columns.");
      }
    }
  }

  invalid(ci: number, text: string, hint?: string): void {
    const c = this.columns[ci]!;
    const r = this.cur;
    const sink = this.sinks[ci]!;
    if (sink.f64) sink.f64[r] = NaN;
    else if (sink.u8) sink.u8[r] = 0;
    else sink.codes![r] = -1;
    if (sink.nulls) sink.nulls[r] = 0;
    const shown = text.length > 60 ? text.slice(0, 57) + "..." : text;
    const code = this.options.invalidCode ?? "invalid-value";
    this.reason(code);
    const h = hint ?? HINTS[c.type];
    this.report.row(code, { text: shown, type: c.type, column: c.name, hint: h }, this.source!.locate(ci), c.name, {}, code === "invalid-value" && h ? [h] : []);
  }

  private display(ci: number, v: number): string {
    const kind = this.sinks[ci]!.kind;
    if (kind === K_DATE) return new Date(v).toISOString().slice(0, 10);
    if (kind === K_TIMESTAMP) return new Date(v).toISOString();
    if (kind === K_DURATION) return `${v / 1000}s`;
    if (kind === K_BOOL) return v ? "true" : "false";
    return String(v);
  }

  /** Ends the row: checks keys, then keeps it, or drops it under `skip` when anything was wrong. */
  endRow(): void {
    const r = this.rows;
    if (this.keyCols.length > 0 && !this.rowRejected && (this.rowReason === null || !this.skip)) this.checkKey();
    if (this.rowReason !== null && this.skip) {
      this.skipped.set(this.rowReason, (this.skipped.get(this.rowReason) ?? 0) + 1);
      return;
    }
    this.rowLines[r] = this.line;
    for (const ci of this.relationCols) this.sinks[ci]!.positions![r] = this.source!.cellColumn?.(ci) ?? 0;
    this.rows = r + 1;
  }

  private checkKey(): void {
    const r = this.rows;
    let key: number | string;
    if (this.keyFirstByCode) {
      const ci = this.keyCols[0]!;
      const sink = this.sinks[ci]!;
      const code = sink.codes![r]!;
      if (code < 0) return;
      let first = this.keyFirstByCode;
      if (code >= first.length) {
        first = new Int32Array(Math.max(code + 1, first.length * 2)).fill(-1);
        first.set(this.keyFirstByCode);
        this.keyFirstByCode = first;
      }
      const prev = first[code]!;
      if (prev >= 0) return this.duplicate(ci, sink.dict!.value(code), prev);
      first[code] = this.line;
      return;
    }
    const parts: string[] = [];
    for (const ci of this.keyCols) {
      const s = this.sinks[ci]!;
      if (s.nulls && s.nulls[r]) return;
      const v = s.codes ? s.dict!.value(s.codes[r]!) : s.f64 ? s.f64[r] : s.u8![r];
      if (v === undefined || v !== v) return;
      parts.push(typeof v === "number" ? this.display(ci, v) : v);
    }
    if (this.keyCols.length === 1) {
      const s = this.sinks[this.keyCols[0]!]!;
      key = s.codes ? parts[0]! : s.f64 ? s.f64[r]! : s.u8![r]!;
    } else key = JSON.stringify(parts);
    const prev = this.keyFirstByValue!.get(key);
    if (prev !== undefined) return this.duplicate(this.keyCols[0]!, parts.join(", "), prev);
    this.keyFirstByValue!.set(key, this.line);
  }

  private duplicate(ci: number, value: string, firstLine: number): void {
    const c = this.columns[ci]!;
    const loc = this.source!.locate(ci);
    this.reason("duplicate-key");
    const args: Record<string, string | number> = { value, column: this.keyCols.map((k) => this.columns[k]!.name).join(", "), first: firstLine };
    if (loc.line === undefined) args.firstRow = firstLine;
    this.report.row("duplicate-key", args, loc, c.name, { firstLine });
  }

  /** The line (or row number) given to `beginRow` for each kept row. */
  keptRows(): Int32Array {
    return this.rowLines.subarray(0, this.rows);
  }

  /** The table (null under `fail` when anything was wrong) and the diagnostics. */
  finish(extra: Partial<Table> = {}): { table: Table | null; rowsRead: number; rowsSkipped: number } {
    let skippedRows = 0;
    for (const n of this.skipped.values()) skippedRows += n;
    if (skippedRows > 0) {
      const reasons = [...this.skipped].map(([code, n]) => `${n} ${code}`).join(", ");
      const data: Record<string, string | number> = { dataset: this.dataset.name, count: skippedRows };
      for (const [code, n] of this.skipped) data[code] = n;
      this.report.diagnostics.push(diagnostic("rows-skipped", { count: skippedRows, dataset: this.dataset.name, reasons }, { file: this.options.file, data }));
    }
    this.report.finish();
    const rowsRead = this.rowsRead;
    if (this.report.hasErrors()) return { table: null, rowsRead, rowsSkipped: skippedRows };
    const n = this.rows;
    const columns = new Map<string, ColumnData>();
    const cellColumns = new Map<string, Int32Array>();
    this.sinks.forEach((s, i) => {
      const name = this.columns[i]!.name;
      const nulls = s.hasNull ? fit(s.nulls!, n) : null;
      if (s.codes) {
        const { codes, dict } = skippedRows > 0 ? compact(fit(s.codes, n), s.dict!.strings()) : { codes: fit(s.codes, n), dict: s.dict!.strings() };
        columns.set(name, { type: "string", codes, dict, nulls });
      } else if (s.u8) columns.set(name, { type: "bool", values: fit(s.u8, n), nulls });
      else columns.set(name, { type: s.col.type as "int", values: fit(s.f64!, n), nulls });
      if (s.positions) cellColumns.set(name, fit(s.positions, n));
    });
    const table: Table = {
      dataset: this.dataset.name,
      rowCount: n,
      columns,
      file: this.options.file ?? null,
      rowLines: fit(this.rowLines, n),
      ...extra,
    };
    if (cellColumns.size > 0 && table.rowUnit !== "row") table.cellColumns = cellColumns;
    return { table, rowsRead, rowsSkipped: skippedRows };
  }
}

/** The first n entries, copied when that frees much memory. */
function fit<T extends Float64Array | Uint8Array | Int32Array>(a: T, n: number): T {
  if (a.length === n) return a;
  return (a.length - n > 4096 && a.length > n * 1.1 ? a.slice(0, n) : a.subarray(0, n)) as T;
}

/** Drops dictionary entries no kept row uses (they came from skipped rows). */
function compact(codes: Int32Array, dict: string[]): { codes: Int32Array; dict: string[] } {
  const map = new Int32Array(dict.length).fill(-1);
  const out: string[] = [];
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c < 0) continue;
    let m = map[c]!;
    if (m < 0) {
      m = map[c] = out.length;
      out.push(dict[c]!);
    }
    codes[i] = m;
  }
  return { codes, dict: out };
}
