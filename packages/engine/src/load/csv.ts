import type { Dataset, Diagnostic } from "@yardstick/model";
import type { Table } from "../table/table.js";
import { Ingest, type RowSource } from "./ingest.js";
import type { Loc } from "./report.js";

/** What every loader returns. `table` is null when the load failed (see `diagnostics`). */
export interface LoadResult {
  table: Table | null;
  diagnostics: Diagnostic[];
  /** Data rows read (header excluded). */
  rowsRead: number;
  rowsSkipped: number;
}

export interface LoadOptions {
  /** The file name diagnostics point at. */
  file?: string;
  /** Total input size in bytes, when known: sizes the columns once and drives progress. */
  sizeHint?: number;
  /** Called after each chunk with the bytes consumed so far. */
  onProgress?: (bytes: number) => void;
  signal?: AbortSignal;
  /** Diagnostics listed per code before the rest are only counted (default 100). */
  cap?: number;
  /**
   * Load only these source columns (projection, e.g. the columns a query needs); the others are
   * skipped like extra columns and their constraints are not checked. Default: every declared column.
   */
  columns?: readonly string[];
}

export interface CsvOptions extends LoadOptions {
  /** Field separator, one ASCII character (default ","). */
  delimiter?: string;
}

export type ByteInput = string | Uint8Array | ArrayBuffer;

const QUOTE = 34, LF = 10, CR = 13;
const NO_FIELD = -1;

/**
 * A schema-driven, streaming CSV reader (RFC 4180: quoted fields, doubled quotes, embedded
 * newlines, CRLF or LF, UTF-8 with or without BOM). It parses bytes straight into the typed columns
 * of an `Ingest`; no row objects, no per-cell strings except for new dictionary entries.
 *
 * Feed it chunks with `push`, then call `finish`. A row split across chunks is carried over whole,
 * so fields and rows may break anywhere. Blank lines are ignored. The first row is the header:
 * columns may come in any order, extra columns are ignored, a missing declared column is an error.
 */
export class CsvLoader implements RowSource {
  private readonly ingest: Ingest;
  private readonly delim: number;
  /** Bytes of an unfinished row, kept at the start of `work` until the next chunk. */
  private work = new Uint8Array(0);
  private carryLen = 0;
  private header: string[] | null = null;
  private fieldToCol: Int32Array = new Int32Array(0);
  private colToField: Int32Array = new Int32Array(0);
  private dead = false;
  private line = 1;
  private consumed = 0;
  // the current row, for diagnostics
  private buf: Uint8Array = new Uint8Array(0);
  private rowStart = 0;
  private rowLine = 1;
  private fStart = new Int32Array(64);
  private fEnd = new Int32Array(64);
  private fFlag = new Uint8Array(64); // 0 plain, 1 quoted, 2 quoted with doubled quotes, 4 junk after the closing quote
  private nFields = 0;
  private scratch = new Uint8Array(256);
  private rowsEstimated = false;

  constructor(readonly dataset: Dataset, readonly options: CsvOptions = {}) {
    this.ingest = new Ingest(dataset, { file: options.file, cap: options.cap, columns: options.columns });
    this.ingest.setSource(this);
    const d = options.delimiter ?? ",";
    this.delim = d.charCodeAt(0);
  }

  /** Bytes consumed so far (whole rows). */
  get bytes(): number {
    return this.consumed;
  }

  push(chunk: Uint8Array): void {
    if (this.dead || chunk.length === 0) return;
    let buf = chunk;
    const carried = this.carryLen;
    if (carried > 0) {
      this.ensureWork(carried + chunk.length);
      this.work.set(chunk, carried);
      buf = this.work.subarray(0, carried + chunk.length);
    }
    const used = this.parse(buf, false);
    const rest = buf.length - used;
    if (rest > 0) {
      if (buf === chunk) {
        this.ensureWork(rest);
        this.work.set(chunk.subarray(used));
      } else this.work.copyWithin(0, used, buf.length);
    }
    this.carryLen = rest;
  }

  private ensureWork(n: number): void {
    if (this.work.length >= n) return;
    const next = new Uint8Array(Math.max(n, this.work.length * 2, 1 << 16));
    next.set(this.work.subarray(0, this.carryLen));
    this.work = next;
  }

  finish(): LoadResult {
    if (!this.dead && this.carryLen > 0) {
      const buf = this.work.subarray(0, this.carryLen);
      this.carryLen = 0;
      this.parse(buf, true);
    }
    if (this.header === null && !this.dead) {
      this.ingest.report.fatal("malformed-data", { text: "The file is empty: it has no header row." }, { line: 1, column: 1 });
    }
    const { table, rowsRead, rowsSkipped } = this.ingest.finish();
    return { table, diagnostics: this.ingest.report.diagnostics, rowsRead, rowsSkipped };
  }

  /** Parses every complete row of buf; returns the offset of the first byte not consumed. */
  private parse(buf: Uint8Array, eof: boolean): number {
    this.buf = buf;
    const len = buf.length;
    const D = this.delim;
    let p = 0;
    if (this.header === null && this.consumed === 0 && len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) p = 3;
    else if (this.header === null && this.consumed === 0 && len < 3 && !eof) return 0;
    let fStart = this.fStart, fEnd = this.fEnd, fFlag = this.fFlag;
    rows: while (p < len) {
      const rowStart = p;
      let c = buf[p]!;
      if (c === LF || c === CR) {
        // blank line
        if (c === CR) {
          if (p + 1 >= len && !eof) break;
          p += p + 1 < len && buf[p + 1] === LF ? 2 : 1;
        } else p++;
        this.line++;
        continue;
      }
      let nf = 0;
      let newlines = 0;
      let rowEnd = -1;
      for (;;) {
        if (nf === fStart.length) {
          this.growFields();
          fStart = this.fStart; fEnd = this.fEnd; fFlag = this.fFlag;
        }
        if (p < len && buf[p] === QUOTE) {
          let q = p + 1;
          let flag = 1;
          for (;;) {
            while (q < len && (c = buf[q]!) !== QUOTE) {
              if (c === LF) newlines++;
              q++;
            }
            if (q >= len) break;
            if (q + 1 < len && buf[q + 1] === QUOTE) {
              flag = 2;
              q += 2;
              continue;
            }
            if (q + 1 >= len && !eof) q = len; // cannot tell a closing quote from a doubled one yet
            break;
          }
          if (q >= len) {
            if (!eof) { p = rowStart; break rows; }
            // unterminated quote at end of file
            fStart[nf] = p + 1; fEnd[nf] = len; fFlag[nf] = 8;
            nf++;
            p = len;
            rowEnd = len;
            break;
          }
          fStart[nf] = p + 1;
          fEnd[nf] = q;
          p = q + 1;
          if (p < len && (c = buf[p]!) !== D && c !== LF && c !== CR) {
            flag |= 4;
            while (p < len && (c = buf[p]!) !== D && c !== LF && c !== CR) p++;
          }
          fFlag[nf] = flag;
        } else {
          const s = p;
          while (p < len && (c = buf[p]!) !== D && c !== LF && c !== CR) p++;
          fStart[nf] = s;
          fEnd[nf] = p;
          fFlag[nf] = 0;
        }
        nf++;
        if (p >= len) {
          if (!eof) { p = rowStart; break rows; }
          rowEnd = len;
          break;
        }
        c = buf[p]!;
        if (c === D) {
          p++;
          continue;
        }
        if (c === LF) rowEnd = p + 1;
        else if (p + 1 < len) rowEnd = buf[p + 1] === LF ? p + 2 : p + 1;
        else if (eof) rowEnd = p + 1;
        else { p = rowStart; break rows; }
        break;
      }
      this.nFields = nf;
      this.rowStart = rowStart;
      this.rowLine = this.line;
      if (this.header === null) this.readHeader();
      else if (nf !== this.header.length || !this.ingest.tryRow(buf, fStart, fEnd, fFlag, this.fieldToCol, nf, this.rowLine)) this.convertRow();
      if (this.dead) return len;
      this.line += 1 + newlines;
      p = rowEnd;
    }
    if (!this.rowsEstimated && this.header !== null && this.options.sizeHint && this.ingest.rowsRead > 100) {
      this.rowsEstimated = true;
      const perRow = (this.consumed + p) / (this.ingest.rowsRead + 1);
      this.ingest.reserve(Math.ceil((this.options.sizeHint / perRow) * 1.02) + 16);
    }
    this.consumed += p;
    return p;
  }

  private growFields(): void {
    const n = this.fStart.length * 2;
    const s = new Int32Array(n); s.set(this.fStart); this.fStart = s;
    const e = new Int32Array(n); e.set(this.fEnd); this.fEnd = e;
    const f = new Uint8Array(n); f.set(this.fFlag); this.fFlag = f;
  }

  private readHeader(): void {
    const names: string[] = [];
    for (let i = 0; i < this.nFields; i++) {
      const { bytes, s, e } = this.fieldBytes(i);
      names.push(new TextDecoder().decode(bytes.subarray(s, e)).trim());
    }
    this.header = names;
    const cols = this.ingest.columns;
    this.fieldToCol = new Int32Array(names.length).fill(NO_FIELD);
    this.colToField = new Int32Array(cols.length).fill(NO_FIELD);
    cols.forEach((c, ci) => {
      let fi = names.indexOf(c.name);
      if (fi < 0) fi = names.findIndex((n) => n.toLowerCase() === c.name.toLowerCase());
      if (fi < 0) {
        this.ingest.report.fatal("missing-data-column", { dataset: this.dataset.name, column: c.name }, { line: this.rowLine, column: 1 }, c.name);
        this.dead = true;
        return;
      }
      const again = names.indexOf(names[fi]!, fi + 1);
      if (again >= 0) {
        this.ingest.report.fatal("malformed-data", { text: `The header names column "${names[fi]}" more than once.` }, this.locateField(again), c.name);
        this.dead = true;
      }
      this.fieldToCol[fi] = ci;
      this.colToField[ci] = fi;
    });
  }

  private convertRow(): void {
    const ingest = this.ingest;
    ingest.beginRow(this.rowLine);
    const nf = this.nFields;
    const width = this.header!.length;
    if (nf !== width) {
      const at = nf > width ? this.locateField(width) : this.locateRowEnd();
      ingest.report.row("malformed-data", {
        text: `This row has ${nf} ${nf === 1 ? "field" : "fields"}, but the header has ${width}.`,
      }, at, nf > width ? null : this.header![nf] ?? null, { fields: nf, expected: width });
      ingest.rejectRow("malformed-data");
      ingest.endRow();
      return;
    }
    const buf = this.buf;
    const map = this.fieldToCol;
    const fStart = this.fStart, fEnd = this.fEnd, fFlag = this.fFlag;
    for (let i = 0; i < nf; i++) {
      const ci = map[i]!;
      if (ci < 0) continue;
      const flag = fFlag[i]!;
      if (flag === 0 || flag === 1) ingest.setBytes(ci, buf, fStart[i]!, fEnd[i]!);
      else if (flag & 12) {
        ingest.report.row("malformed-data", {
          text: flag & 8 ? "This quoted field is never closed." : "A quoted field must end at its closing quote; text follows it.",
        }, this.locateField(i), ingest.columns[ci]!.name);
        ingest.rejectRow("malformed-data");
        ingest.markNull(ci);
      } else {
        const { bytes, s, e } = this.fieldBytes(i);
        ingest.setBytes(ci, bytes, s, e);
      }
    }
    ingest.endRow();
  }

  /** The unquoted bytes of field i (doubled quotes undone in a scratch buffer). */
  private fieldBytes(i: number): { bytes: Uint8Array; s: number; e: number } {
    const buf = this.buf;
    const s = this.fStart[i]!, e = this.fEnd[i]!;
    if (this.fFlag[i] !== 2) return { bytes: buf, s, e };
    if (this.scratch.length < e - s) this.scratch = new Uint8Array((e - s) * 2);
    const out = this.scratch;
    let n = 0;
    for (let k = s; k < e; k++) {
      out[n++] = buf[k]!;
      if (buf[k] === QUOTE) k++;
    }
    return { bytes: out, s: 0, e: n };
  }

  locate(ci: number): Loc {
    const fi = this.colToField[ci]!;
    return fi >= 0 ? this.locateField(fi) : { line: this.rowLine };
  }

  /** Line and one-based UTF-16 column where field fi starts (at its opening quote, if any). */
  private locateField(fi: number): Loc {
    let at = this.fStart[fi]!;
    if (this.fFlag[fi]! & 11) at--;
    return this.position(at);
  }

  private locateRowEnd(): Loc {
    const last = this.nFields - 1;
    let end = this.fEnd[last]!;
    if (this.fFlag[last]! & 3) end++;
    return this.position(end);
  }

  private position(at: number): Loc {
    const buf = this.buf;
    let line = this.rowLine;
    let lineStart = this.rowStart;
    for (let k = this.rowStart; k < at; k++) {
      if (buf[k] === LF) {
        line++;
        lineStart = k + 1;
      }
    }
    let bom = 0;
    if (lineStart === 0 && this.consumed === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) bom = 3;
    const column = new TextDecoder().decode(buf.subarray(lineStart + bom, at)).length + 1;
    return { line, column };
  }

  cellColumn(ci: number): number {
    const fi = this.colToField[ci]!;
    let at = this.fStart[fi]!;
    if (this.fFlag[fi]! & 3) at--;
    const buf = this.buf;
    for (let k = this.rowStart; k < at; k++) if (buf[k]! >= 0x80 || buf[k] === LF) return this.position(at).column!;
    return at - this.rowStart + 1;
  }
}

function toBytes(input: ByteInput): Uint8Array {
  if (typeof input === "string") return new TextEncoder().encode(input);
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/** Loads CSV held in memory (a string or bytes). */
export function loadCsvSync(dataset: Dataset, input: ByteInput, options: CsvOptions = {}): LoadResult {
  const bytes = toBytes(input);
  const loader = new CsvLoader(dataset, { ...options, sizeHint: options.sizeHint ?? bytes.length });
  loader.push(bytes);
  return loader.finish();
}

/** Loads CSV from a string, bytes, or a stream of byte chunks (e.g. a file or a fetch body). */
export async function loadCsv(dataset: Dataset, input: ByteInput | AsyncIterable<Uint8Array>, options: CsvOptions = {}): Promise<LoadResult> {
  if (typeof input === "string" || input instanceof Uint8Array || input instanceof ArrayBuffer) return loadCsvSync(dataset, input, options);
  const loader = new CsvLoader(dataset, options);
  let total = 0;
  for await (const chunk of input) {
    options.signal?.throwIfAborted();
    loader.push(chunk);
    total += chunk.length;
    options.onProgress?.(total);
  }
  return loader.finish();
}
